/**
 * What "reviewed" means, in one place: a coding or privilege tag (issue tags alone do not decide
 * it), or a reviewer's mark in `message_reviews` (read, nothing to code). Search's `reviewed:`,
 * the progress counts and the message DTOs all read it from here.
 */
import type { DB } from './store.ts';

/** SQL true when the message `alias.id` is reviewed. */
export function reviewedSql(alias: string): string {
  return `(EXISTS (SELECT 1 FROM message_reviews r WHERE r.message_id = ${alias}.id)
    OR EXISTS (SELECT 1 FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.message_id = ${alias}.id AND t.kind IN ('coding','privilege')))`;
}

/** Every reviewed message id. */
export function reviewedIds(db: DB): number[] {
  return db
    .prepare(
      `SELECT message_id FROM message_reviews UNION
       SELECT mt.message_id FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE t.kind IN ('coding','privilege')`,
    )
    .pluck()
    .all() as number[];
}
