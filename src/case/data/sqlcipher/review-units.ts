import type { DB } from './connection.ts';
import type { ReviewUnitReader } from '../interface.ts';

/** A message counts as coded when it carries a coding or privilege tag (issue tags alone do not decide it). */
const CODED = `EXISTS (SELECT 1 FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.message_id = m.id AND t.kind IN ('coding','privilege'))`;

export function reviewUnitReader(db: DB): ReviewUnitReader {
  return {
    events: (conversationId) =>
      db
        .prepare(`SELECT m.sent_at AS sentAt, m.kind = 'message' AS message, ${CODED} AS coded FROM messages m WHERE m.conversation_id = ? ORDER BY m.sent_at, m.id`)
        .raw()
        .iterate(conversationId) as IterableIterator<[number, number, number]>,
    partIds: (conversationId, start, end, limit, offset) =>
      db
        .prepare('SELECT id FROM messages WHERE conversation_id = ? AND sent_at >= ? AND sent_at < ? ORDER BY sent_at, id LIMIT ? OFFSET ?')
        .pluck()
        .all(conversationId, start, end, limit, offset) as number[],
  };
}
