/**
 * Removing messages for good (delete, retention): the rows, their attachments, reactions, edits,
 * tags, notes and occurrences (by cascade), attachment contents no other message uses,
 * conversations left empty, and the handles (and people) nothing refers to any more. Call inside
 * the caller's transaction after the hold check; the caller writes the audit entries from what
 * this returns, so the deletion stays provable: every purged message's id, fingerprint and content
 * hash (and every removed blob's SHA-256, conversation and handle) is in the log.
 */
import type { BatchedMessageRow, CaseData, PurgeResult as StoredPurge } from '../case/data/interface.ts';

export type { PurgedRecord } from '../case/data/interface.ts';

/** What went, and where the messages sat in review batches (their units lose them; a unit left empty goes). */
export type PurgeResult = StoredPurge & { batched: BatchedMessageRow[]; batchUnitsRemoved: number[] };

/** Columns of each purged-message record in the audit log (arrays keep large purges compact). */
export const PURGED_COLUMNS = ['id', 'conversationId', 'sentAt', 'fingerprint', 'contentSha256', 'runId', 'sourceId'] as const;

export function purgeMessages(data: CaseData, ids: readonly number[]): PurgeResult {
  const batched = data.read.batches.batchedMessages(ids);
  const purged = data.write.purge.messages(ids);
  const batchUnitsRemoved = data.write.batches.dropEmptyUnits([...new Set(batched.map((b) => b.unitId))]);
  return { ...purged, batched, batchUnitsRemoved };
}
