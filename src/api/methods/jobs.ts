import { z } from 'zod';
import { method } from '../contract.ts';
import type { JobDTO } from '../dto.ts';
import { noArgs } from './common.ts';

const jobId = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'is not a job id');

export const jobsMethods = {
  'jobs.list': method<JobDTO[]>()(noArgs),
  'jobs.get': method<JobDTO>()(z.strictObject({ jobId })),
  'jobs.cancel': method<JobDTO>()(z.strictObject({ jobId })),
};
