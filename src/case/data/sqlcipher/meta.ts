/** case_meta: the case's own facts (format, schema version, matter, examiner, display zone) by key. */
import type { DB } from './connection.ts';
import type { CaseMetaReader, CaseMetaWriter } from '../interface.ts';

/** Undefined also when the file cannot be read as a case yet (opening tells why). */
export function readMeta(db: DB, key: string): string | undefined {
  try {
    const row = db.prepare('SELECT value FROM case_meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  } catch {
    return undefined;
  }
}

export function writeMeta(db: DB, key: string, value: string): void {
  db.prepare('INSERT INTO case_meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}

export function caseMetaReader(db: DB): CaseMetaReader {
  return { get: (key) => readMeta(db, key) };
}

export function caseMetaWriter(db: DB): CaseMetaWriter {
  return { set: (key, value) => writeMeta(db, key, value) };
}
