/** Batch sets as listed, one batch with its units, and progress per batch and per reviewer with QC overturn rates. */
import type { BatchDetailDTO, BatchProgressDTO, BatchSetDTO, BatchUnitDTO, ReviewerProgressDTO } from '../../api/dto.ts';
import type { CaseSession } from '../../case/session.ts';
import { dataOf } from '../../case/data/index.ts';
import type { BatchUnitProgressRow } from '../../case/data/interface.ts';
import { batchDto, batchUnits, requireBatch, requireSet, setDto, sumCounts, unitReviewed, unitsByBatch } from './counts.ts';

export function listBatchSets(session: CaseSession): BatchSetDTO[] {
  const data = dataOf(session);
  return data.read.batches.sets().map((s) => setDto(data, s));
}

export function getBatch(session: CaseSession, args: { batchId: number }): BatchDetailDTO {
  const data = dataOf(session);
  const b = requireBatch(data, args.batchId);
  const counts = new Map(batchUnits(data, b).map((u) => [u.unitId, u]));
  const unitList: BatchUnitDTO[] = data.read.batches.units(b.id).map((u) => {
    const c = counts.get(u.id)!;
    return {
      unitId: u.id, key: u.unit_key, conversationId: u.conversation_id, messageIds: data.read.batches.unitMessages(u.id), reviewed: c.reviewed, coded: c.coded,
      status: unitReviewed(c) ? 'reviewed' : c.reviewed === 0 ? 'unreviewed' : 'partial',
    };
  });
  return { ...batchDto(b, [...counts.values()]), setName: requireSet(data, b.set_id).name, unitList };
}

/** Overturned of decided; null before any decision. */
export function overturnRate(decided: number, overturned: number): number | null {
  return decided === 0 ? null : overturned / decided;
}

export function batchProgress(session: CaseSession, args: { setId: number }): BatchProgressDTO {
  const data = dataOf(session);
  const set = requireSet(data, args.setId);
  const units = unitsByBatch(data, set.id);
  const rows = data.read.batches.batches(set.id);
  // A batch counts for whoever holds it (or held it), else its assignee; unassigned batches for no one.
  const byReviewer = new Map<string, { batches: number; checkedIn: number; units: BatchUnitProgressRow[] }>();
  for (const b of rows) {
    const who = b.holder ?? b.assignee;
    if (who === null) continue;
    const r = byReviewer.get(who) ?? { batches: 0, checkedIn: 0, units: [] };
    r.batches++;
    if (b.state === 'checked-in') r.checkedIn++;
    r.units.push(...(units.get(b.id) ?? []));
    byReviewer.set(who, r);
  }
  const qc = new Map<string, { sampled: number; decided: number; overturned: number }>();
  for (const s of data.read.batches.samples(set.id)) {
    const q = qc.get(s.reviewer) ?? { sampled: 0, decided: 0, overturned: 0 };
    q.sampled++;
    if (s.decision !== null) q.decided++;
    if (s.decision === 'overturned') q.overturned++;
    qc.set(s.reviewer, q);
  }
  const names = [...new Set([...byReviewer.keys(), ...qc.keys()])].sort((a, b) => a.localeCompare(b));
  const reviewers: ReviewerProgressDTO[] = names.map((reviewer) => {
    const r = byReviewer.get(reviewer) ?? { batches: 0, checkedIn: 0, units: [] };
    const q = qc.get(reviewer) ?? { sampled: 0, decided: 0, overturned: 0 };
    return {
      reviewer, batches: r.batches, checkedIn: r.checkedIn, ...sumCounts(r.units),
      qcSampled: q.sampled, qcDecided: q.decided, qcOverturned: q.overturned, overturnRate: overturnRate(q.decided, q.overturned),
    };
  });
  return { setId: set.id, name: set.name, ...sumCounts([...units.values()].flat()), batches: rows.map((b) => batchDto(b, units.get(b.id) ?? [])), reviewers };
}
