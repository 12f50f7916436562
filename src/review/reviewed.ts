/**
 * Marking messages reviewed (read, nothing to code) and counting review progress; what counts as
 * reviewed is src/case/review-status.ts. Marks are audited (`review.mark`, `review.unmark`) with the
 * messages they changed.
 */
import type { ReviewMarkResultDTO, ReviewProgressDTO } from '../api/dto.ts';
import type { CaseSession } from '../case/session.ts';
import { reviewedIds, reviewedSql } from '../case/review-status.ts';
import { matchingMessageIds } from '../search/search.ts';
import { appendAuditItems } from './audit-items.ts';
import { requireConversation } from './ids.ts';
import { IN_IDS, jsonIds } from '../case/data/sqlcipher/ids.ts';
import { resolveTarget } from './targets.ts';
import { dataOf } from '../case/data/index.ts';
import type { MessageTarget } from './targets.ts';

/** Marks the target reviewed (or takes the mark off); messages already so are left as they are. */
export function markReviewed(session: CaseSession, args: MessageTarget & { reviewed: boolean }): ReviewMarkResultDTO {
  const { ids, description } = resolveTarget(session, args);
  const db = session.db;
  return db.transaction(() => {
    const marked = new Set(db.prepare(`SELECT message_id FROM message_reviews WHERE message_id ${IN_IDS}`).pluck().all(jsonIds(ids)) as number[]);
    const changed = ids.filter((id) => marked.has(id) !== args.reviewed);
    const at = Date.now();
    if (changed.length) {
      if (args.reviewed) db.prepare('INSERT INTO message_reviews(message_id, by, at) SELECT value, ?, ? FROM json_each(?)').run(session.actor, at, jsonIds(changed));
      else db.prepare(`DELETE FROM message_reviews WHERE message_id ${IN_IDS}`).run(jsonIds(changed));
      appendAuditItems(db, session.actor, args.reviewed ? 'review.mark' : 'review.unmark', changed, (slice) => ({
        target: description, selected: ids.length, changed: changed.length, messageIds: slice,
        before: { marked: !args.reviewed }, after: { marked: args.reviewed },
      }), at);
    }
    // Still reviewed after an unmark: those carry a coding tag.
    const coded = args.reviewed
      ? 0
      : (db.prepare(`SELECT count(*) FROM messages m WHERE m.id ${IN_IDS} AND ${reviewedSql('m')}`).pluck().get(jsonIds(ids)) as number);
    return { reviewed: args.reviewed, selected: ids.length, changed: changed.length, stillCoded: coded };
  })();
}

/** How many of a search's results, or of a conversation's messages, are reviewed. */
export function reviewProgress(session: CaseSession, args: { query?: string; conversationId?: number; includePersonal?: boolean }): ReviewProgressDTO {
  const db = session.db;
  if (args.conversationId !== undefined) {
    requireConversation(db, args.conversationId);
    const [total, reviewed] = db
      .prepare(`SELECT count(*), coalesce(sum(${reviewedSql('m')}), 0) FROM messages m WHERE m.conversation_id = ?`)
      .raw()
      .get(args.conversationId) as [number, number];
    return { total, reviewed };
  }
  const ids = matchingMessageIds(session, args.query ?? '', { includePersonal: args.includePersonal ?? false });
  // Counted in memory: a million-id IN list would not be quick, and the query is never rewritten.
  const reviewed = new Set(reviewedIds(db));
  let n = 0;
  for (const id of ids) if (reviewed.has(id)) n++;
  return { total: ids.length, reviewed: n };
}

/** Those of `ids` that are reviewed: the results grid's per-row mark. */
export function reviewedAmong(session: CaseSession, args: { ids: readonly number[] }): number[] {
  return dataOf(session).read.reviewStatus.reviewedOf(args.ids);
}
