/**
 * Reply threads (WhatsApp quotes, iMessage threads, Slack threads, Telegram replies) from
 * messages.reply_to_id. In place, each message carries `replyTo` and `replyCounts` says which
 * messages have replies; as a thread, `getThread` gives the root and every reply below it.
 */
import type { ThreadDTO, ThreadMessageDTO } from '../api/dto.ts';
import type { CaseSession } from '../case/session.ts';
import { getMessages } from '../case/messages.ts';
import { dataOf } from '../case/data/index.ts';
import { requireMessage } from './ids.ts';

/** Guards the recursive walks against a reply cycle in damaged data. */
const MAX_DEPTH = 10_000;

export function getThread(session: CaseSession, messageId: number): ThreadDTO {
  const data = dataOf(session);
  requireMessage(data, messageId);
  const messages = dataOf(session).read.messages;
  const rootId = messages.threadRoot(messageId, MAX_DEPTH);
  const below = messages.threadBelow(rootId, MAX_DEPTH);
  const [root, ...replies] = getMessages(session, [rootId, ...below.map((r) => r.id)]);
  const depth = new Map(below.map((r) => [r.id, r.depth]));
  return {
    focusId: messageId,
    root: root!,
    replies: replies.map((m): ThreadMessageDTO => ({ ...m, depth: depth.get(m.id) ?? 1 })),
  };
}

/** How many direct replies each of `messageIds` has (those with none are left out). */
export function replyCounts(session: CaseSession, messageIds: readonly number[]): Record<number, number> {
  const rows = dataOf(session).read.messages.replyCounts(messageIds);
  return Object.fromEntries(rows.map((r) => [r.id, r.n]));
}
