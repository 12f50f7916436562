import { z } from 'zod';
import { method } from '../contract.ts';
import type { PageDTO } from '../dto.ts';
import type { AlertDTO, PolicyDTO, SurveillanceRunDTO } from '../surveillance-dto.ts';
import { limit, noArgs, offset } from './common.ts';

const id = z.number().int().positive();
const scope = z.strictObject({
  custodians: z.array(z.string().min(1).max(200)).max(100).optional(),
  platforms: z.array(z.string().min(1).max(50)).max(50).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
const terms = z.array(z.string().min(1).max(2000)).min(1).max(500);

export const surveillanceMethods = {
  /** Every policy with its metrics. */
  'surveillance.policies': method<PolicyDTO[]>()(noArgs),
  'surveillance.createPolicy': method<PolicyDTO>()(
    z.strictObject({ name: z.string().min(1).max(200), description: z.string().max(2000).optional(), terms, scope: scope.optional() }),
  ),
  /** Adds the starter lexicons (examples) not in the case yet. */
  'surveillance.addStarter': method<PolicyDTO[]>()(noArgs),
  'surveillance.editPolicy': method<PolicyDTO>()(
    z.strictObject({ policyId: id, name: z.string().min(1).max(200).optional(), description: z.string().max(2000).optional(), terms: terms.optional(), scope: scope.optional(), enabled: z.boolean().optional() }),
  ),
  /** Runs every enabled policy (or one) over the whole case. */
  'surveillance.run': method<SurveillanceRunDTO>()(z.strictObject({ policyId: id.optional() })),
  'surveillance.alerts': method<PageDTO<AlertDTO>>()(
    z.strictObject({ policyId: id.optional(), status: z.enum(['open', 'escalated', 'false-positive']).optional(), offset, limit: limit(1000, 200) }),
  ),
  /** Escalate, or close as a false positive (a reason required); audited. */
  'surveillance.disposition': method<AlertDTO>()(
    z.strictObject({ alertId: id, status: z.enum(['escalated', 'false-positive']), reason: z.string().max(2000).optional() }),
  ),
};
