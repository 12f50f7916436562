/** The conflicts offline check-ins found, for the project manager: of a batch set, or of one batch. */
import type { BatchConflictDTO } from '../../../api/offline-dto.ts';
import type { CaseSession } from '../../../case/session.ts';
import { dataOf } from '../../../case/data/index.ts';
import { requireBatch, requireSet } from '../counts.ts';

const iso = (ms: number) => new Date(ms).toISOString();

export function listConflicts(session: CaseSession, args: { setId?: number; batchId?: number }): BatchConflictDTO[] {
  const data = dataOf(session);
  const rows = args.batchId !== undefined ? data.read.batches.conflicts({ batchId: requireBatch(data, args.batchId).id }) : data.read.batches.conflicts({ setId: requireSet(data, args.setId!).id });
  return rows.map((r) => ({
    conflictId: r.id, setId: r.set_id, batchId: r.batch_id, checkout: r.checkout, messageId: r.message_id, slot: r.slot, label: r.label,
    base: JSON.parse(r.base), offline: JSON.parse(r.offline), server: JSON.parse(r.server),
    offlineBy: r.offline_by, offlineAt: iso(r.offline_at), serverBy: r.server_by, serverAt: iso(r.server_at), winner: r.winner, recordedAt: iso(r.recorded_at),
  }));
}
