/** Batch rows as DTOs, with their counts summed from each unit's counts now. */
import type { BatchCountsDTO, BatchDTO, BatchSourceDTO, BatchSetDTO } from '../../api/dto.ts';
import { HoldfastError } from '../../api/errors.ts';
import type { BatchRow, BatchSetRow, BatchUnitProgressRow, CaseData } from '../../case/data/interface.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A unit is reviewed when every one of its messages is. */
export const unitReviewed = (u: BatchUnitProgressRow) => u.messages > 0 && u.reviewed === u.messages;

export function sumCounts(units: readonly BatchUnitProgressRow[]): BatchCountsDTO {
  const c: BatchCountsDTO = { units: 0, reviewedUnits: 0, messages: 0, reviewedMessages: 0, codedMessages: 0 };
  for (const u of units) {
    c.units++;
    if (unitReviewed(u)) c.reviewedUnits++;
    c.messages += u.messages;
    c.reviewedMessages += u.reviewed;
    c.codedMessages += u.coded;
  }
  return c;
}

export function batchDto(b: BatchRow, units: readonly BatchUnitProgressRow[]): BatchDTO {
  return {
    batchId: b.id, setId: b.set_id, number: b.number, state: b.state, assignee: b.assignee, holder: b.holder,
    checkedOutAt: iso(b.checked_out_at), checkedInBy: b.checked_in_by, checkedInAt: iso(b.checked_in_at), ...sumCounts(units),
  };
}

/** The counts of one batch's units (a batch call reads its own batch, not the whole set). */
export function batchUnits(data: CaseData, b: BatchRow): BatchUnitProgressRow[] {
  return data.read.batches.unitProgress(b.set_id, b.id);
}

/** Each unit's counts, grouped by batch id. */
export function unitsByBatch(data: CaseData, setId: number): Map<number, BatchUnitProgressRow[]> {
  const out = new Map<number, BatchUnitProgressRow[]>();
  for (const u of data.read.batches.unitProgress(setId)) {
    const list = out.get(u.batchId) ?? [];
    list.push(u);
    out.set(u.batchId, list);
  }
  return out;
}

export function setDto(data: CaseData, s: BatchSetRow): BatchSetDTO {
  const units = unitsByBatch(data, s.id);
  const batches = data.read.batches.batches(s.id).map((b) => batchDto(b, units.get(b.id) ?? []));
  return {
    setId: s.id, name: s.name, source: JSON.parse(s.source) as BatchSourceDTO, unitSize: s.unit_size, createdBy: s.created_by,
    createdAt: new Date(s.created_at).toISOString(), ...sumCounts([...units.values()].flat()), batches,
  };
}

export function requireSet(data: CaseData, setId: number): BatchSetRow {
  const s = data.read.batches.set(setId);
  if (!s) throw new HoldfastError('NOT_FOUND', `No batch set with id ${setId} in this case.`, { setId });
  return s;
}

export function requireBatch(data: CaseData, batchId: number): BatchRow {
  const b = data.read.batches.batch(batchId);
  if (!b) throw new HoldfastError('NOT_FOUND', `No batch with id ${batchId} in this case.`, { batchId });
  return b;
}
