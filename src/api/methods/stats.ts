import { z } from 'zod';
import { method } from '../contract.ts';
import type { DashboardDTO } from '../dto.ts';

export const statsMethods = {
  'stats.dashboard': method<DashboardDTO>()(
    z.strictObject({ bucket: z.enum(['day', 'week', 'month']).default('month'), top: z.number().int().min(1).max(100).default(10) }),
  ),
};
