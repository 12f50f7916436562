import type { Bridge } from './bridge.ts';
import type { CaseSliceReader, CaseSliceWriter } from '../interface.ts';
import { BATCH_SLICE, sliceSelect } from '../portable-sql.ts';
import { HoldfastError } from '../../../api/errors.ts';

const columnsOf = (b: Bridge, table: string) =>
  b.column<string>('SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position', [table]);

/** Rows per INSERT, below PostgreSQL's 65,535 parameters for the widest table. */
const PARAMETERS_PER_INSERT = 30_000;

export function sliceReader(b: Bridge): CaseSliceReader {
  return {
    ofBatch: (batchId) =>
      BATCH_SLICE.map((spec) => {
        const sql = sliceSelect(spec, columnsOf(b, spec.table), '$1::bigint');
        // The coding layout's tables are copied whole: their SELECT takes no parameter.
        return { table: spec.table, rows: b.all<Record<string, unknown>>(sql, sql.includes('$1') ? [batchId] : []) };
      }),
  };
}

export function sliceWriter(b: Bridge): CaseSliceWriter {
  return {
    load: (tables) => {
      const known = new Set(BATCH_SLICE.map((s) => s.table));
      for (const t of tables) if (!known.has(t.table)) throw new HoldfastError('VALIDATION', `A batch's rows hold no table ${JSON.stringify(t.table)}.`);
      for (const t of [...tables].reverse()) b.run(`DELETE FROM ${t.table}`);
      for (const t of tables) {
        if (!t.rows.length) continue;
        const columns = columnsOf(b, t.table);
        for (const row of t.rows) for (const n of Object.keys(row)) if (!columns.includes(n)) throw new HoldfastError('VALIDATION', `The table ${t.table} has no column ${JSON.stringify(n)}.`);
        const names = columns.filter((c) => c in t.rows[0]!);
        const perInsert = Math.max(1, Math.floor(PARAMETERS_PER_INSERT / names.length));
        for (let i = 0; i < t.rows.length; i += perInsert) {
          const params: unknown[] = [];
          const values = t.rows.slice(i, i + perInsert).map((r) => `(${names.map((n) => `$${params.push(r[n] ?? null)}`).join(', ')})`).join(', ');
          // Identity columns take the rows' ids as they are; their sequences go on after them below.
          b.run(`INSERT INTO ${t.table}(${names.map((n) => `"${n}"`).join(', ')}) OVERRIDING SYSTEM VALUE VALUES ${values}`, params);
        }
      }
      for (const [table, column] of b.rows<[string, string]>("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES'")) {
        if (tables.some((t) => t.table === table && t.rows.length)) b.run(`SELECT setval(pg_get_serial_sequence($1, $2), (SELECT max("${column}") FROM ${table}))`, [table, column]);
      }
    },
  };
}
