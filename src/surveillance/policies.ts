/**
 * Surveillance policies: a name, terms in the search language (any of them matching raises an
 * alert), and a scope (custodians, platforms, a date range). Creating and changing one is audited.
 */
import type { CaseSession } from '../case/session.ts';
import { HoldfastError } from '../api/errors.ts';
import { isoTime } from '../api/dto.ts';
import type { PolicyDTO, PolicyMetricsDTO, PolicyScopeDTO } from '../api/surveillance-dto.ts';
import { appendAudit } from '../case/audit.ts';
import { parseQuery } from '../search/query-parser.ts';
import { STARTER_LEXICONS } from './starter-lexicons.ts';
import { dataOf } from '../case/data/index.ts';
import type { PolicyRow } from '../case/data/interface.ts';

export interface PolicyInput {
  name: string;
  description?: string;
  terms: string[];
  scope?: PolicyScopeDTO;
}

/** Names, terms and scope checked: every term must parse (VALIDATION names the term and what is wrong). */
function checked(input: PolicyInput): { name: string; description: string | null; terms: string[]; scope: PolicyScopeDTO } {
  const name = input.name.trim();
  if (!name) throw new HoldfastError('VALIDATION', 'A policy needs a name.');
  const terms = input.terms.map((t) => t.trim()).filter(Boolean);
  if (!terms.length) throw new HoldfastError('VALIDATION', `Policy "${name}" needs at least one term.`);
  for (const term of terms) {
    try {
      parseQuery(term);
    } catch (err) {
      throw new HoldfastError('VALIDATION', `Policy "${name}", term ${JSON.stringify(term)}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const scope: PolicyScopeDTO = {};
  const s = input.scope ?? {};
  if (s.custodians?.length) scope.custodians = s.custodians;
  if (s.platforms?.length) scope.platforms = s.platforms.map((p) => p.toLowerCase());
  for (const k of ['from', 'to'] as const) {
    const v = s[k];
    if (v === undefined) continue;
    if (Number.isNaN(Date.parse(v))) throw new HoldfastError('VALIDATION', `Policy "${name}": ${k} is not a time: ${JSON.stringify(v)}.`);
    scope[k] = new Date(Date.parse(v)).toISOString();
  }
  return { name, description: input.description?.trim() || null, terms, scope };
}

function metricsByPolicy(session: CaseSession): Map<number, PolicyMetricsDTO> {
  const { counts, waits } = dataOf(session).read.surveillance.metrics();
  const out = new Map<number, PolicyMetricsDTO>();
  const of = (id: number) => {
    let m = out.get(id);
    if (!m) out.set(id, (m = { alerts: 0, open: 0, escalated: 0, falsePositives: 0, escalationRate: null, medianHoursToDisposition: null }));
    return m;
  };
  for (const c of counts) {
    const m = of(c.policy_id);
    m.alerts += c.n;
    if (c.status === 'open') m.open += c.n;
    else if (c.status === 'escalated') m.escalated += c.n;
    else m.falsePositives += c.n;
  }
  const hours = new Map<number, number[]>();
  for (const w of waits) hours.set(w.policy_id, [...(hours.get(w.policy_id) ?? []), w.hours]);
  for (const [id, hs] of hours) {
    const m = of(id);
    const mid = Math.floor(hs.length / 2);
    m.medianHoursToDisposition = Math.round((hs.length % 2 ? hs[mid]! : (hs[mid - 1]! + hs[mid]!) / 2) * 100) / 100;
    m.escalationRate = Math.round((m.escalated / (m.escalated + m.falsePositives)) * 1000) / 1000;
  }
  return out;
}

function toDTO(r: PolicyRow, metrics: PolicyMetricsDTO | undefined): PolicyDTO {
  return {
    id: r.id, name: r.name, description: r.description, terms: JSON.parse(r.terms) as string[], scope: JSON.parse(r.scope) as PolicyScopeDTO,
    example: r.example === 1, enabled: r.enabled === 1, createdBy: r.created_by, createdAt: isoTime(r.created_at)!,
    metrics: metrics ?? { alerts: 0, open: 0, escalated: 0, falsePositives: 0, escalationRate: null, medianHoursToDisposition: null },
  };
}

export function listPolicies(session: CaseSession): PolicyDTO[] {
  const metrics = metricsByPolicy(session);
  return dataOf(session).read.surveillance.policies().map((r) => toDTO(r, metrics.get(r.id)));
}

export function getPolicy(session: CaseSession, id: number): PolicyDTO {
  const row = dataOf(session).read.surveillance.policies({ id })[0];
  if (!row) throw new HoldfastError('NOT_FOUND', `No surveillance policy with id ${id} in this case.`, { policyId: id });
  return toDTO(row, metricsByPolicy(session).get(id));
}

function create(session: CaseSession, input: PolicyInput, example: boolean): number {
  const p = checked(input);
  if (dataOf(session).read.surveillance.policyNameTaken(p.name)) throw new HoldfastError('VALIDATION', `A surveillance policy named "${p.name}" already exists.`);
  const at = Date.now();
  const id = dataOf(session).write.surveillance.addPolicy({ ...p, example, actor: session.actor, at });
  appendAudit(dataOf(session), session.actor, 'policy.create', { policyId: id, after: { ...p, example } }, at);
  return id;
}

export function createPolicy(session: CaseSession, input: PolicyInput): PolicyDTO {
  const id = dataOf(session).write.transaction.run(() => create(session, input, false));
  return getPolicy(session, id);
}

/** Adds the starter lexicons not in the case yet (by name), marked as examples. */
export function addStarterPolicies(session: CaseSession): PolicyDTO[] {
  const ids = dataOf(session).write.transaction.run(() =>
    STARTER_LEXICONS.filter((l) => !dataOf(session).read.surveillance.policyNameTaken(l.name)).map((l) => create(session, { name: l.name, description: l.description, terms: l.terms }, true)),
  );
  return ids.map((id) => getPolicy(session, id));
}

export function editPolicy(session: CaseSession, id: number, changes: Partial<PolicyInput> & { enabled?: boolean }): PolicyDTO {
  const before = getPolicy(session, id);
  const p = checked({
    name: changes.name ?? before.name, terms: changes.terms ?? before.terms, scope: changes.scope ?? before.scope,
    ...((changes.description ?? before.description) ? { description: changes.description ?? before.description! } : {}),
  });
  if (dataOf(session).read.surveillance.policyNameTaken(p.name, id)) throw new HoldfastError('VALIDATION', `A surveillance policy named "${p.name}" already exists.`);
  const enabled = changes.enabled ?? before.enabled;
  dataOf(session).write.transaction.run(() => {
    dataOf(session).write.surveillance.updatePolicy(id, { ...p, enabled });
    appendAudit(dataOf(session), session.actor, 'policy.update', {
      policyId: id, before: { name: before.name, description: before.description, terms: before.terms, scope: before.scope, enabled: before.enabled },
      after: { ...p, enabled },
    });
  });
  return getPolicy(session, id);
}
