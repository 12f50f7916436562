import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { DB } from './connection.ts';
import type { CaseSliceReader, CaseSliceWriter, SliceTable } from '../interface.ts';
import { BATCH_SLICE, sliceSelect } from '../portable-sql.ts';
import { HoldfastError } from '../../../api/errors.ts';

const columnsOf = (db: DB, table: string) => db.prepare('SELECT name FROM pragma_table_info(?) ORDER BY cid').pluck().all(table) as string[];

export function sliceReader(db: DB): CaseSliceReader {
  return {
    ofBatch: (batchId) => BATCH_SLICE.map((spec) => ({ table: spec.table, rows: db.prepare(sliceSelect(spec, columnsOf(db, spec.table), '@batch')).all({ batch: batchId }) as Record<string, unknown>[] })),
  };
}

export function sliceWriter(db: DB): CaseSliceWriter {
  return {
    load: (tables) => {
      const known = new Set(BATCH_SLICE.map((s) => s.table));
      for (const t of tables) if (!known.has(t.table)) throw new HoldfastError('VALIDATION', `A batch's rows hold no table ${JSON.stringify(t.table)}.`);
      // Rows go in key order, so a reply may come before the message it answers: checked at commit.
      db.pragma('defer_foreign_keys = ON');
      for (const t of [...tables].reverse()) db.prepare(`DELETE FROM "${t.table}"`).run();
      for (const t of tables) insertRows(db, t);
    },
  };
}

function insertRows(db: DB, t: SliceTable): void {
  const columns = new Set(columnsOf(db, t.table));
  const statements = new Map<string, Statement>();
  for (const row of t.rows) {
    const names = Object.keys(row);
    for (const n of names) if (!columns.has(n)) throw new HoldfastError('VALIDATION', `The table ${t.table} has no column ${JSON.stringify(n)}.`);
    const key = names.join(',');
    let insert = statements.get(key);
    if (!insert) statements.set(key, (insert = db.prepare(`INSERT INTO "${t.table}"(${names.map((n) => `"${n}"`).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`)));
    insert.run(names.map((n) => row[n]));
  }
}
