import type { DB } from './connection.ts';
import type { MessageReader } from '../interface.ts';
import { IN_IDS, jsonIds } from './ids.ts';

export function messageReader(db: DB): MessageReader {
  return {
    inConversation: (conversationId, ids) =>
      db
        .prepare('SELECT id, sent_at FROM messages WHERE conversation_id = ? AND id IN (SELECT value FROM json_each(?)) ORDER BY sent_at, id')
        .raw()
        .all(conversationId, JSON.stringify(ids)) as [number, number][],
    exists: (messageId) => db.prepare('SELECT 1 FROM messages WHERE id = ?').get(messageId) !== undefined,
    existing: (ids) => db.prepare(`SELECT id FROM messages WHERE id ${IN_IDS}`).pluck().all(jsonIds(ids)) as number[],
    countInRange: (conversationId, start, end) =>
      db.prepare('SELECT count(*) FROM messages WHERE conversation_id = ? AND sent_at >= ? AND sent_at < ?').pluck().get(conversationId, start, end) as number,
    idsInRange: (conversationId, start, end) =>
      db.prepare('SELECT id FROM messages WHERE conversation_id = ? AND sent_at >= ? AND sent_at < ? ORDER BY sent_at, id').pluck().all(conversationId, start, end) as number[],
    idsInConversation: (conversationId) => db.prepare('SELECT id FROM messages WHERE conversation_id = ? ORDER BY id').pluck().all(conversationId) as number[],
    countByRun: () => db.prepare('SELECT run_id, count(*) FROM messages GROUP BY run_id').raw().all() as [number, number][],
    countInConversation: (conversationId) => db.prepare('SELECT count(*) FROM messages WHERE conversation_id = ?').pluck().get(conversationId) as number,
    threadRoot: (messageId, maxDepth) =>
      db
        .prepare(
          `WITH RECURSIVE up(id, parent, depth) AS (
         SELECT id, reply_to_id, 0 FROM messages WHERE id = ?
         UNION ALL SELECT m.id, m.reply_to_id, up.depth + 1 FROM messages m JOIN up ON m.id = up.parent WHERE up.depth < ${maxDepth})
       SELECT id FROM up ORDER BY depth DESC LIMIT 1`,
        )
        .pluck()
        .get(messageId) as number,
    threadBelow: (rootId, maxDepth) =>
      db
        .prepare(
          `WITH RECURSIVE down(id, depth) AS (
         SELECT ?, 0
         UNION SELECT m.id, down.depth + 1 FROM messages m JOIN down ON m.reply_to_id = down.id WHERE down.depth < ${maxDepth})
       SELECT d.id, min(d.depth) AS depth FROM down d JOIN messages m ON m.id = d.id WHERE d.id <> ? GROUP BY d.id ORDER BY m.sent_at, m.id`,
        )
        .all(rootId, rootId) as { id: number; depth: number }[],
    replyCounts: (ids) =>
      db
        .prepare('SELECT reply_to_id AS id, count(*) AS n FROM messages WHERE reply_to_id IN (SELECT value FROM json_each(?)) GROUP BY reply_to_id')
        .all(JSON.stringify(ids)) as { id: number; n: number }[],
  };
}
