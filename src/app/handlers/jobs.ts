import type { NamespaceHandlers } from '../dispatch.ts';

export const jobsHandlers: NamespaceHandlers<'jobs'> = {
  'jobs.list': (ctx) => ctx.jobs.list(),
  'jobs.get': (ctx, a) => ctx.jobs.get(a.jobId),
  'jobs.cancel': (ctx, a) => ctx.jobs.cancel(a.jobId),
};
