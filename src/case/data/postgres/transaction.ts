import type { Bridge } from './bridge.ts';
import type { TransactionWriter } from '../interface.ts';

/**
 * Transactions on the bridge's one connection, as better-sqlite3 has them: a nested run is a
 * savepoint of the outer. PostgreSQL has no deferred or immediate BEGIN (rows lock as they are
 * written), so `immediate` is `run`.
 */
export function transactionWriter(b: Bridge): TransactionWriter {
  const run = <T>(fn: () => T): T => {
    const savepoint = b.depth > 0 ? `sp${b.depth}` : undefined;
    b.exec(savepoint ? `SAVEPOINT ${savepoint}` : 'BEGIN');
    b.depth++;
    let out: T;
    try {
      out = fn();
    } catch (e) {
      b.depth--;
      try {
        b.exec(savepoint ? `ROLLBACK TO SAVEPOINT ${savepoint}; RELEASE SAVEPOINT ${savepoint}` : 'ROLLBACK');
      } catch {
        // The connection is gone (a timeout closed it): the server rolls the transaction back itself.
      }
      throw e;
    }
    b.depth--;
    b.exec(savepoint ? `RELEASE SAVEPOINT ${savepoint}` : 'COMMIT');
    return out;
  };
  const end = (sql: string) => {
    b.depth = 0;
    b.exec(sql);
  };
  return {
    run,
    immediate: run,
    begin: () => {
      b.exec('BEGIN');
      b.depth = 1;
    },
    commit: () => end('COMMIT'),
    rollback: () => end('ROLLBACK'),
    active: () => b.depth > 0,
  };
}
