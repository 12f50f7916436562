import { z } from 'zod';
import { method } from '../contract.ts';
import type { AuditEntryDTO, JobStartedDTO, PageDTO } from '../dto.ts';
import { limit, noArgs, offset } from './common.ts';

export const auditMethods = {
  /** Newest first. */
  'audit.list': method<PageDTO<AuditEntryDTO>>()(
    z.strictObject({ action: z.string().max(100).optional(), offset, limit: limit(1000, 200) }),
  ),
};

export const verifyMethods = {
  /** Recomputes the audit chain and every stored hash in a job; the result is the job's. */
  'verify.run': method<JobStartedDTO>()(noArgs),
};
