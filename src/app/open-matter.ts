/**
 * Opening a matter of the matter server (its schema on PostgreSQL) as a case file is opened: a run
 * a killed process left behind is rolled back first (its lock names a process that is gone). Apart
 * from open-session.ts so that what never opens a matter (the desktop app) never loads PostgreSQL.
 */
import { openPostgresData } from '../case/data/postgres/index.ts';
import { sessionOnData } from '../case/session.ts';
import type { CaseSession } from '../case/session.ts';
import { recoverOnOpen } from './open-session.ts';

export function openMatterSession(databaseUrl: string, matter: string, opts: { actor?: string } = {}): CaseSession {
  const data = openPostgresData(databaseUrl, { matter });
  let session: CaseSession;
  try {
    session = sessionOnData(data, `matter ${matter}`, data.schemaVersion, opts.actor);
  } catch (err) {
    data.close();
    throw err;
  }
  recoverOnOpen(session);
  return session;
}
