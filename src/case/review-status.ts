/**
 * What "reviewed" means, in one place: a coding or privilege tag (issue tags alone do not decide
 * it), or a reviewer's mark in `message_reviews` (read, nothing to code). Search's `reviewed:`,
 * the progress counts and the message DTOs all read it through the data interface's review marks
 * (the SQLCipher form is reviewedSql in data/sqlcipher/review-marks.ts).
 */
import type { CaseData } from './data/interface.ts';

/** Every reviewed message id. */
export function reviewedIds(data: CaseData): number[] {
  return data.read.reviewMarks.reviewedIds();
}
