/** SQLite's error codes, and the ones the user can act on as typed errors. */
import { HoldfastError } from '../../../api/errors.ts';

export function isSqliteCode(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && (err as { code: unknown }).code === code;
}

/** SQLite failures the user can act on become typed errors; the rest stay as they are. */
export function mapSqliteError(err: unknown, file: string): unknown {
  if (err instanceof HoldfastError) return err;
  if (isSqliteCode(err, 'SQLITE_FULL')) return new HoldfastError('DISK_FULL', `The disk holding ${file} is full. Free space and try again; nothing was lost.`, { file }, { cause: err });
  if (isSqliteCode(err, 'SQLITE_READONLY') || isSqliteCode(err, 'SQLITE_CANTOPEN') || isSqliteCode(err, 'SQLITE_READONLY_DBMOVED')) {
    return new HoldfastError('CASE_READ_ONLY', `${file} cannot be written (read-only file or folder). Check its permissions.`, { file }, { cause: err });
  }
  if (isSqliteCode(err, 'SQLITE_BUSY') || isSqliteCode(err, 'SQLITE_LOCKED')) {
    return new HoldfastError('CASE_BUSY', `${file} is busy with another writer. Try again when it has finished.`, { file }, { cause: err });
  }
  if (isSqliteCode(err, 'SQLITE_CORRUPT') || isSqliteCode(err, 'SQLITE_NOTADB')) {
    return new HoldfastError('NOT_A_CASE', `${file} is damaged or not a Holdfast case.`, { file }, { cause: err });
  }
  return err;
}
