/** Bringing an older case file to the current schema, after an encrypted copy of it is kept. */
import type { DB } from './connection.ts';
import type { Migration } from '../../migrations/types.ts';
import { APP_VERSION } from '../../../version.ts';
import { writeMeta } from './meta.ts';

/** Where the pre-migration copy was written. */
export function backupBeforeMigration(db: DB, file: string, fromVersion: number): string {
  // VACUUM INTO writes an encrypted copy with the same key: the backup is never plaintext.
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const target = `${file}.schema${fromVersion}-${stamp}.bak`;
  db.prepare('VACUUM INTO ?').run(target);
  return target;
}

export function applyMigrations(db: DB, migrations: readonly Migration[], fromVersion: number): void {
  db.transaction(() => {
    for (const m of migrations.slice(fromVersion)) {
      m.before?.(db);
      db.exec(m.up);
    }
    writeMeta(db, 'schema_version', String(migrations.length));
    writeMeta(db, 'app_version', APP_VERSION);
  })();
}
