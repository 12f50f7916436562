/**
 * Checking a batch out offline, on the matter: the batch is checked out to the caller and tied to a
 * new check-out id, so nobody else can take it and only this check-out's file can check it in; the
 * batch's rows (src/case/data/portable-sql.ts, BATCH_SLICE), its attachment contents and a manifest
 * with each message's coding as the base of the later merge are handed back for the client to write
 * as a case file of its own (src/app/offline-file.ts). Coding the batch's messages on the matter
 * stays possible; the check-in reports where both sides changed the same slot.
 */
import { randomUUID } from 'node:crypto';
import type { OfflineCheckoutDTO, OfflineManifestDTO } from '../../../api/offline-dto.ts';
import { HoldfastError } from '../../../api/errors.ts';
import type { CaseSession } from '../../../case/session.ts';
import { appendAudit } from '../../../case/audit.ts';
import { dataOf } from '../../../case/data/index.ts';
import type { BatchRow, CaseData } from '../../../case/data/interface.ts';
import { requireBatch, requireSet } from '../counts.ts';
import { codingJson, codingOf, textHash } from './slots.ts';

/** The audit action of an offline check-out on the matter. */
export const CHECKOUT_ACTION = 'batch.checkout-offline';

/** A batch's check-out state as the offline entries record it (before and after). */
export const state = (b: BatchRow) => ({ state: b.state, assignee: b.assignee, holder: b.holder, offline: b.offline_checkout });

function batchMessageIds(data: CaseData, batchId: number): number[] {
  return [...new Set(data.read.batches.units(batchId).flatMap((u) => data.read.batches.unitMessages(u.id)))].sort((a, b) => a - b);
}

/** The notes a check-out carries: on the batch's messages, and on their conversations. */
function batchNotes(data: CaseData, messageIds: readonly number[]) {
  const ids = new Set(messageIds);
  const conversations = new Set(data.read.batches.placement(messageIds).map(([, c]) => c));
  return [...conversations].flatMap((c) => data.read.notes.onConversation(c, true)).filter((n) => n.message_id === null || ids.has(n.message_id));
}

export function checkOutOffline(session: CaseSession, args: { batchId: number }): OfflineCheckoutDTO {
  const data = dataOf(session);
  const me = session.actor;
  const { manifest, tables } = data.write.transaction.immediate(() => {
    const before = requireBatch(data, args.batchId);
    if (before.state === 'checked-in') throw new HoldfastError('VALIDATION', `Batch ${before.number} is already checked in (by ${before.checked_in_by}).`, { batchId: before.id });
    if (before.state === 'checked-out' && before.holder !== me) {
      throw new HoldfastError('CASE_BUSY', `Batch ${before.number} is checked out by ${before.holder}.`, { batchId: before.id, holder: before.holder });
    }
    if (before.assignee !== null && before.assignee !== me) {
      throw new HoldfastError('VALIDATION', `Batch ${before.number} is assigned to ${before.assignee}; a manager can reassign it.`, { batchId: before.id, assignee: before.assignee });
    }
    const set = requireSet(data, before.set_id);
    const messageIds = batchMessageIds(data, before.id);
    if (!messageIds.length) throw new HoldfastError('VALIDATION', `Batch ${before.number} has no messages left to review.`, { batchId: before.id });
    const checkout = randomUUID();
    const at = Date.now();
    if (before.state !== 'checked-out') data.write.batches.checkOut(before.id, me, at);
    data.write.batches.markOffline(before.id, checkout);
    const recorded = {
      checkout, matter: data.read.caseMeta.get('matter') ?? session.path, caseId: data.read.caseMeta.get('case_id') ?? null,
      setId: set.id, setName: set.name, batchId: before.id, number: before.number, by: me, at, messageIds,
      base: codingJson(codingOf(data, messageIds).coding),
      baseNotes: Object.fromEntries(batchNotes(data, messageIds).map((n) => [n.id, textHash(n.text)])),
    };
    // A second offline check-out by the holder replaces the first: that file can no longer be checked in.
    const entry = appendAudit(data, me, CHECKOUT_ACTION, {
      ...recorded, replaces: before.offline_checkout, before: state(before), after: state(requireBatch(data, before.id)),
    }, at);
    const manifest: OfflineManifestDTO = { ...recorded, serverAudit: { seq: entry.seq, hash: entry.hash } };
    return { manifest, tables: data.read.slice.ofBatch(before.id) };
  });
  const blobs = (tables.find((t) => t.table === 'blobs')?.rows ?? []).map((r) => {
    const sha256 = r.sha256 as string;
    return { sha256, chunks: [...data.read.blobContent.chunks(sha256)].map((c) => c.toString('base64')) };
  });
  const runs: Record<string, number> = {};
  for (const m of tables.find((t) => t.table === 'messages')!.rows) runs[String(m.run_id)] = (runs[String(m.run_id)] ?? 0) + 1;
  return { manifest, displayTz: session.displayTz, tables, blobs, runs };
}
