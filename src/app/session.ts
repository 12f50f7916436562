/**
 * An open case: its connection and the people and settings every operation needs.
 * The CLI opens one per command; the app and the loopback server keep one open.
 */
import os from 'node:os';
import { createCase, openCase, readMeta } from '../case/store.ts';
import { recoverStaleWork } from '../case/lock.ts';
import { cleanAbandonedProductions } from '../production/abandoned.ts';
import type { CreateOptions, DB, OpenOptions } from '../case/store.ts';

export interface CaseSession {
  db: DB;
  path: string;
  schemaVersion: number;
  /** Who is acting: the examiner recorded in the audit log. */
  actor: string;
  displayTz: string;
  close(): void;
}

function wrap(db: DB, file: string, schemaVersion: number, actor?: string): CaseSession {
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
  return wrap(opened.db, file, opened.schemaVersion, opts.actor);
}

export function createSession(file: string, passphrase: string, meta: CreateOptions = {}, opts: OpenOptions = {}): CaseSession {
  const created = createCase(file, passphrase, meta, opts);
  return wrap(created.db, file, created.schemaVersion, meta.examiner);
}
