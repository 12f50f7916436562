/**
 * Id lists in SQL. Selections can run to hundreds of thousands of messages, past SQLite's
 * parameter limit, so they travel as one JSON array bound to `json_each(?)`.
 */
import { HoldfastError } from '../api/errors.ts';
import type { DB } from '../case/store.ts';

/** `IN (SELECT value FROM json_each(?))` with this bound to the `?`. */
export function jsonIds(ids: Iterable<number>): string {
  return JSON.stringify([...ids]);
}

export const IN_IDS = 'IN (SELECT value FROM json_each(?))';

/** Distinct, ascending ids; rejects anything that is not a positive whole number. */
export function cleanIds(ids: readonly number[], what = 'message'): number[] {
  for (const id of ids) {
    if (!Number.isSafeInteger(id) || id <= 0) throw new HoldfastError('VALIDATION', `"${String(id)}" is not a ${what} id (a positive whole number).`);
  }
  return [...new Set(ids)].sort((a, b) => a - b);
}

/** Throws NOT_FOUND naming the first few ids that are not messages in the case. */
export function requireMessages(db: DB, ids: readonly number[]): void {
  const found = new Set(db.prepare(`SELECT id FROM messages WHERE id ${IN_IDS}`).pluck().all(jsonIds(ids)) as number[]);
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length) {
    const shown = missing.slice(0, 10).join(', ');
    throw new HoldfastError('NOT_FOUND', `No message with id ${shown}${missing.length > 10 ? ` (and ${missing.length - 10} more)` : ''} in this case.`, { missing: missing.slice(0, 100) });
  }
}

export function requireConversation(db: DB, conversationId: number): { id: number; name: string | null; personal: number; platform: string; kind: string } {
  const row = db.prepare('SELECT id, name, personal, platform, kind FROM conversations WHERE id = ?').get(conversationId) as
    | { id: number; name: string | null; personal: number; platform: string; kind: string }
    | undefined;
  if (!row) throw new HoldfastError('NOT_FOUND', `No conversation with id ${conversationId} in this case.`, { conversationId });
  return row;
}

export function requireMessage(db: DB, messageId: number): void {
  if (!db.prepare('SELECT 1 FROM messages WHERE id = ?').get(messageId)) {
    throw new HoldfastError('NOT_FOUND', `No message with id ${messageId} in this case.`, { messageId });
  }
}
