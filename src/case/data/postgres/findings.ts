import type { Bridge } from './bridge.ts';
import type { FindingReader } from '../interface.ts';

export function findingReader(b: Bridge): FindingReader {
  return {
    deletedCopies: () =>
      b.rows<[number, number, number, number | null]>(
        `SELECT m.conversation_id, m.id, m.sent_at, o.custodian_id
           FROM messages m LEFT JOIN message_occurrences o ON o.message_id = m.id
          WHERE m.deleted = 1 AND m.kind = 'message' AND m.time_unknown = 0
          ORDER BY m.conversation_id, m.sent_at, m.id, o.source_id`,
      ).values(),
    around: (conversationId, ids, around) => {
      const ends = b.rows<[number, number]>('SELECT sent_at, id FROM messages WHERE conversation_id = $1 AND id = ANY($2::bigint[]) ORDER BY sent_at, id', [conversationId, ids]);
      if (!ends.length) return [];
      const [fromAt, fromId] = ends[0]!;
      const [toAt, toId] = ends.at(-1)!;
      const before = b.column<number>('SELECT id FROM messages WHERE conversation_id = $1 AND (sent_at, id) < ($2, $3) ORDER BY sent_at DESC, id DESC LIMIT $4', [conversationId, fromAt, fromId, around]);
      const span = b.column<number>(
        'SELECT id FROM messages WHERE conversation_id = $1 AND (sent_at, id) >= ($2, $3) AND (sent_at, id) <= ($4, $5) ORDER BY sent_at, id',
        [conversationId, fromAt, fromId, toAt, toId],
      );
      const after = b.column<number>('SELECT id FROM messages WHERE conversation_id = $1 AND (sent_at, id) > ($2, $3) ORDER BY sent_at, id LIMIT $4', [conversationId, toAt, toId, around]);
      return [...before.reverse(), ...span, ...after];
    },
    provenance: (ids) =>
      b.rows<[number, string | null, string]>(
        `SELECT o.message_id, c.name, s.name FROM message_occurrences o JOIN sources s ON s.id = o.source_id LEFT JOIN custodians c ON c.id = o.custodian_id
         WHERE o.message_id = ANY($1::bigint[]) ORDER BY o.message_id, s.id`,
        [ids],
      ),
  };
}
