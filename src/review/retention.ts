/**
 * Retention: keep messages for a period from their sent date (e.g. 7y, 18m, 90d; calendar years
 * and months in UTC), optionally only for some custodians or conversations, then purge them with
 * their orphaned attachment contents — except what an active legal hold covers. A dry run reports
 * exactly what would go (counts and ids) and what each hold spares, and changes nothing.
 * With a custodian scope, a message another custodian's source also holds is kept: one
 * custodian's retention does not destroy another's evidence.
 */
import { DateTime } from 'luxon';
import type { RetentionPolicyDTO, RetentionResultDTO } from '../api/dto.ts';
import { HoldfastError } from '../api/errors.ts';
import type { CaseSession } from '../case/session.ts';
import { appendAudit } from '../case/audit.ts';
import { acquireWriteLock } from '../case/lock.ts';
import { dataOf } from '../case/data/index.ts';
import type { CaseData, RetentionPolicyRow } from '../case/data/interface.ts';
import { requireConversation } from './ids.ts';
import { activeHoldsOn } from './holds.ts';
import { purgeMessages } from './purge.ts';
import { auditPurge } from './delete.ts';
import { removeMessagesFromIndex } from './query.ts';

const UNITS = { d: 'days', w: 'weeks', m: 'months', y: 'years' } as const;

/** "3y", "18m", "90d", "6w" → a calendar period. */
export function parseRetentionPeriod(text: string): { text: string; unit: (typeof UNITS)[keyof typeof UNITS]; amount: number } {
  const m = /^\s*(\d{1,5})\s*([dwmy])\s*$/i.exec(text);
  if (!m) throw new HoldfastError('VALIDATION', `"${text}" is not a retention period: a number and d, w, m or y (e.g. 90d, 18m, 7y).`);
  const amount = Number(m[1]);
  const unit = UNITS[m[2]!.toLowerCase() as keyof typeof UNITS];
  if (amount < 1) throw new HoldfastError('VALIDATION', `A retention period must be at least 1 ${unit.slice(0, -1)}.`);
  if (DateTime.utc(2000).plus({ [unit]: amount }).year > 3000) throw new HoldfastError('VALIDATION', `A retention period of ${text} is longer than any record.`);
  return { text: `${amount}${m[2]!.toLowerCase()}`, unit, amount };
}

/** Messages sent before this instant are expired. */
export function retentionCutoff(period: string, now: number): number {
  const p = parseRetentionPeriod(period);
  return DateTime.fromMillis(now, { zone: 'utc' }).minus({ [p.unit]: p.amount }).toMillis();
}

interface RetentionScope {
  custodians?: string[];
  conversations?: number[];
}

function policyDto(p: RetentionPolicyRow): RetentionPolicyDTO {
  const s = JSON.parse(p.scope) as RetentionScope;
  return { id: p.id, name: p.name, keep: p.keep, custodians: s.custodians ?? [], conversations: s.conversations ?? [], createdBy: p.created_by, createdAt: new Date(p.created_at).toISOString() };
}

function buildScope(data: CaseData, custodians: readonly string[] | undefined, conversations: readonly number[] | undefined): RetentionScope {
  const scope: RetentionScope = {};
  const c = [...new Set((custodians ?? []).map((x) => x.trim()).filter(Boolean))];
  if (c.length) {
    const known = new Set(data.read.retention.knownCustodians(c));
    const unknown = c.filter((x) => !known.has(x));
    if (unknown.length) throw new HoldfastError('NOT_FOUND', `No custodian named ${unknown.map((x) => `"${x}"`).join(', ')} in this case.`, { custodians: unknown });
    scope.custodians = c;
  }
  const v = [...new Set(conversations ?? [])].sort((a, b) => a - b);
  for (const id of v) requireConversation(data, id);
  if (v.length) scope.conversations = v;
  return scope;
}

export function createRetentionPolicy(
  session: CaseSession,
  args: { name: string; keep: string; custodians?: readonly string[]; conversations?: readonly number[] },
): RetentionPolicyDTO {
  const data = dataOf(session);
  const name = args.name.trim();
  if (!name) throw new HoldfastError('VALIDATION', 'A retention policy needs a name.');
  const keep = parseRetentionPeriod(args.keep).text;
  return data.write.transaction.run(() => {
    if (data.read.retention.policyNamed(name)) throw new HoldfastError('VALIDATION', `There is already a retention policy named "${name}".`);
    const scope = buildScope(data, args.custodians, args.conversations);
    const id = data.write.retention.createPolicy({ name, keep, scope: JSON.stringify(scope), createdBy: session.actor, createdAt: Date.now() });
    appendAudit(dataOf(session), session.actor, 'retention.policy.create', { policyId: id, before: null, after: { name, keep, scope } });
    return policyDto(data.read.retention.policy(id)!);
  });
}

export function listRetentionPolicies(session: CaseSession): RetentionPolicyDTO[] {
  return dataOf(session).read.retention.policies().map(policyDto);
}

function requirePolicy(data: CaseData, id: number): RetentionPolicyRow {
  const p = data.read.retention.policy(id);
  if (!p) throw new HoldfastError('NOT_FOUND', `No retention policy with id ${id} in this case.`, { policyId: id });
  return p;
}

export function deleteRetentionPolicy(session: CaseSession, args: { policyId: number }): { deleted: number } {
  const data = dataOf(session);
  return data.write.transaction.run(() => {
    const p = requirePolicy(data, args.policyId);
    data.write.retention.deletePolicy(p.id);
    appendAudit(dataOf(session), session.actor, 'retention.policy.delete', { policyId: p.id, before: { name: p.name, keep: p.keep, scope: JSON.parse(p.scope) }, after: null });
    return { deleted: p.id };
  });
}

export interface RetentionArgs {
  /** A period (3y, 18m, 90d), or a saved policy. */
  olderThan?: string;
  policyId?: number;
  custodians?: readonly string[];
  conversations?: readonly number[];
  dryRun?: boolean;
  /** The instant the period counts back from (UTC ms); now by default. */
  now?: number;
}

interface Selection {
  expired: number[];
  keptForOthers: number[];
}

function selectExpired(data: CaseData, cutoff: number, scope: RetentionScope): Selection {
  const rows = data.read.retention.expired(cutoff, scope);
  return { expired: rows.filter((r) => r[1] === 0).map((r) => r[0]), keptForOthers: rows.filter((r) => r[1] === 1).map((r) => r[0]) };
}

export function runRetention(session: CaseSession, args: RetentionArgs): RetentionResultDTO {
  const data = dataOf(session);
  if ((args.olderThan === undefined) === (args.policyId === undefined)) {
    throw new HoldfastError('VALIDATION', 'Retention needs a period (--older-than, e.g. 7y) or a saved policy, not both.');
  }
  const policy = args.policyId === undefined ? undefined : requirePolicy(data, args.policyId);
  const period = parseRetentionPeriod(policy?.keep ?? args.olderThan!).text;
  const policyScope = policy ? (JSON.parse(policy.scope) as RetentionScope) : {};
  const scope = buildScope(data, args.custodians ?? policyScope.custodians, args.conversations ?? policyScope.conversations);
  const now = args.now ?? Date.now();
  const cutoff = retentionCutoff(period, now);
  const lock = args.dryRun ? undefined : acquireWriteLock(data, session.path, 'retention purge');
  try {
    const outcome = data.write.transaction.run(() => {
      const { expired, keptForOthers } = selectExpired(data, cutoff, scope);
      const holds = activeHoldsOn(data, expired);
      const spared = new Set([...holds.values()].flatMap((h) => h.ids));
      const purgeIds = expired.filter((id) => !spared.has(id));
      const sparedByHold = [...holds.values()].map((h) => ({ holdId: h.holdId, name: h.name, messages: h.ids.length }));
      const base = {
        dryRun: !!args.dryRun, olderThan: period, cutoff: new Date(cutoff).toISOString(), purged: purgeIds.length, spared: spared.size, sparedByHold,
        keptForOtherCustodians: keptForOthers.length, purgedIds: purgeIds, sparedIds: [...spared].sort((a, b) => a - b),
      };
      if (args.dryRun) {
        const attachments = data.read.retention.attachmentCount(purgeIds);
        return { ...base, attachments, blobs: data.read.retention.orphanedBlobCount(purgeIds), conversationsRemoved: data.read.retention.conversationsEmptied(purgeIds) };
      }
      const purged = purgeMessages(data, purgeIds);
      auditPurge(session, 'retention.purge', {
        policy: policy ? { id: policy.id, name: policy.name } : null, olderThan: period, cutoff, now, scope,
        spared: spared.size, sparedByHold, sparedMessageIds: base.sparedIds, keptForOtherCustodians: keptForOthers.length,
      }, purged);
      return { ...base, attachments: purged.attachments.length, blobs: purged.blobs.length, conversationsRemoved: purged.conversations.map((c) => c.id) };
    });
    if (!args.dryRun && outcome.purgedIds.length) removeMessagesFromIndex(session, outcome.purgedIds);
    return outcome;
  } finally {
    lock?.release();
  }
}
