import type { DB } from '../../store.ts';
import type { FindingReader } from '../interface.ts';
import { IN_IDS, jsonIds } from './ids.ts';

/** A source's dated messages, for its first and last. */
const END = `SELECT m.id FROM message_occurrences o JOIN messages m ON m.id = o.message_id
              WHERE o.source_id = s.id AND m.kind = 'message' AND m.time_unknown = 0`;

export function findingReader(db: DB): FindingReader {
  return {
    deletedCopies: () =>
      db
        .prepare(
          `SELECT m.conversation_id, m.id, m.sent_at, o.custodian_id
             FROM messages m LEFT JOIN message_occurrences o ON o.message_id = m.id
            WHERE m.deleted = 1 AND m.kind = 'message' AND m.time_unknown = 0
            ORDER BY m.conversation_id, m.sent_at, m.id`,
        )
        .raw()
        .iterate() as IterableIterator<[number, number, number, number | null]>,
    around: (conversationId, ids, around) => {
      const ends = db
        .prepare(`SELECT sent_at, id FROM messages WHERE conversation_id = ? AND id ${IN_IDS} ORDER BY sent_at, id`)
        .raw()
        .all(conversationId, jsonIds(ids)) as [number, number][];
      if (!ends.length) return [];
      const [fromAt, fromId] = ends[0]!;
      const [toAt, toId] = ends.at(-1)!;
      const before = db
        .prepare('SELECT id FROM messages WHERE conversation_id = ? AND (sent_at, id) < (?, ?) ORDER BY sent_at DESC, id DESC LIMIT ?')
        .pluck()
        .all(conversationId, fromAt, fromId, around) as number[];
      const span = db
        .prepare('SELECT id FROM messages WHERE conversation_id = ? AND (sent_at, id) >= (?, ?) AND (sent_at, id) <= (?, ?) ORDER BY sent_at, id')
        .pluck()
        .all(conversationId, fromAt, fromId, toAt, toId) as number[];
      const after = db
        .prepare('SELECT id FROM messages WHERE conversation_id = ? AND (sent_at, id) > (?, ?) ORDER BY sent_at, id LIMIT ?')
        .pluck()
        .all(conversationId, toAt, toId, around) as number[];
      return [...before.reverse(), ...span, ...after];
    },
    provenance: (ids) =>
      db
        .prepare(
          `SELECT o.message_id, c.name, s.name FROM message_occurrences o JOIN sources s ON s.id = o.source_id LEFT JOIN custodians c ON c.id = o.custodian_id
            WHERE o.message_id ${IN_IDS} ORDER BY o.message_id, s.id`,
        )
        .raw()
        .all(jsonIds(ids)) as [number, string | null, string][],
    sourceLocators: () =>
      db
        .prepare(
          `SELECT o.source_id, o.locator, m.conversation_id, m.id FROM message_occurrences o JOIN messages m ON m.id = o.message_id
           UNION ALL
           SELECT s.id, r.locator, m.conversation_id, m.id FROM reactions r JOIN sources s ON s.run_id = r.run_id JOIN messages m ON m.id = r.message_id
            WHERE r.locator IS NOT NULL`,
        )
        .raw()
        .iterate() as IterableIterator<[number, string, number, number]>,
    sourceWindowEnds: () =>
      db
        .prepare(
          `SELECT e.source_id, f.id, f.conversation_id, l.id, l.conversation_id
             FROM (SELECT s.id AS source_id, (${END} ORDER BY m.sent_at, m.id LIMIT 1) AS first_id,
                          (${END} ORDER BY m.sent_at DESC, m.id DESC LIMIT 1) AS last_id FROM sources s) e
             JOIN messages f ON f.id = e.first_id JOIN messages l ON l.id = e.last_id
            ORDER BY e.source_id`,
        )
        .raw()
        .all() as [number, number, number, number, number][],
  };
}
