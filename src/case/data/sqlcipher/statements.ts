import type Database from 'better-sqlite3-multiple-ciphers';
import type { DB } from './connection.ts';

type Statement = Database.Statement<unknown[]>;

/**
 * Statements prepared on first use and kept for the data object's life (one per open case), so a
 * read repeated per batch of a million-message production is not prepared again each time. Each
 * SQL text must be used in one mode only (raw, pluck or rows): the mode is the statement's.
 */
export function statementCache(db: DB): (sql: string) => Statement {
  const cache = new Map<string, Statement>();
  return (sql) => {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = db.prepare<unknown[]>(sql);
      // IN lists differ in length by batch; keep the cache from growing without bound.
      if (cache.size > 200) cache.clear();
      cache.set(sql, stmt);
    }
    return stmt;
  };
}

/** Below SQLite's parameter limit: ids go to `IN (?, …)` lists this many at a time. */
export const SLICE = 500;

/** `(?, ?, …)` for `n` parameters. */
export function marks(n: number): string {
  return Array(n).fill('?').join(',');
}

/** The rows `read` returns for each slice of `ids`, concatenated in slice order. */
export function inSlices<T>(ids: readonly number[], read: (slice: readonly number[]) => T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += SLICE) for (const row of read(ids.slice(i, i + SLICE))) out.push(row);
  return out;
}
