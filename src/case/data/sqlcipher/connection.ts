/**
 * Opening, creating and rekeying the encrypted case file: the SQLCipher implementation's connection.
 * SQLCipher 4 format (`cipher=sqlcipher`, `legacy=4`), so the official SQLCipher 4 client opens
 * a case with the passphrase alone. WAL, journal and temp data are encrypted or kept in memory.
 * The case's own rules on opening (its signing key, the audit entry of its creation) are src/case/open.ts's.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { HoldfastError } from '../../../api/errors.ts';
import { MIGRATIONS } from '../../migrations/index.ts';
import type { Migration } from '../../migrations/types.ts';
import { APP_VERSION } from '../../../version.ts';
import { assertStrongPassphrase } from '../../passphrase-policy.ts';
import { readMeta } from './meta.ts';
import { applyMigrations, backupBeforeMigration } from './migrate.ts';
import { isSqliteCode, mapSqliteError } from './sqlite-errors.ts';

export type DB = Database.Database;

const CASE_FORMAT = 'holdfast-case';

export interface OpenOptions {
  readonly?: boolean;
  /** Migrations to apply (tests pass their own list); defaults to the app's registry. */
  migrations?: readonly Migration[];
  /** better-sqlite3 native binding path (Electron loads an Electron-ABI build). */
  nativeBinding?: string;
}

export interface CreateOptions {
  name?: string;
  examiner?: string;
  displayTz?: string;
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');
const PAGE_SIZE = 4096;

function connect(file: string, passphrase: string, opts: OpenOptions): DB {
  // The desktop app may point every connection (job workers too) at an Electron-ABI build.
  const nativeBinding = opts.nativeBinding ?? process.env.HOLDFAST_SQLITE_BINDING;
  const db = new Database(file, {
    readonly: opts.readonly ?? false,
    fileMustExist: true,
    ...(nativeBinding ? { nativeBinding } : {}),
  });
  db.pragma(`cipher='sqlcipher'`);
  db.pragma('legacy=4');
  const key = Buffer.from(passphrase, 'utf8');
  db.key(key);
  key.fill(0);
  return db;
}

function setSessionPragmas(db: DB, readonly: boolean): void {
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 10000');
  // No temporary files on disk at all: sorts and temp tables stay in memory.
  db.pragma('temp_store = MEMORY');
  if (!readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('cache_size = -65536');
}

/** Tell a wrong passphrase from a file that was never a case. */
function classifyUnreadable(file: string, err: unknown): HoldfastError {
  const size = fs.statSync(file).size;
  const head = Buffer.alloc(Math.min(size, 512));
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  const plainSqlite = head.subarray(0, SQLITE_HEADER.length).equals(SQLITE_HEADER);
  const printable = head.length > 0 && head.every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 0xc2);
  if (size === 0 || plainSqlite || printable || size % PAGE_SIZE !== 0) {
    const what = size === 0 ? 'an empty file' : plainSqlite ? 'an unencrypted SQLite database' : printable ? 'a text file' : 'not a SQLCipher database';
    return new HoldfastError('NOT_A_CASE', `${file} is not a Holdfast case (${what}).`, { file }, { cause: err });
  }
  return new HoldfastError('BAD_PASSPHRASE', `The passphrase does not open ${file}. Check it and try again.`, { file }, { cause: err });
}

export interface OpenedCase {
  db: DB;
  path: string;
  schemaVersion: number;
  /** Set when opening migrated the file: where the pre-migration copy was written. */
  backupPath?: string;
}

/** Opens, checks and migrates a case file; the connection is closed again when any of it fails. */
export function openConnection(file: string, passphrase: string, opts: OpenOptions = {}): OpenedCase {
  if (!fs.existsSync(file)) throw new HoldfastError('NOT_FOUND', `No case file at ${file}.`, { file });
  const migrations = opts.migrations ?? MIGRATIONS;
  let db: DB;
  try {
    db = connect(file, passphrase, opts);
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (err) {
    if (isSqliteCode(err, 'SQLITE_NOTADB')) throw classifyUnreadable(file, err);
    throw mapSqliteError(err, file);
  }
  try {
    setSessionPragmas(db, opts.readonly ?? false);
    const format = readMeta(db, 'format');
    if (format !== CASE_FORMAT) {
      throw new HoldfastError('NOT_A_CASE', `${file} is an encrypted database but not a Holdfast case.`, { file });
    }
    const version = Number(readMeta(db, 'schema_version'));
    const latest = migrations.length;
    if (version > latest) {
      throw new HoldfastError(
        'CASE_FROM_NEWER_VERSION',
        `${file} was written by a newer Holdfast (schema ${version}; this version knows ${latest}). Update Holdfast to open it; the file was not changed.`,
        { file, schemaVersion: version },
      );
    }
    let backupPath: string | undefined;
    if (version < latest) {
      if (opts.readonly) {
        throw new HoldfastError('CASE_READ_ONLY', `${file} needs an upgrade (schema ${version} → ${latest}) and was opened read-only.`, { file });
      }
      backupPath = backupBeforeMigration(db, file, version);
      applyMigrations(db, migrations, version);
    }
    return { db, path: file, schemaVersion: latest, ...(backupPath ? { backupPath } : {}) };
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Creates the case file with its schema and facts. `initialise` runs in the same transaction, and
 * `created` after it; when anything fails the file is removed again.
 */
export function createConnection(
  file: string,
  passphrase: string,
  meta: CreateOptions,
  opts: OpenOptions,
  steps: { initialise(db: DB, at: number): void; created(db: DB): void },
): OpenedCase {
  assertStrongPassphrase(passphrase);
  if (fs.existsSync(file)) throw new HoldfastError('VALIDATION', `${file} already exists; choose another path.`, { file });
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  // Create the file empty first so `fileMustExist` can stay on for every later open.
  fs.writeFileSync(file, '', { flag: 'wx', mode: 0o600 });
  let db: DB | undefined;
  try {
    db = connect(file, passphrase, opts);
    setSessionPragmas(db, false);
    const migrations = opts.migrations ?? MIGRATIONS;
    const now = Date.now();
    const handle = db;
    handle.transaction(() => {
      for (const m of migrations) handle.exec(m.up);
      const put = handle.prepare('INSERT INTO case_meta(key, value) VALUES (?, ?)');
      put.run('format', CASE_FORMAT);
      put.run('schema_version', String(migrations.length));
      put.run('case_id', globalThis.crypto.randomUUID());
      put.run('matter', meta.name ?? path.basename(file).replace(/\.hfcase$/i, ''));
      put.run('examiner', meta.examiner ?? os.userInfo().username);
      put.run('created_at', String(now));
      put.run('app_version', APP_VERSION);
      put.run('display_tz', meta.displayTz ?? 'UTC');
      steps.initialise(handle, now);
    })();
    steps.created(handle);
    return { db, path: file, schemaVersion: migrations.length };
  } catch (err) {
    db?.close();
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    throw mapSqliteError(err, file);
  }
}

/** Changes the passphrase in place; the file is re-encrypted page by page. */
export function rekeyCase(db: DB, newPassphrase: string): void {
  assertStrongPassphrase(newPassphrase);
  // SQLite3 Multiple Ciphers cannot rekey a WAL database: checkpoint, rekey in rollback mode, return to WAL.
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.pragma('journal_mode = DELETE');
  const key = Buffer.from(newPassphrase, 'utf8');
  try {
    db.rekey(key);
  } finally {
    key.fill(0);
    db.pragma('journal_mode = WAL');
  }
}

/**
 * After a rekey: the encrypted copies made before migrations (`CASE.schemaN-….bak`) still open with
 * the old passphrase. Each is re-keyed to the new one; one that does not open with the old
 * passphrase (an even older key) is removed, so no earlier passphrase keeps opening a copy of the case.
 */
export function rekeyMigrationBackups(file: string, oldPassphrase: string, newPassphrase: string, opts: OpenOptions = {}): { rekeyed: string[]; removed: string[] } {
  const dir = path.dirname(path.resolve(file));
  const prefix = `${path.basename(file)}.schema`;
  const out = { rekeyed: [] as string[], removed: [] as string[] };
  for (const name of fs.readdirSync(dir)) {
    if (!name.startsWith(prefix) || !name.endsWith('.bak')) continue;
    const backup = path.join(dir, name);
    let db: DB | undefined;
    try {
      db = connect(backup, oldPassphrase, opts);
      db.prepare('SELECT count(*) FROM sqlite_master').get();
      const key = Buffer.from(newPassphrase, 'utf8');
      db.rekey(key);
      key.fill(0);
      out.rekeyed.push(backup);
    } catch {
      db?.close();
      db = undefined;
      fs.rmSync(backup, { force: true });
      out.removed.push(backup);
    } finally {
      db?.close();
    }
  }
  return out;
}
