import type { Bridge } from './bridge.ts';
import type { ReviewMarkReader, ReviewMarkWriter } from '../interface.ts';

/** SQL true when the message `alias.id` carries a coding or privilege tag. */
export const coded = (alias: string) => `EXISTS (SELECT 1 FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.message_id = ${alias}.id AND t.kind IN ('coding','privilege'))`;
/** SQL true when the message `alias.id` is reviewed: a reviewer's mark, or coded (src/case/review-status.ts). */
export const reviewed = (alias: string) => `(EXISTS (SELECT 1 FROM message_reviews r WHERE r.message_id = ${alias}.id) OR ${coded(alias)})`;

export function reviewMarkReader(b: Bridge): ReviewMarkReader {
  return {
    marked: (ids) => b.column<number>('SELECT message_id FROM message_reviews WHERE message_id = ANY($1::bigint[]) ORDER BY message_id', [ids]),
    countReviewed: (ids) => b.value<number>(`SELECT count(*) FROM messages m WHERE m.id = ANY($1::bigint[]) AND ${reviewed('m')}`, [ids]) ?? 0,
    conversationProgress: (conversationId) =>
      b.rows<[number, number]>(`SELECT count(*), count(*) FILTER (WHERE ${reviewed('m')}) FROM messages m WHERE m.conversation_id = $1`, [conversationId])[0]!,
    reviewedIds: () =>
      b.column<number>(
        `SELECT message_id FROM message_reviews UNION
         SELECT mt.message_id FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE t.kind IN ('coding','privilege') ORDER BY 1`,
      ),
    reviewedOf: (ids) => b.column<number>(`SELECT m.id FROM messages m WHERE m.id = ANY($1::bigint[]) AND ${reviewed('m')} ORDER BY m.id`, [ids]),
    codedTimeline: (conversationId) =>
      b.rows<[number, number, number]>(`SELECT m.sent_at, (m.kind = 'message')::int, (${coded('m')})::int FROM messages m WHERE m.conversation_id = $1 ORDER BY m.sent_at, m.id`, [conversationId]).values(),
  };
}

export function reviewMarkWriter(b: Bridge): ReviewMarkWriter {
  return {
    mark: (ids, by, at) => {
      b.run('INSERT INTO message_reviews(message_id, by, at) SELECT unnest($1::bigint[]), $2, $3', [ids, by, at]);
    },
    unmark: (ids) => {
      b.run('DELETE FROM message_reviews WHERE message_id = ANY($1::bigint[])', [ids]);
    },
  };
}
