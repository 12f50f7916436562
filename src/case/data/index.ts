/** The open case's data access: the SQLCipher implementation of the data interface, one per open case. */
import type { CaseSession } from '../session.ts';
import type { DB } from './sqlcipher/connection.ts';
import type { CaseData, SearchDocReader } from './interface.ts';
import { sqlcipherData } from './sqlcipher/index.ts';
import { openConnection } from './sqlcipher/connection.ts';
import { searchDocReader } from './sqlcipher/search-docs.ts';

export type { CreateOptions, OpenedCase, OpenOptions } from './sqlcipher/connection.ts';
import { rekeyCase } from './sqlcipher/connection.ts';
export { rekeyMigrationBackups } from './sqlcipher/connection.ts';
export { isSqliteCode, mapSqliteError } from './sqlcipher/sqlite-errors.ts';

/** Changes the open case's passphrase in place. */
export function rekeyOpenCase(session: CaseSession, newPassphrase: string): void {
  rekeyCase(session.db, newPassphrase);
}

export function dataOf(session: CaseSession): CaseData {
  return session.own('data', () => sqlcipherData(session.db));
}

/**
 * For the entry points that open a connection without an open case around it (creating or opening
 * the file, releasing a terminated worker's lock): the same interface on that connection.
 */
export function dataOfConnection(db: DB): CaseData {
  return sqlcipherData(db);
}

/**
 * A read-only connection of its own to an open case's file, for a worker thread that reads messages
 * for a search alongside the case's own connection (WAL: readers do not block each other).
 */
export function openSearchDocs(file: string, passphrase: string): { docs: SearchDocReader; close(): void } {
  const { db } = openConnection(file, passphrase, { readonly: true });
  // It reads each page once, in order: a small cache it reuses, not the case connection's 64 MB it would
  // allocate page by page (at 1M messages that growth cost the worker about a sixth of its scan).
  db.pragma('cache_size = -2048');
  return { docs: searchDocReader(db), close: () => db.close() };
}
