/**
 * Reply threads (WhatsApp quotes, iMessage threads, Slack threads, Telegram replies) from
 * messages.reply_to_id. In place, each message carries `replyTo` and `replyCounts` says which
 * messages have replies; as a thread, `getThread` gives the root and every reply below it.
 */
import type { ThreadDTO, ThreadMessageDTO } from '../api/dto.ts';
import type { CaseSession } from '../case/session.ts';
import { getMessages } from '../case/messages.ts';
import { IN_IDS, jsonIds, requireMessage } from './ids.ts';

/** Guards the recursive walks against a reply cycle in damaged data. */
const MAX_DEPTH = 10_000;

export function getThread(session: CaseSession, messageId: number): ThreadDTO {
  const db = session.db;
  requireMessage(db, messageId);
  const rootId = db
    .prepare(
      `WITH RECURSIVE up(id, parent, depth) AS (
         SELECT id, reply_to_id, 0 FROM messages WHERE id = ?
         UNION ALL SELECT m.id, m.reply_to_id, up.depth + 1 FROM messages m JOIN up ON m.id = up.parent WHERE up.depth < ${MAX_DEPTH})
       SELECT id FROM up ORDER BY depth DESC LIMIT 1`,
    )
    .pluck()
    .get(messageId) as number;
  const below = db
    .prepare(
      `WITH RECURSIVE down(id, depth) AS (
         SELECT ?, 0
         UNION SELECT m.id, down.depth + 1 FROM messages m JOIN down ON m.reply_to_id = down.id WHERE down.depth < ${MAX_DEPTH})
       SELECT d.id, min(d.depth) AS depth FROM down d JOIN messages m ON m.id = d.id WHERE d.id <> ? GROUP BY d.id ORDER BY m.sent_at, m.id`,
    )
    .all(rootId, rootId) as { id: number; depth: number }[];
  const [root, ...replies] = getMessages(db, [rootId, ...below.map((r) => r.id)]);
  const depth = new Map(below.map((r) => [r.id, r.depth]));
  return {
    focusId: messageId,
    root: root!,
    replies: replies.map((m): ThreadMessageDTO => ({ ...m, depth: depth.get(m.id) ?? 1 })),
  };
}

/** How many direct replies each of `messageIds` has (those with none are left out). */
export function replyCounts(session: CaseSession, messageIds: readonly number[]): Record<number, number> {
  const rows = session.db
    .prepare(`SELECT reply_to_id AS id, count(*) AS n FROM messages WHERE reply_to_id ${IN_IDS} GROUP BY reply_to_id`)
    .all(jsonIds(messageIds)) as { id: number; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.id, r.n]));
}
