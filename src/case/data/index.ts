/** The open case's data access: the SQLCipher implementation of the data interface, one per open case. */
import type { CaseSession } from '../session.ts';
import type { DB } from './sqlcipher/connection.ts';
import type { CaseData } from './interface.ts';
import { sqlcipherData } from './sqlcipher/index.ts';

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
