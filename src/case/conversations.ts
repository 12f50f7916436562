/** Windows of one conversation's messages for the viewer, by position or centred on a message. */
import type { ConversationWindowDTO } from '../api/dto.ts';
import { HoldfastError } from '../api/errors.ts';
import type { CaseSession } from './session.ts';
import { getMessages } from './messages.ts';
import { dataOf } from './data/index.ts';

/**
 * Messages `offset .. offset+limit` of the conversation in (sent_at, id) order — the order of the
 * (conversation_id, sent_at) index, whose entries end in the rowid — or the window centred on `around`.
 */
export function conversationWindow(session: CaseSession, opts: { conversationId: number; around?: number | undefined; offset: number; limit: number }): ConversationWindowDTO {
  const data = dataOf(session);
  if (!data.read.conversations.brief(opts.conversationId)) {
    throw new HoldfastError('NOT_FOUND', `There is no conversation ${opts.conversationId} in this case.`, { conversationId: opts.conversationId });
  }
  const total = data.read.messages.countInConversation(opts.conversationId);
  let offset = opts.offset;
  let anchorIndex: number | null = null;
  if (opts.around !== undefined) {
    const position = data.read.messageView.position(opts.conversationId, opts.around);
    if (position === undefined) throw new HoldfastError('NOT_FOUND', `Message ${opts.around} is not in conversation ${opts.conversationId}.`, { messageId: opts.around, conversationId: opts.conversationId });
    anchorIndex = position;
    offset = Math.max(0, Math.min(anchorIndex - Math.floor(opts.limit / 2), total - opts.limit));
  }
  const ids = data.read.messageView.page(opts.conversationId, opts.limit, offset);
  return { total, offset, messages: getMessages(session, ids), anchorIndex };
}
