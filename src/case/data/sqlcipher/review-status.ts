import type { DB } from '../../store.ts';
import { reviewedSql } from './review-marks.ts';
import type { ReviewStatusReader } from '../interface.ts';
import { IN_IDS, jsonIds } from './ids.ts';

export function reviewStatusReader(db: DB): ReviewStatusReader {
  return {
    codedTimeline: (conversationId) =>
      db
        .prepare(
          `SELECT m.sent_at, m.kind = 'message', EXISTS (SELECT 1 FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.message_id = m.id AND t.kind IN ('coding','privilege'))
           FROM messages m WHERE m.conversation_id = ? ORDER BY m.sent_at, m.id`,
        )
        .raw()
        .iterate(conversationId) as IterableIterator<[number, number, number]>,
    reviewedOf: (ids) => db.prepare(`SELECT m.id FROM messages m WHERE m.id ${IN_IDS} AND ${reviewedSql('m')} ORDER BY m.id`).pluck().all(jsonIds(ids)) as number[],
  };
}
