/**
 * Running policies: after every import over what that import brought (the app layer calls
 * runPolicies with its source), and on demand over the whole case. Each term runs through the
 * search engine (the full query language, proximity included); the hits inside the policy's scope
 * become alerts, once per policy and message. A run that raised alerts is audited.
 */
import type { CaseSession } from '../case/session.ts';
import type { SurveillanceRunDTO } from '../api/surveillance-dto.ts';
import type { PolicyScopeDTO } from '../api/surveillance-dto.ts';
import { appendAudit } from '../case/audit.ts';
import { dataOf } from '../case/data/index.ts';
import { matchingMessageIds } from '../search/search.ts';
import { getPolicy } from './policies.ts';

export interface RunOptions {
  /** Only messages this source holds (the import that just finished). */
  sourceId?: number;
  /** Only this policy (it runs even when disabled); otherwise every enabled policy. */
  policyId?: number;
}

export function runPolicies(session: CaseSession, opts: RunOptions = {}): SurveillanceRunDTO {
  const { read, write } = dataOf(session);
  if (opts.policyId !== undefined) getPolicy(session, opts.policyId);
  const policies = read.surveillance.policies(opts.policyId !== undefined ? { id: opts.policyId } : { enabledOnly: true });
  const raised: SurveillanceRunDTO['raised'] = [];
  if (!policies.length) return { raised, total: 0 };
  const at = Date.now();
  for (const p of policies) {
    const scope = JSON.parse(p.scope) as PolicyScopeDTO;
    const hits = new Map<number, string>();
    for (const term of JSON.parse(p.terms) as string[]) {
      for (const id of read.surveillance.inScope(matchingMessageIds(session, term), scope, opts.sourceId)) if (!hits.has(id)) hits.set(id, term);
    }
    const n = write.transaction.run(() => write.surveillance.raiseAlerts(p.id, [...hits].map(([messageId, term]) => ({ messageId, term })), opts.sourceId ?? null, at));
    if (n) raised.push({ policyId: p.id, policy: p.name, alerts: n });
  }
  const total = raised.reduce((s, r) => s + r.alerts, 0);
  if (total) appendAudit(dataOf(session), session.actor, 'surveillance.run', { trigger: opts.sourceId !== undefined ? { importedSource: opts.sourceId } : 'on demand', raised, total }, at);
  return { raised, total };
}
