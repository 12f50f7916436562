/**
 * Marking messages reviewed (read, nothing to code) and counting review progress; what counts as
 * reviewed is src/case/review-status.ts. Marks are audited (`review.mark`, `review.unmark`) with the
 * messages they changed.
 */
import type { ReviewMarkResultDTO, ReviewProgressDTO } from '../api/dto.ts';
import type { CaseSession } from '../case/session.ts';
import { reviewedIds } from '../case/review-status.ts';
import { dataOf } from '../case/data/index.ts';
import { matchingMessageIds } from '../search/search.ts';
import { appendAuditItems } from './audit-items.ts';
import { requireConversation } from './ids.ts';
import { resolveTarget } from './targets.ts';
import type { MessageTarget } from './targets.ts';

/** Marks the target reviewed (or takes the mark off); messages already so are left as they are. */
export function markReviewed(session: CaseSession, args: MessageTarget & { reviewed: boolean }): ReviewMarkResultDTO {
  const { ids, description } = resolveTarget(session, args);
  const data = dataOf(session);
  const { read, write } = dataOf(session);
  return data.write.transaction.run(() => {
    const marked = new Set(read.reviewMarks.marked(ids));
    const changed = ids.filter((id) => marked.has(id) !== args.reviewed);
    const at = Date.now();
    if (changed.length) {
      if (args.reviewed) write.reviewMarks.mark(changed, session.actor, at);
      else write.reviewMarks.unmark(changed);
      appendAuditItems(data, session.actor, args.reviewed ? 'review.mark' : 'review.unmark', changed, (slice) => ({
        target: description, selected: ids.length, changed: changed.length, messageIds: slice,
        before: { marked: !args.reviewed }, after: { marked: args.reviewed },
      }), at);
    }
    // Still reviewed after an unmark: those carry a coding tag.
    const coded = args.reviewed ? 0 : read.reviewMarks.countReviewed(ids);
    return { reviewed: args.reviewed, selected: ids.length, changed: changed.length, stillCoded: coded };
  });
}

/** How many of a search's results, or of a conversation's messages, are reviewed. */
export function reviewProgress(session: CaseSession, args: { query?: string; conversationId?: number; includePersonal?: boolean }): ReviewProgressDTO {
  const data = dataOf(session);
  if (args.conversationId !== undefined) {
    requireConversation(data, args.conversationId);
    const [total, reviewed] = dataOf(session).read.reviewMarks.conversationProgress(args.conversationId);
    return { total, reviewed };
  }
  const ids = matchingMessageIds(session, args.query ?? '', { includePersonal: args.includePersonal ?? false });
  // Counted in memory: a million-id IN list would not be quick, and the query is never rewritten.
  const reviewed = new Set(reviewedIds(data));
  let n = 0;
  for (const id of ids) if (reviewed.has(id)) n++;
  return { total: ids.length, reviewed: n };
}

/** Those of `ids` that are reviewed: the results grid's per-row mark. */
export function reviewedAmong(session: CaseSession, args: { ids: readonly number[] }): number[] {
  return dataOf(session).read.reviewMarks.reviewedOf(args.ids);
}
