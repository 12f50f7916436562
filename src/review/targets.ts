/**
 * What a review action applies to: a selection of messages, a review unit, a whole conversation,
 * or every result of a query. Resolved to message ids, with a description for the audit entry.
 */
import { HoldfastError } from '../api/errors.ts';
import type { CaseSession } from '../case/session.ts';
import { dataOf } from '../case/data/index.ts';
import { cleanIds, requireConversation, requireMessages } from './ids.ts';
import { unitMessageIds } from './units.ts';
import { parseUnitKey } from '../case/review-units.ts';
import { queryMessageIds } from './query.ts';

export interface MessageTarget {
  messageIds?: readonly number[];
  /** A review unit key, CONVERSATION:YYYY-MM-DD:PART. */
  unit?: string;
  conversationId?: number;
  /** Every result of this search query (personal conversations excluded, as in search). */
  query?: string;
}

export type TargetDescription =
  | { messages: number[] }
  | { unit: string; timeZone: string }
  | { conversationId: number }
  | { query: string };

export interface ResolvedTarget {
  ids: number[];
  description: TargetDescription;
}

export function resolveTarget(session: CaseSession, target: MessageTarget): ResolvedTarget {
  const given = (['messageIds', 'unit', 'conversationId', 'query'] as const).filter((k) => target[k] !== undefined);
  if (given.length !== 1) {
    throw new HoldfastError('VALIDATION', 'Say what to act on: exactly one of messages, a review unit, a conversation or a query.', { given: [...given] });
  }
  if (target.messageIds !== undefined) {
    const ids = cleanIds(target.messageIds);
    if (ids.length === 0) throw new HoldfastError('VALIDATION', 'The selection is empty: name at least one message.');
    requireMessages(dataOf(session), ids);
    return { ids, description: { messages: ids } };
  }
  if (target.unit !== undefined) {
    const ref = parseUnitKey(target.unit);
    return { ids: unitMessageIds(session, ref), description: { unit: `${ref.conversationId}:${ref.day}:${ref.part}`, timeZone: session.displayTz } };
  }
  if (target.conversationId !== undefined) {
    requireConversation(dataOf(session), target.conversationId);
    const ids = dataOf(session).read.messages.idsInConversation(target.conversationId);
    return { ids, description: { conversationId: target.conversationId } };
  }
  const query = target.query!.trim();
  if (!query) throw new HoldfastError('VALIDATION', 'The query is empty.');
  return { ids: queryMessageIds(session, query), description: { query } };
}
