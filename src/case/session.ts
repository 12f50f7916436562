/**
 * An open case: its connection and the people and settings every operation needs.
 * The CLI opens one per command; the app and the loopback server keep one open. Opening an
 * existing case with its crash recovery is the app layer's (app/open-session.ts).
 */
import os from 'node:os';
import { HoldfastError } from '../api/errors.ts';
import { requestActor } from './actor.ts';
import type { CaseData } from './data/interface.ts';
import { createCase } from './open.ts';
import type { DB } from './data/sqlcipher/connection.ts';
import { readMeta } from './data/sqlcipher/meta.ts';
import type { CreateOptions, OpenOptions } from './data/index.ts';

export interface CaseSession {
  db: DB;
  path: string;
  schemaVersion: number;
  /** Who is acting: the examiner recorded in the audit log, or the account of the server request (actor.ts). */
  readonly actor: string;
  displayTz: string;
  /**
   * What a feature keeps for this open case (the search index), created on first use and dropped
   * when the case closes: per-case state lives with the case, not in module-level maps.
   */
  own<T extends object>(key: string, create: () => T): T;
  isOpen(): boolean;
  close(): void;
}

export function sessionFor(db: DB, file: string, schemaVersion: number, actor?: string): CaseSession {
  const owned = new Map<string, object>();
  // Who acts: the one the caller names (the CLI's HOLDFAST_EXAMINER, a job's account), else the case's examiner, else the OS user.
  const examiner = actor ?? readMeta(db, 'examiner') ?? os.userInfo().username;
  return {
    db,
    path: file,
    schemaVersion,
    get actor() {
      return requestActor() ?? examiner;
    },
    displayTz: readMeta(db, 'display_tz') ?? 'UTC',
    own<T extends object>(key: string, create: () => T): T {
      let v = owned.get(key);
      if (!v) owned.set(key, (v = create()));
      return v as T;
    },
    isOpen: () => db.open,
    close() {
      owned.clear();
      if (db.open) db.close();
    },
  };
}

/**
 * A matter of the matter server: its data object (PostgreSQL) is the open case. It has no file and no
 * SQLite connection; what still needs one (rekeying a case file) is refused.
 */
export function sessionOnData(data: CaseData & { close(): void }, label: string, schemaVersion: number, actor?: string): CaseSession {
  const owned = new Map<string, object>([['data', data]]);
  const examiner = actor ?? data.read.caseMeta.get('examiner') ?? os.userInfo().username;
  let open = true;
  return {
    get db(): DB {
      throw new HoldfastError('VALIDATION', `${label} is a matter on the server, not a case file: this needs a case file.`);
    },
    path: label,
    schemaVersion,
    get actor() {
      return requestActor() ?? examiner;
    },
    displayTz: data.read.caseMeta.get('display_tz') ?? 'UTC',
    own<T extends object>(key: string, create: () => T): T {
      let v = owned.get(key);
      if (!v) owned.set(key, (v = create()));
      return v as T;
    },
    isOpen: () => open,
    close() {
      if (!open) return;
      open = false;
      owned.clear();
      data.close();
    },
  };
}

export function createSession(file: string, passphrase: string, meta: CreateOptions = {}, opts: OpenOptions = {}, fill?: (data: CaseData, at: number) => void): CaseSession {
  const created = createCase(file, passphrase, meta, opts, fill);
  return sessionFor(created.db, file, created.schemaVersion, meta.examiner);
}
