/**
 * Working a batch: a manager assigns it to a reviewer; one person at a time checks it out; the
 * holder checks it in once every unit is reviewed (coded or marked), or earlier with `force` and a
 * reason. Each step is audited with the batch's state before and after.
 */
import type { BatchDTO } from '../../api/dto.ts';
import { HoldfastError } from '../../api/errors.ts';
import type { CaseSession } from '../../case/session.ts';
import { appendAudit } from '../../case/audit.ts';
import { dataOf } from '../../case/data/index.ts';
import type { BatchRow, CaseData } from '../../case/data/interface.ts';
import { batchDto, batchUnits, requireBatch, unitReviewed } from './counts.ts';

const state = (b: BatchRow) => ({ state: b.state, assignee: b.assignee, holder: b.holder });

function current(data: CaseData, batchId: number): BatchDTO {
  const b = requireBatch(data, batchId);
  return batchDto(b, batchUnits(data, b));
}

export function assignBatch(session: CaseSession, args: { batchId: number; assignee: string | null }): BatchDTO {
  const assignee = args.assignee?.trim() || null;
  if (assignee && assignee.length > 200) throw new HoldfastError('VALIDATION', 'A reviewer name is at most 200 characters.');
  const data = dataOf(session);
  return data.write.transaction.immediate(() => {
    const before = requireBatch(data, args.batchId);
    if (before.state === 'checked-in') throw new HoldfastError('VALIDATION', `Batch ${before.number} is checked in; there is nothing left to assign.`, { batchId: before.id });
    if (before.assignee !== assignee) {
      data.write.batches.assign(before.id, assignee);
      appendAudit(data, session.actor, 'batch.assign', { setId: before.set_id, batchId: before.id, number: before.number, before: state(before), after: state(requireBatch(data, before.id)) });
    }
    return current(data, before.id);
  });
}

export function checkOutBatch(session: CaseSession, args: { batchId: number }): BatchDTO {
  const data = dataOf(session);
  const me = session.actor;
  return data.write.transaction.immediate(() => {
    const before = requireBatch(data, args.batchId);
    if (before.state === 'checked-out') {
      if (before.holder === me) return current(data, before.id);
      throw new HoldfastError('CASE_BUSY', `Batch ${before.number} is checked out by ${before.holder}.`, { batchId: before.id, holder: before.holder });
    }
    if (before.state === 'checked-in') throw new HoldfastError('VALIDATION', `Batch ${before.number} is already checked in (by ${before.checked_in_by}).`, { batchId: before.id });
    if (before.assignee !== null && before.assignee !== me) {
      throw new HoldfastError('VALIDATION', `Batch ${before.number} is assigned to ${before.assignee}; a manager can reassign it.`, { batchId: before.id, assignee: before.assignee });
    }
    const at = Date.now();
    data.write.batches.checkOut(before.id, me, at);
    appendAudit(data, me, 'batch.checkout', { setId: before.set_id, batchId: before.id, number: before.number, before: state(before), after: state(requireBatch(data, before.id)) }, at);
    return current(data, before.id);
  });
}

export function checkInBatch(session: CaseSession, args: { batchId: number; force?: boolean; reason?: string }): BatchDTO {
  const data = dataOf(session);
  const me = session.actor;
  const reason = args.reason?.trim() || null;
  if (args.force && !reason) throw new HoldfastError('VALIDATION', 'Checking a batch in with units unreviewed needs a reason.');
  return data.write.transaction.immediate(() => {
    const before = requireBatch(data, args.batchId);
    if (before.state !== 'checked-out') throw new HoldfastError('VALIDATION', `Batch ${before.number} is not checked out (it is ${before.state}).`, { batchId: before.id });
    if (before.holder !== me) throw new HoldfastError('CASE_BUSY', `Batch ${before.number} is checked out by ${before.holder}; only they can check it in.`, { batchId: before.id, holder: before.holder });
    if (before.offline_checkout !== null) {
      throw new HoldfastError('VALIDATION', `Batch ${before.number} is checked out offline: check its file in (holdfast batches checkin-offline), which merges what was coded in it.`, { batchId: before.id });
    }
    const units = batchUnits(data, before);
    const unreviewed = units.filter((u) => !unitReviewed(u)).map((u) => u.unitId);
    if (unreviewed.length && !args.force) {
      throw new HoldfastError('VALIDATION', `Batch ${before.number} has ${unreviewed.length} of ${units.length} units not yet reviewed; code or mark them, or check in with force and a reason.`, {
        batchId: before.id, unreviewedUnits: unreviewed.slice(0, 100),
      });
    }
    const at = Date.now();
    data.write.batches.checkIn(before.id, me, at);
    appendAudit(data, me, 'batch.checkin', {
      setId: before.set_id, batchId: before.id, number: before.number, forced: unreviewed.length > 0, reason: unreviewed.length ? reason : null, unreviewedUnits: unreviewed,
      before: state(before), after: state(requireBatch(data, before.id)),
    }, at);
    return current(data, before.id);
  });
}
