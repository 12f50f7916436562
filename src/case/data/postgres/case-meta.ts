/** case_meta: the matter's own facts (matter, examiner, display zone, …) by key. */
import type { Bridge } from './bridge.ts';
import type { CaseMetaReader, CaseMetaWriter } from '../interface.ts';

export function caseMetaReader(b: Bridge): CaseMetaReader {
  return { get: (key) => b.value<string>('SELECT value FROM case_meta WHERE key = $1', [key]) };
}

export function caseMetaWriter(b: Bridge): CaseMetaWriter {
  return { set: (key, value) => void b.run('INSERT INTO case_meta(key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]) };
}
