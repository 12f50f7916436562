import type { DB } from './connection.ts';
import type { TransactionWriter } from '../interface.ts';

export function transactionWriter(db: DB): TransactionWriter {
  return {
    run: (fn) => db.transaction(fn)(),
    immediate: (fn) => db.transaction(fn).immediate(),
    begin: () => db.exec('BEGIN IMMEDIATE'),
    commit: () => db.exec('COMMIT'),
    rollback: () => db.exec('ROLLBACK'),
    active: () => db.inTransaction,
  };
}
