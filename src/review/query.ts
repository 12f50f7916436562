/** The one place review asks search which messages a query matches, and tells it what was removed. */
import { HoldfastError } from '../api/errors.ts';
import type { CaseSession } from '../session/session.ts';

export async function queryMessageIds(session: CaseSession, query: string, opts: { includePersonal?: boolean } = {}): Promise<number[]> {
  void session;
  void opts;
  throw new HoldfastError('VALIDATION', `Search is not available yet, so the query "${query}" cannot be evaluated.`);
}

export async function removeMessagesFromIndex(session: CaseSession, ids: readonly number[]): Promise<void> {
  void session;
  void ids;
}
