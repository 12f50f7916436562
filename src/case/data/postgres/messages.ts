import type { Bridge } from './bridge.ts';
import type { MessageReader } from '../interface.ts';

/** Id lists travel as one bigint[] parameter (`= ANY($n::bigint[])`), however long. */
export function messageReader(b: Bridge): MessageReader {
  return {
    inConversation: (conversationId, ids) =>
      b.rows<[number, number]>('SELECT id, sent_at FROM messages WHERE conversation_id = $1 AND id = ANY($2::bigint[]) ORDER BY sent_at, id', [conversationId, ids]),
    exists: (messageId) => b.get('SELECT 1 FROM messages WHERE id = $1', [messageId]) !== undefined,
    existing: (ids) => b.column<number>('SELECT id FROM messages WHERE id = ANY($1::bigint[]) ORDER BY id', [ids]),
    countInRange: (conversationId, start, end) =>
      b.value<number>('SELECT count(*) FROM messages WHERE conversation_id = $1 AND sent_at >= $2 AND sent_at < $3', [conversationId, start, end]) ?? 0,
    idsInRange: (conversationId, start, end) =>
      b.column<number>('SELECT id FROM messages WHERE conversation_id = $1 AND sent_at >= $2 AND sent_at < $3 ORDER BY sent_at, id', [conversationId, start, end]),
    idsInConversation: (conversationId) => b.column<number>('SELECT id FROM messages WHERE conversation_id = $1 ORDER BY id', [conversationId]),
    countByRun: () => b.rows<[number, number]>('SELECT run_id, count(*) FROM messages GROUP BY run_id ORDER BY run_id'),
    countInConversation: (conversationId) => b.value<number>('SELECT count(*) FROM messages WHERE conversation_id = $1', [conversationId]) ?? 0,
    threadRoot: (messageId, maxDepth) =>
      b.value<number>(
        `WITH RECURSIVE up(id, parent, depth) AS (
           SELECT id, reply_to_id, 0 FROM messages WHERE id = $1
           UNION ALL SELECT m.id, m.reply_to_id, up.depth + 1 FROM messages m JOIN up ON m.id = up.parent WHERE up.depth < $2)
         SELECT id FROM up ORDER BY depth DESC LIMIT 1`,
        [messageId, maxDepth],
      )!,
    threadBelow: (rootId, maxDepth) =>
      b.all<{ id: number; depth: number }>(
        `WITH RECURSIVE down(id, depth) AS (
           SELECT $1::bigint, 0
           UNION SELECT m.id, down.depth + 1 FROM messages m JOIN down ON m.reply_to_id = down.id WHERE down.depth < $2)
         SELECT d.id, min(d.depth) AS depth FROM down d JOIN messages m ON m.id = d.id WHERE d.id <> $1 GROUP BY d.id, m.sent_at ORDER BY m.sent_at, d.id`,
        [rootId, maxDepth],
      ),
    replyCounts: (ids) =>
      b.all<{ id: number; n: number }>('SELECT reply_to_id AS id, count(*) AS n FROM messages WHERE reply_to_id = ANY($1::bigint[]) GROUP BY reply_to_id ORDER BY reply_to_id', [ids]),
  };
}
