/** Opening an existing case: the connection, then recovery of work a crashed run left behind. */
import { openCase } from '../case/open.ts';
import { dataOf } from '../case/data/index.ts';
import type { OpenOptions } from '../case/data/index.ts';
import { recoverStaleWork } from '../case/lock.ts';
import { sessionFor } from '../case/session.ts';
import type { CaseSession } from '../case/session.ts';
import { cleanAbandonedProductions } from '../production/abandoned.ts';

export function openSession(file: string, passphrase: string, opts: OpenOptions & { actor?: string } = {}): CaseSession {
  const opened = openCase(file, passphrase, opts);
  const session = sessionFor(opened.db, file, opened.schemaVersion, opts.actor);
  if (!opts.readonly) recoverOnOpen(session);
  return session;
}

/** Rolls back the run a dead writer left and removes its half-written production folders (closes the session if that fails). */
export function recoverOnOpen(session: CaseSession): void {
  try {
    recoverStaleWork(dataOf(session));
    cleanAbandonedProductions(dataOf(session));
  } catch (err) {
    session.close();
    throw err;
  }
}
