import type Database from 'better-sqlite3-multiple-ciphers';
import type { DB } from '../../store.ts';

/**
 * Statements by SQL text, per connection: reading a million messages in batches of 500 would
 * otherwise compile the same five statements two thousand times each. Only `.all()`/`.get()`
 * statements are cached (an iterating statement cannot be reused while it is open).
 */
const statements = new WeakMap<DB, Map<string, Database.Statement<unknown[]>>>();
export function prepared(db: DB, sql: string): Database.Statement<unknown[]> {
  let cache = statements.get(db);
  if (!cache) {
    cache = new Map();
    statements.set(db, cache);
  }
  let stmt = cache.get(sql);
  if (!stmt) {
    stmt = db.prepare<unknown[]>(sql);
    if (cache.size > 200) cache.clear();
    cache.set(sql, stmt);
  }
  return stmt;
}
