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
 * For code handed only the connection (inside a caller's transaction, the import worker): the same
 * interface on that connection. It goes as those signatures take the open case instead.
 */
export function dataOfConnection(db: DB): CaseData {
  return sqlcipherData(db);
}
