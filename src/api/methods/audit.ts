import { z } from 'zod';
import { method } from '../contract.ts';
import type { AnchorCheckDTO, AuditEntryDTO, AuditHead, JobStartedDTO, PageDTO } from '../dto.ts';
import { limit, noArgs, offset } from './common.ts';

export const auditMethods = {
  /** The chain's newest entry, to write down or send (an anchor outside the case). */
  'audit.head': method<AuditHead>()(noArgs),
  /** Each earlier production's manifest (read from its folder) checked against the chain. */
  'audit.anchors': method<AnchorCheckDTO[]>()(noArgs),
  /** The whole log as CSV or JSON text, for saving. */
  'audit.export': method<{ format: 'csv' | 'json'; text: string }>()(z.strictObject({ format: z.enum(['csv', 'json']) })),
  /** Newest first. */
  'audit.list': method<PageDTO<AuditEntryDTO>>()(
    z.strictObject({ action: z.string().max(100).optional(), offset, limit: limit(1000, 200) }),
  ),
};

export const verifyMethods = {
  /**
   * Recomputes the audit chain and every stored hash in a job; the result is the job's. `anchors`: audit heads kept
   * outside the case (a production's manifest.json path, or SEQ:HASH) the chain must still hold.
   */
  'verify.run': method<JobStartedDTO>()(z.strictObject({ anchors: z.array(z.string().min(1).max(4096)).max(100).optional() })),
};
