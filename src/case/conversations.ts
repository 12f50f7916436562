/** Windows of one conversation's messages for the viewer, by position or centred on a message. */
import type { ConversationWindowDTO } from '../api/dto.ts';
import { HoldfastError } from '../api/errors.ts';
import type { DB } from './store.ts';
import { getMessages } from './messages.ts';

/**
 * Messages `offset .. offset+limit` of the conversation in (sent_at, id) order — the order of the
 * (conversation_id, sent_at) index, whose entries end in the rowid — or the window centred on `around`.
 */
export function conversationWindow(db: DB, opts: { conversationId: number; around?: number | undefined; offset: number; limit: number }): ConversationWindowDTO {
  if (!db.prepare('SELECT 1 FROM conversations WHERE id = ?').get(opts.conversationId)) {
    throw new HoldfastError('NOT_FOUND', `There is no conversation ${opts.conversationId} in this case.`, { conversationId: opts.conversationId });
  }
  const total = db.prepare('SELECT count(*) FROM messages WHERE conversation_id = ?').pluck().get(opts.conversationId) as number;
  let offset = opts.offset;
  let anchorIndex: number | null = null;
  if (opts.around !== undefined) {
    const anchor = db.prepare('SELECT sent_at FROM messages WHERE id = ? AND conversation_id = ?').get(opts.around, opts.conversationId) as { sent_at: number } | undefined;
    if (!anchor) throw new HoldfastError('NOT_FOUND', `Message ${opts.around} is not in conversation ${opts.conversationId}.`, { messageId: opts.around, conversationId: opts.conversationId });
    anchorIndex = db
      .prepare('SELECT count(*) FROM messages WHERE conversation_id = ? AND (sent_at < ? OR (sent_at = ? AND id < ?))')
      .pluck()
      .get(opts.conversationId, anchor.sent_at, anchor.sent_at, opts.around) as number;
    offset = Math.max(0, Math.min(anchorIndex - Math.floor(opts.limit / 2), total - opts.limit));
  }
  const ids = db
    .prepare('SELECT id FROM messages WHERE conversation_id = ? ORDER BY sent_at, id LIMIT ? OFFSET ?')
    .pluck()
    .all(opts.conversationId, opts.limit, offset) as number[];
  return { total, offset, messages: getMessages(db, ids), anchorIndex };
}
