import type { DB } from '../../store.ts';
import { reviewedSql } from '../../review-status.ts';
import type { ReviewStatusReader } from '../interface.ts';
import { IN_IDS, jsonIds } from './ids.ts';

export function reviewStatusReader(db: DB): ReviewStatusReader {
  return {
    reviewedOf: (ids) => db.prepare(`SELECT m.id FROM messages m WHERE m.id ${IN_IDS} AND ${reviewedSql('m')} ORDER BY m.id`).pluck().all(jsonIds(ids)) as number[],
  };
}
