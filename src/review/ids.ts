/** Ids given by reviewers: checked, and required to exist in the case. */
import { HoldfastError } from '../api/errors.ts';
import type { CaseData } from '../case/data/interface.ts';

/** Distinct, ascending ids; rejects anything that is not a positive whole number. */
export function cleanIds(ids: readonly number[], what = 'message'): number[] {
  for (const id of ids) {
    if (!Number.isSafeInteger(id) || id <= 0) throw new HoldfastError('VALIDATION', `"${String(id)}" is not a ${what} id (a positive whole number).`);
  }
  return [...new Set(ids)].sort((a, b) => a - b);
}

/** Throws NOT_FOUND naming the first few ids that are not messages in the case. */
export function requireMessages(data: CaseData, ids: readonly number[]): void {
  const found = new Set(data.read.messages.existing(ids));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length) {
    const shown = missing.slice(0, 10).join(', ');
    throw new HoldfastError('NOT_FOUND', `No message with id ${shown}${missing.length > 10 ? ` (and ${missing.length - 10} more)` : ''} in this case.`, { missing: missing.slice(0, 100) });
  }
}

export function requireConversation(data: CaseData, conversationId: number): { id: number; name: string | null; personal: number; platform: string; kind: string } {
  const row = data.read.conversations.brief(conversationId);
  if (!row) throw new HoldfastError('NOT_FOUND', `No conversation with id ${conversationId} in this case.`, { conversationId });
  return row;
}

export function requireMessage(data: CaseData, messageId: number): void {
  if (!data.read.messages.exists(messageId)) {
    throw new HoldfastError('NOT_FOUND', `No message with id ${messageId} in this case.`, { messageId });
  }
}
