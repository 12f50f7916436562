/**
 * Tagging from a gap finding: the finding's messages and those around them in its conversation
 * (the same evidence the findings report lists) get the chosen tag, as one coding change (undoable
 * like any other), and a `gaps.tag` audit entry names the finding it came from.
 */
import type { FindingTagResultDTO } from '../api/analysis-dto.ts';
import { HoldfastError } from '../api/errors.ts';
import { evidenceIds } from '../analysis/gaps/findings.ts';
import { appendAudit } from '../case/audit.ts';
import type { CaseSession } from '../case/session.ts';
import { tagMessages } from '../review/tags.ts';
import { dataOf } from '../case/data/index.ts';

export function tagFinding(
  session: CaseSession,
  args: { tag: string | number; finding: string; conversationId: number; messageIds: readonly number[]; around: number },
): FindingTagResultDTO {
  const data = dataOf(session);
  return data.write.transaction.run(() => {
    const ids = evidenceIds(session, args.conversationId, args.messageIds, args.around);
    if (!ids.length) throw new HoldfastError('NOT_FOUND', `None of the finding's messages is in conversation ${args.conversationId}.`, { conversationId: args.conversationId });
    const result = tagMessages(session, { tag: args.tag, messageIds: ids });
    appendAudit(dataOf(session), session.actor, 'gaps.tag', {
      finding: args.finding, conversationId: args.conversationId, findingMessageIds: [...args.messageIds], around: args.around, tag: result.tag, messageIds: ids, change: result.change,
    });
    return { ...result, messageIds: ids };
  });
}
