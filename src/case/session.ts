/**
 * An open case: its connection and the people and settings every operation needs.
 * The CLI opens one per command; the app and the loopback server keep one open. Opening an
 * existing case with its crash recovery is the app layer's (app/open-session.ts).
 */
import os from 'node:os';
import { createCase, readMeta } from './store.ts';
import type { CreateOptions, DB, OpenOptions } from './store.ts';

export interface CaseSession {
  db: DB;
  path: string;
  schemaVersion: number;
  /** Who is acting: the examiner recorded in the audit log. */
  actor: string;
  displayTz: string;
  close(): void;
}

export function sessionFor(db: DB, file: string, schemaVersion: number, actor?: string): CaseSession {
  return {
    db,
    path: file,
    schemaVersion,
    actor: actor ?? process.env.HOLDFAST_EXAMINER ?? readMeta(db, 'examiner') ?? os.userInfo().username,
    displayTz: readMeta(db, 'display_tz') ?? 'UTC',
    close() {
      if (db.open) db.close();
    },
  };
}

export function createSession(file: string, passphrase: string, meta: CreateOptions = {}, opts: OpenOptions = {}): CaseSession {
  const created = createCase(file, passphrase, meta, opts);
  return sessionFor(created.db, file, created.schemaVersion, meta.examiner);
}
