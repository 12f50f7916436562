/**
 * Removing messages for good (delete, retention): the rows, their attachments, reactions, edits,
 * tags, notes and occurrences (by cascade), attachment contents no other message uses,
 * conversations left empty, and the handles (and people) nothing refers to any more. Call inside
 * the caller's transaction after the hold check; the caller writes the audit entries from what
 * this returns, so the deletion stays provable: every purged message's id, fingerprint and content
 * hash (and every removed blob's SHA-256, conversation and handle) is in the log.
 */
import type { PurgeResult, CaseData } from '../case/data/interface.ts';

export type { PurgeResult, PurgedRecord } from '../case/data/interface.ts';

/** Columns of each purged-message record in the audit log (arrays keep large purges compact). */
export const PURGED_COLUMNS = ['id', 'conversationId', 'sentAt', 'fingerprint', 'contentSha256', 'runId', 'sourceId'] as const;

export function purgeMessages(data: CaseData, ids: readonly number[]): PurgeResult {
  return data.write.purge.messages(ids);
}
