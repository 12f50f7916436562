/** Opening an existing case: the connection, then recovery of work a crashed run left behind. */
import { openCase } from '../case/open.ts';
import type { OpenOptions } from '../case/data/index.ts';
import { recoverStaleWork } from '../case/lock.ts';
import { sessionFor } from '../case/session.ts';
import type { CaseSession } from '../case/session.ts';
import { cleanAbandonedProductions } from '../production/abandoned.ts';

export function openSession(file: string, passphrase: string, opts: OpenOptions & { actor?: string } = {}): CaseSession {
  const opened = openCase(file, passphrase, opts);
  if (!opts.readonly) {
    try {
      recoverStaleWork(opened.db);
      cleanAbandonedProductions(opened.db);
    } catch (err) {
      opened.db.close();
      throw err;
    }
  }
  return sessionFor(opened.db, file, opened.schemaVersion, opts.actor);
}
