import type { DB } from './connection.ts';
import type { FacetCount, FacetReader } from '../interface.ts';

export function facetReader(db: DB): FacetReader {
  return {
    counts: (messageIds) => {
      const ids = JSON.stringify(messageIds);
      const q = (sql: string) => db.prepare(`WITH hit(id) AS (SELECT value FROM json_each(?)) ${sql} ORDER BY count DESC, value`).all(ids) as FacetCount[];
      return {
        custodians: q(
          'SELECT c.name AS value, count(DISTINCT o.message_id) AS count FROM hit JOIN message_occurrences o ON o.message_id = hit.id JOIN custodians c ON c.id = o.custodian_id GROUP BY c.id',
        ),
        platforms: q('SELECT cv.platform AS value, count(*) AS count FROM hit JOIN messages m ON m.id = hit.id JOIN conversations cv ON cv.id = m.conversation_id GROUP BY cv.platform'),
        conversations: q('SELECT cv.name AS value, count(*) AS count FROM hit JOIN messages m ON m.id = hit.id JOIN conversations cv ON cv.id = m.conversation_id GROUP BY cv.id'),
        senders: q(
          `SELECT coalesce(p.display_name, h.display, h.value) AS value, count(*) AS count FROM hit JOIN messages m ON m.id = hit.id
       JOIN handles h ON h.id = m.sender_handle_id LEFT JOIN participants p ON p.id = h.participant_id GROUP BY value`,
        ),
        tags: q('SELECT t.name AS value, count(*) AS count FROM hit JOIN message_tags mt ON mt.message_id = hit.id JOIN tags t ON t.id = mt.tag_id GROUP BY t.id'),
        languages: q('SELECT l.lang AS value, count(*) AS count FROM hit JOIN message_languages l ON l.message_id = hit.id GROUP BY l.lang'),
        entities: q('SELECT e.kind AS value, count(DISTINCT e.message_id) AS count FROM hit JOIN message_entities e ON e.message_id = hit.id GROUP BY e.kind'),
      };
    },
    sentTimes: (messageIds) =>
      db.prepare('WITH hit(id) AS (SELECT value FROM json_each(?)) SELECT m.sent_at FROM hit JOIN messages m ON m.id = hit.id').pluck().all(JSON.stringify(messageIds)) as number[],
  };
}
