import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { DB } from './connection.ts';

/**
 * A statement prepared on first use and kept with the data object (one per open case), for reads on
 * hot paths: preparing costs about as much as running one.
 */
export function lazyStatement(db: DB, sql: string, shape: (s: Statement) => Statement = (s) => s): () => Statement {
  let stmt: Statement | undefined;
  return () => (stmt ??= shape(db.prepare(sql)));
}
