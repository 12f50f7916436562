import type Database from 'better-sqlite3-multiple-ciphers';
import type { DB } from './connection.ts';
import { statementCache } from './statements.ts';

/**
 * Statements by SQL text, per connection, for code handed only the connection (the message view is
 * read through dataOfConnection, which makes a new data object per call): reading a million messages
 * in batches of 500 would otherwise compile the same five statements two thousand times each. Only
 * `.all()`/`.get()` statements are cached (an iterating statement cannot be reused while it is open).
 */
const caches = new WeakMap<DB, (sql: string) => Database.Statement<unknown[]>>();
export function prepared(db: DB, sql: string): Database.Statement<unknown[]> {
  let cache = caches.get(db);
  if (!cache) {
    cache = statementCache(db);
    caches.set(db, cache);
  }
  return cache(sql);
}
