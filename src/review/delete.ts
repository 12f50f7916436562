/**
 * Deleting messages or whole conversations that no active hold covers. One transaction holds the
 * hold check, the removal and the audit entries (what was deleted: ids, fingerprints, content
 * hashes, attachment contents); a held item refuses the whole request and changes nothing.
 */
import type { DeleteResultDTO } from '../api/dto.ts';
import { HoldfastError } from '../api/errors.ts';
import type { CaseSession } from '../case/session.ts';
import { acquireWriteLock } from '../case/lock.ts';
import { dataOf } from '../case/data/index.ts';
import { appendAuditItems } from './audit-items.ts';
import { cleanIds, requireConversation, requireMessages } from './ids.ts';
import { HoldViolation, holdsNamingConversation, refuseIfHeld, withHoldGuard } from './holds.ts';
import { PURGED_COLUMNS, purgeMessages } from './purge.ts';
import type { PurgeResult } from './purge.ts';
import { removeMessagesFromIndex } from './query.ts';

function checkReason(reason: string | undefined): string | null {
  const r = reason?.trim();
  if (r && r.length > 4000) throw new HoldfastError('VALIDATION', 'A deletion reason is at most 4,000 characters.');
  return r || null;
}

/** The audit entries for a purge, in the caller's transaction. */
export function auditPurge(session: CaseSession, action: string, details: Record<string, unknown>, purged: PurgeResult): void {
  appendAuditItems(dataOf(session), session.actor, action, purged.records, (slice, first) => ({
    ...details,
    deleted: purged.records.length,
    before: {
      columns: PURGED_COLUMNS,
      messages: slice,
      ...(first ? { attachments: purged.attachments, blobs: purged.blobs, conversations: purged.conversations, handles: purged.handles, participants: purged.participants } : {}),
      ...(first && purged.batched.length ? { batches: { messages: purged.batched, unitsRemoved: purged.batchUnitsRemoved } } : {}),
    },
    after: null,
  }));
}

function result(purged: PurgeResult): DeleteResultDTO {
  return { deleted: purged.records.length, attachments: purged.attachments.length, blobs: purged.blobs.length, conversationsRemoved: purged.conversations.map((c) => c.id) };
}

export function deleteMessages(session: CaseSession, args: { messageIds: readonly number[]; reason?: string }): DeleteResultDTO {
  const ids = cleanIds(args.messageIds);
  if (ids.length === 0) throw new HoldfastError('VALIDATION', 'Name at least one message to delete.');
  const reason = checkReason(args.reason);
  const lock = acquireWriteLock(dataOf(session), session.path, 'deletion of messages');
  try {
    const purged = withHoldGuard(session, { messageIds: ids }, () => {
      requireMessages(dataOf(session), ids);
      refuseIfHeld(dataOf(session), ids, 'messages.delete', 'deleted');
      const p = purgeMessages(dataOf(session), ids);
      auditPurge(session, 'messages.delete', { reason, target: { messageIds: ids } }, p);
      return p;
    });
    removeMessagesFromIndex(session, ids);
    return result(purged);
  } finally {
    lock.release();
  }
}

export function deleteConversation(session: CaseSession, args: { conversationId: number; reason?: string }): DeleteResultDTO {
  const reason = checkReason(args.reason);
  const data = dataOf(session);
  const lock = acquireWriteLock(data, session.path, 'deletion of a conversation');
  try {
    let ids: number[] = [];
    const purged = withHoldGuard(session, { conversationId: args.conversationId }, () => {
      const conv = requireConversation(data, args.conversationId);
      ids = dataOf(session).read.messages.idsInConversation(conv.id);
      const named = holdsNamingConversation(data, conv.id);
      if (named.size) throw new HoldViolation('conversation.delete', 'deleted', named, ids.length, `Conversation ${conv.id} is named by legal hold`);
      refuseIfHeld(data, ids, 'conversation.delete', 'deleted');
      const p = purgeMessages(data, ids);
      // purgeMessages removes conversations it emptied; an empty one goes here.
      if (!p.conversations.some((c) => c.id === conv.id)) {
        p.conversations.push(dataOf(session).read.conversations.identity(conv.id) as PurgeResult['conversations'][number]);
        dataOf(session).write.conversations.delete(conv.id);
      }
      auditPurge(session, 'conversation.delete', { reason, target: { conversationId: conv.id, name: conv.name, platform: conv.platform } }, p);
      return p;
    });
    removeMessagesFromIndex(session, ids);
    return result(purged);
  } finally {
    lock.release();
  }
}
