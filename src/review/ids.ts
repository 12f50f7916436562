/** Ids given by reviewers: checked, and required to exist in the case. */
import { HoldfastError } from '../api/errors.ts';
import type { DB } from '../case/data/sqlcipher/connection.ts';
import { dataOfConnection } from '../case/data/index.ts';

/** Distinct, ascending ids; rejects anything that is not a positive whole number. */
export function cleanIds(ids: readonly number[], what = 'message'): number[] {
  for (const id of ids) {
    if (!Number.isSafeInteger(id) || id <= 0) throw new HoldfastError('VALIDATION', `"${String(id)}" is not a ${what} id (a positive whole number).`);
  }
  return [...new Set(ids)].sort((a, b) => a - b);
}

/** Throws NOT_FOUND naming the first few ids that are not messages in the case. */
export function requireMessages(db: DB, ids: readonly number[]): void {
  const found = new Set(dataOfConnection(db).read.messages.existing(ids));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length) {
    const shown = missing.slice(0, 10).join(', ');
    throw new HoldfastError('NOT_FOUND', `No message with id ${shown}${missing.length > 10 ? ` (and ${missing.length - 10} more)` : ''} in this case.`, { missing: missing.slice(0, 100) });
  }
}

export function requireConversation(db: DB, conversationId: number): { id: number; name: string | null; personal: number; platform: string; kind: string } {
  const row = dataOfConnection(db).read.conversations.brief(conversationId);
  if (!row) throw new HoldfastError('NOT_FOUND', `No conversation with id ${conversationId} in this case.`, { conversationId });
  return row;
}

export function requireMessage(db: DB, messageId: number): void {
  if (!dataOfConnection(db).read.messages.exists(messageId)) {
    throw new HoldfastError('NOT_FOUND', `No message with id ${messageId} in this case.`, { messageId });
  }
}
