import { HoldfastError } from '../../../api/errors.ts';
import type { Bridge } from './bridge.ts';
import { PG_MIGRATIONS } from './migrations/index.ts';

/**
 * Creates the matter's schema if need be, makes it the connection's search_path and brings it to the
 * newest version, each migration in its own transaction recorded in schema_version. A session-level
 * advisory lock on the schema's name keeps two processes from migrating the same matter at once;
 * running it again on a migrated schema changes nothing.
 */
/** Returns the schema version the matter is at now. */
export function migrateMatter(b: Bridge, schema: string): number {
  b.run('SELECT pg_advisory_lock(hashtext($1))', [schema]);
  try {
    b.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path TO ${schema}`);
    b.exec('CREATE TABLE IF NOT EXISTS schema_version(version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)');
    const current = b.value<number>('SELECT coalesce(max(version), 0) FROM schema_version') ?? 0;
    if (current > PG_MIGRATIONS.length) {
      throw new HoldfastError('CASE_FROM_NEWER_VERSION', `This matter's schema is at version ${current}; this version of Holdfast knows up to ${PG_MIGRATIONS.length}. Update Holdfast.`);
    }
    for (const m of PG_MIGRATIONS.slice(current)) {
      b.exec('BEGIN');
      try {
        b.exec(m.up);
        b.run('INSERT INTO schema_version(version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, Date.now()]);
        b.exec('COMMIT');
      } catch (e) {
        b.exec('ROLLBACK');
        throw e;
      }
    }
    return PG_MIGRATIONS.length;
  } finally {
    b.run('SELECT pg_advisory_unlock(hashtext($1))', [schema]);
  }
}
