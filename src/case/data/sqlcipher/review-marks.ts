import type { DB } from './connection.ts';
import type { ReviewMarkReader, ReviewMarkWriter } from '../interface.ts';
import { IN_IDS, jsonIds } from './ids.ts';

/** SQL true when the message `alias.id` is reviewed: a reviewer's mark, or a coding or privilege tag. */
export function reviewedSql(alias: string): string {
  return `(EXISTS (SELECT 1 FROM message_reviews r WHERE r.message_id = ${alias}.id)
    OR EXISTS (SELECT 1 FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.message_id = ${alias}.id AND t.kind IN ('coding','privilege')))`;
}

export function reviewMarkReader(db: DB): ReviewMarkReader {
  return {
    marked: (ids) => db.prepare(`SELECT message_id FROM message_reviews WHERE message_id ${IN_IDS}`).pluck().all(jsonIds(ids)) as number[],
    countReviewed: (ids) => db.prepare(`SELECT count(*) FROM messages m WHERE m.id ${IN_IDS} AND ${reviewedSql('m')}`).pluck().get(jsonIds(ids)) as number,
    conversationProgress: (conversationId) =>
      db
        .prepare(`SELECT count(*), coalesce(sum(${reviewedSql('m')}), 0) FROM messages m WHERE m.conversation_id = ?`)
        .raw()
        .get(conversationId) as [number, number],
    reviewedIds: () =>
      db
        .prepare(
          `SELECT message_id FROM message_reviews UNION
       SELECT mt.message_id FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE t.kind IN ('coding','privilege')`,
        )
        .pluck()
        .all() as number[],
    reviewedOf: (ids) => db.prepare(`SELECT m.id FROM messages m WHERE m.id ${IN_IDS} AND ${reviewedSql('m')} ORDER BY m.id`).pluck().all(jsonIds(ids)) as number[],
    codedTimeline: (conversationId) =>
      db
        .prepare(
          `SELECT m.sent_at, m.kind = 'message', EXISTS (SELECT 1 FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.message_id = m.id AND t.kind IN ('coding','privilege'))
           FROM messages m WHERE m.conversation_id = ? ORDER BY m.sent_at, m.id`,
        )
        .raw()
        .iterate(conversationId) as IterableIterator<[number, number, number]>,
  };
}

export function reviewMarkWriter(db: DB): ReviewMarkWriter {
  return {
    mark: (ids, by, at) => {
      db.prepare('INSERT INTO message_reviews(message_id, by, at) SELECT value, ?, ? FROM json_each(?)').run(by, at, jsonIds(ids));
    },
    unmark: (ids) => {
      db.prepare(`DELETE FROM message_reviews WHERE message_id ${IN_IDS}`).run(jsonIds(ids));
    },
  };
}
