import type { DB } from './connection.ts';
import type { ConversationRef, GapReader, SourceSpan } from '../interface.ts';
import { SOURCE_SPANS } from '../portable-sql.ts';

/** A source's dated messages (not system events), for its first and last. */
const END = `SELECT m.id FROM message_occurrences o JOIN messages m ON m.id = o.message_id
              WHERE o.source_id = s.id AND m.kind = 'message' AND m.time_unknown = 0`;

export function gapReader(db: DB): GapReader {
  return {
    conversations: () => {
      const rows = db.prepare('SELECT id, coalesce(name, external_id) AS name, platform, external_id AS externalId FROM conversations').all() as ConversationRef[];
      return new Map(rows.map((r) => [r.id, r]));
    },
    custodianNames: () => new Map(db.prepare('SELECT id, name FROM custodians').raw().all() as [number, string][]),
    messageCopies: () =>
      db
        .prepare(
          `SELECT m.conversation_id, m.id, m.sent_at, o.custodian_id
             FROM messages m JOIN message_occurrences o ON o.message_id = m.id
            WHERE m.kind = 'message' AND m.time_unknown = 0 AND o.custodian_id IS NOT NULL
            ORDER BY m.conversation_id, m.sent_at, m.id`,
        )
        .raw()
        .iterate() as IterableIterator<[number, number, number, number]>,
    datedMessages: () =>
      db
        .prepare(`SELECT conversation_id, id, sent_at FROM messages WHERE kind = 'message' AND time_unknown = 0 ORDER BY conversation_id, sent_at, id`)
        .raw()
        .iterate() as IterableIterator<[number, number, number]>,
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
    sourceSpans: () =>
      db
        .prepare(SOURCE_SPANS)
        .all() as SourceSpan[],
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
    caseSpan: () =>
      db.prepare(`SELECT min(sent_at) AS "from", max(sent_at) AS "to" FROM messages WHERE kind = 'message' AND time_unknown = 0`).get() as {
        from: number | null;
        to: number | null;
      },
  };
}
