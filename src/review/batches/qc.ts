/**
 * Second-level review. A sample of X% of each reviewer's reviewed units in checked-in batches of a
 * set goes to a QC queue; a QC reviewer confirms each or overturns it, changing the coding through
 * the normal tagging path (tag.apply / tag.remove entries, undoable) under a `qc.overturn` entry
 * with the unit's tags before and after. The sample is deterministic: units are ordered by
 * SHA-256(seed:unit key) and the first ceil(X% · n) taken; the seed is in the `qc.sample` entry, so
 * the same seed over the same units picks the same ones.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { QcChangeDTO, QcSampleDTO, QcSampleResultDTO } from '../../api/dto.ts';
import { HoldfastError } from '../../api/errors.ts';
import type { CaseSession } from '../../case/session.ts';
import { appendAudit } from '../../case/audit.ts';
import { dataOf } from '../../case/data/index.ts';
import type { CaseData, QcSampleRow } from '../../case/data/interface.ts';
import { tagMessages, untagMessages } from '../tags.ts';
import { requireSet, unitReviewed, unitsByBatch } from './counts.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function sampleDto(data: CaseData, s: QcSampleRow): QcSampleDTO {
  return {
    sampleId: s.id, setId: s.set_id, batchId: s.batch_id, batchNumber: s.batch_number, unitId: s.unit_id, unit: s.unit_key,
    messageIds: data.read.batches.unitMessages(s.unit_id), reviewer: s.reviewer, seed: s.seed, sampledBy: s.sampled_by,
    sampledAt: new Date(s.sampled_at).toISOString(), decision: s.decision, decidedBy: s.decided_by, decidedAt: iso(s.decided_at),
    changes: s.changes === null ? null : (JSON.parse(s.changes) as QcChangeDTO),
  };
}

/** The order a seed puts units in. */
export function sampleRank(seed: string, unitKey: string): string {
  return createHash('sha256').update(`${seed}:${unitKey}`).digest('hex');
}

export function sampleForQc(session: CaseSession, args: { setId: number; percent: number; seed?: string }): QcSampleResultDTO {
  if (!(args.percent > 0 && args.percent <= 100)) throw new HoldfastError('VALIDATION', `A QC sample is more than 0% and at most 100%, not ${args.percent}%.`);
  const seed = args.seed?.trim() || randomBytes(8).toString('hex');
  const data = dataOf(session);
  return data.write.transaction.immediate(() => {
    const set = requireSet(data, args.setId);
    const progress = unitsByBatch(data, set.id);
    const sampled = new Set(data.read.batches.samples(set.id).map((s) => s.unit_id));
    const candidates = new Map<string, { unitId: number; key: string }[]>();
    for (const b of data.read.batches.batches(set.id)) {
      if (b.state !== 'checked-in' || b.checked_in_by === null) continue;
      const reviewed = new Set((progress.get(b.id) ?? []).filter(unitReviewed).map((u) => u.unitId));
      const list = candidates.get(b.checked_in_by) ?? [];
      for (const u of data.read.batches.units(b.id)) if (reviewed.has(u.id) && !sampled.has(u.id)) list.push({ unitId: u.id, key: u.unit_key });
      candidates.set(b.checked_in_by, list);
    }
    const at = Date.now();
    const reviewers: QcSampleResultDTO['reviewers'] = [];
    const ids: number[] = [];
    for (const reviewer of [...candidates.keys()].sort((a, b) => a.localeCompare(b))) {
      const list = candidates.get(reviewer)!;
      const k = Math.ceil((list.length * args.percent) / 100);
      const picked = list
        .map((u) => ({ ...u, rank: sampleRank(seed, u.key) }))
        .sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0))
        .slice(0, k);
      for (const u of picked) ids.push(data.write.batches.addSample({ setId: set.id, unitId: u.unitId, reviewer, seed, sampledBy: session.actor, sampledAt: at }));
      reviewers.push({ reviewer, candidates: list.length, sampled: picked.map((u) => u.key) });
    }
    if (!ids.length) throw new HoldfastError('VALIDATION', `Nothing to sample in "${set.name}": no reviewed unit of a checked-in batch is left unsampled.`, { setId: set.id });
    appendAudit(data, session.actor, 'qc.sample', { setId: set.id, percent: args.percent, seed, reviewers, samples: ids.length }, at);
    return { setId: set.id, percent: args.percent, seed, reviewers, samples: ids.map((id) => sampleDto(data, data.read.batches.sample(id)!)) };
  });
}

export function qcQueue(session: CaseSession, args: { setId: number; pending?: boolean }): QcSampleDTO[] {
  const data = dataOf(session);
  requireSet(data, args.setId);
  return data.read.batches
    .samples(args.setId)
    .filter((s) => !args.pending || s.decision === null)
    .map((s) => sampleDto(data, s));
}

/** Every tag on any of `ids`, by name, with the ids carrying it (ascending). */
function tagsOn(data: CaseData, ids: readonly number[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const tag of data.read.tagging.withCounts()) {
    const on = data.read.tagging.taggings(tag.id, ids).map((t) => t.messageId).sort((a, b) => a - b);
    if (on.length) out[tag.name] = on;
  }
  return out;
}

export interface QcDecision {
  sampleId: number;
  decision: 'confirm' | 'overturn';
  /** Tags (name or id) an overturn puts on the unit's messages, and takes off. */
  apply?: readonly (string | number)[];
  remove?: readonly (string | number)[];
  reason?: string;
}

export function decideQc(session: CaseSession, args: QcDecision): QcSampleDTO {
  const apply = args.apply ?? [];
  const remove = args.remove ?? [];
  const reason = args.reason?.trim() || null;
  if (args.decision === 'overturn' && !apply.length && !remove.length) throw new HoldfastError('VALIDATION', 'An overturn changes the coding: name a tag to apply or to remove.');
  if (args.decision === 'confirm' && (apply.length || remove.length)) throw new HoldfastError('VALIDATION', 'A confirmation changes no coding; overturn to change it.');
  const data = dataOf(session);
  return data.write.transaction.immediate(() => {
    const s = data.read.batches.sample(args.sampleId);
    if (!s) throw new HoldfastError('NOT_FOUND', `No QC sample with id ${args.sampleId} in this case.`, { sampleId: args.sampleId });
    if (s.decision !== null) throw new HoldfastError('VALIDATION', `QC sample ${s.id} was already ${s.decision} by ${s.decided_by}.`, { sampleId: s.id });
    const messageIds = data.read.batches.unitMessages(s.unit_id);
    const at = Date.now();
    const where = { sampleId: s.id, setId: s.set_id, batchId: s.batch_id, unit: s.unit_key, reviewer: s.reviewer, messageIds };
    if (args.decision === 'confirm') {
      data.write.batches.decide(s.id, { decision: 'confirmed', by: session.actor, at, changes: null });
      appendAudit(data, session.actor, 'qc.confirm', { ...where, reason, before: { decision: null }, after: { decision: 'confirmed' } }, at);
    } else {
      const before = tagsOn(data, messageIds);
      const changes: number[] = [];
      for (const tag of apply) {
        const r = tagMessages(session, { tag, messageIds });
        if (r.change !== null) changes.push(r.change);
      }
      for (const tag of remove) {
        const r = untagMessages(session, { tag, messageIds });
        if (r.change !== null) changes.push(r.change);
      }
      if (!changes.length) throw new HoldfastError('VALIDATION', `Overturning QC sample ${s.id} would change nothing: the unit is already coded so.`, { sampleId: s.id });
      const change: QcChangeDTO = { reason, before, after: tagsOn(data, messageIds), changes };
      data.write.batches.decide(s.id, { decision: 'overturned', by: session.actor, at, changes: JSON.stringify(change) });
      appendAudit(data, session.actor, 'qc.overturn', { ...where, reason, changes, before: { decision: null, tags: change.before }, after: { decision: 'overturned', tags: change.after } }, at);
    }
    return sampleDto(data, data.read.batches.sample(s.id)!);
  });
}
