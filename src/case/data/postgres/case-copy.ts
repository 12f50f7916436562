/**
 * A case file's rows copied into a new matter, table by table: the matter's schema has the case
 * file's tables and columns (migrations/ translates them version for version), so each row goes in as
 * it is, ids included, parents before children, in one transaction. Identity sequences then continue
 * after the highest id either side ever handed out (SQLite's AUTOINCREMENT counter included).
 * Checking what arrived (blobs, the audit chain) is the caller's, on the data interface.
 */
import { HoldfastError } from '../../../api/errors.ts';
import type { CaseSession } from '../../session.ts';
import { createConnection } from '../sqlcipher/connection.ts';
import type { DB } from '../sqlcipher/connection.ts';
import { openBridge } from './bridge.ts';
import type { Bridge } from './bridge.ts';
import { matterSchema } from './index.ts';
import { migrateMatter } from './migrate.ts';

/** Tables the matter's schema keeps itself (its version), not copied. */
const NOT_COPIED = new Set(['schema_version']);
/** Rows per INSERT, below PostgreSQL's 65,535 parameters for the widest table. */
const PARAMETERS_PER_INSERT = 30_000;

/** Copies every row of the open case file into the matter, which must be new or empty; returns the rows copied per table. */
export function copyCaseIntoMatter(source: CaseSession, url: string, matter: string): Record<string, number> {
  const schema = matterSchema(matter);
  const b = openBridge(url);
  try {
    if (migrateMatter(b, schema) !== source.schemaVersion) {
      throw new HoldfastError('CASE_FROM_NEWER_VERSION', `The case file is at schema version ${source.schemaVersion} and the matter at ${matterVersion(b)}: open the case file with this Holdfast first (it upgrades it).`);
    }
    const tables = tablesInOrder(source.db);
    const targetColumns = matterColumns(b, schema);
    for (const t of tables) {
      const columns = sqliteColumns(source.db, t);
      const missing = columns.filter((c) => !targetColumns.get(t)?.includes(c));
      if (missing.length) throw new HoldfastError('INTERNAL', `The matter's table ${t} has no column ${missing.join(', ')}: the schemas differ.`);
    }
    // Every change to a matter is audited: an empty audit log is a matter nobody has worked on, whose
    // only rows are the ones its schema starts with (the default tags), replaced by the case's.
    const used = ['audit_log', 'messages', 'sources'].filter((t) => (b.value<number>(`SELECT count(*) FROM ${t}`) ?? 0) > 0);
    if (used.length) throw new HoldfastError('VALIDATION', `The matter ${matter} is not empty (${used.join(', ')} hold rows): import a case into a new matter.`, { matter });
    const copied: Record<string, number> = {};
    b.exec('BEGIN');
    try {
      for (const t of [...tables].reverse()) if ((b.value<number>(`SELECT count(*) FROM ${t}`) ?? 0) > 0) b.run(`DELETE FROM ${t}`);
      for (const t of tables) copied[t] = copyTable(source, b, t, sqliteColumns(source.db, t));
      continueSequences(source, b, schema);
      b.exec('COMMIT');
    } catch (e) {
      b.exec('ROLLBACK');
      throw e;
    }
    return copied;
  } finally {
    b.close();
  }
}

function matterVersion(b: Bridge): number {
  return b.value<number>('SELECT max(version) FROM schema_version') ?? 0;
}

/** The case file's tables, each after the tables its foreign keys point to. */
function tablesInOrder(db: DB): string[] {
  const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name").pluck().all() as string[]).filter((n) => !NOT_COPIED.has(n));
  const parents = new Map(names.map((n) => [n, (db.prepare('SELECT "table" FROM pragma_foreign_key_list(?)').pluck().all(n) as string[]).filter((p) => p !== n)]));
  const ordered: string[] = [];
  const visit = (n: string, path: string[]) => {
    if (ordered.includes(n)) return;
    if (path.includes(n)) throw new HoldfastError('INTERNAL', `The case's foreign keys form a cycle: ${[...path, n].join(' → ')}.`);
    for (const p of parents.get(n) ?? []) visit(p, [...path, n]);
    ordered.push(n);
  };
  for (const n of names) visit(n, []);
  return ordered;
}

function sqliteColumns(db: DB, table: string): string[] {
  return db.prepare('SELECT name FROM pragma_table_info(?) ORDER BY cid').pluck().all(table) as string[];
}

function matterColumns(b: Bridge, schema: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [t, c] of b.rows<[string, string]>('SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1', [schema])) {
    out.set(t, [...(out.get(t) ?? []), c]);
  }
  return out;
}

function copyTable(source: CaseSession, b: Bridge, table: string, columns: string[]): number {
  const quoted = columns.map((c) => `"${c}"`).join(', ');
  const perInsert = Math.max(1, Math.floor(PARAMETERS_PER_INSERT / columns.length));
  const insert = (rows: unknown[][]) => {
    const params: unknown[] = [];
    const values = rows.map((r) => `(${r.map((v) => `$${params.push(v)}`).join(', ')})`).join(', ');
    // Identity columns take the source's ids as they are.
    b.run(`INSERT INTO ${table}(${quoted}) OVERRIDING SYSTEM VALUE VALUES ${values}`, params);
  };
  let batch: unknown[][] = [];
  let n = 0;
  const order = keyOrder(source.db, table);
  for (const row of source.db.prepare(`SELECT ${quoted} FROM "${table}" ORDER BY ${order}`).raw().iterate() as IterableIterator<unknown[]>) {
    n++;
    const nul = row.findIndex((v) => typeof v === 'string' && v.includes('\0'));
    if (nul >= 0) {
      throw new HoldfastError(
        'VALIDATION',
        `Row ${n} of the case file's table ${table} holds a NUL character (U+0000) in ${columns[nul]}, which a matter database (PostgreSQL) cannot store; nothing was copied. Keep this matter in its case file.`,
        { position: `table ${table}, row ${n}` },
      );
    }
    batch.push(row.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
    if (batch.length === perInsert) {
      insert(batch);
      batch = [];
    }
  }
  if (batch.length) insert(batch);
  return n;
}

/** A table's primary key as an ORDER BY list (rowid for a table without one). */
function keyOrder(db: DB, table: string): string {
  const key = db.prepare('SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk').pluck().all(table) as string[];
  return key.length ? key.map((c) => `"${c}"`).join(', ') : 'rowid';
}

/** Each identity sequence goes on after the highest id in the table or ever handed out by the case file. */
function continueSequences(source: CaseSession, b: Bridge, schema: string): void {
  const handedOut = new Map(source.db.prepare('SELECT name, seq FROM sqlite_sequence').raw().all() as [string, number][]);
  for (const [table, column] of b.rows<[string, string]>("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1 AND is_identity = 'YES'", [schema])) {
    const highest = Math.max(b.value<number>(`SELECT coalesce(max("${column}"), 0) FROM ${table}`) ?? 0, handedOut.get(table) ?? 0);
    if (highest > 0) b.run(`SELECT setval(pg_get_serial_sequence($1, $2), $3)`, [`${schema}.${table}`, column, highest]);
  }
}

/**
 * Writes a new case file holding the matter's rows as they are (ids kept, in one transaction: the file
 * is removed again when anything fails); returns the rows copied per table.
 */
export function copyMatterIntoCase(url: string, matter: string, file: string, passphrase: string): Record<string, number> {
  const schema = matterSchema(matter);
  const b = openBridge(url);
  try {
    if (!b.value<number>('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])) throw new HoldfastError('NOT_FOUND', `There is no matter ${JSON.stringify(matter)} in the database.`, { matter });
    migrateMatter(b, schema);
    const copied: Record<string, number> = {};
    const created = createConnection(file, passphrase, {}, {}, {
      initialise: (db) => {
        const tables = tablesInOrder(db);
        // The new file's own starting rows (its facts, the default tags) give way to the matter's.
        for (const t of [...tables].reverse()) if ((db.prepare(`SELECT count(*) FROM "${t}"`).pluck().get() as number) > 0) db.prepare(`DELETE FROM "${t}"`).run();
        for (const t of tables) {
          const columns = sqliteColumns(db, t);
          const quoted = columns.map((c) => `"${c}"`).join(', ');
          const insert = db.prepare(`INSERT INTO "${t}"(${quoted}) VALUES (${columns.map(() => '?').join(', ')})`);
          const rows = b.rows<unknown[]>(`SELECT ${quoted} FROM ${t} ORDER BY ${keyOrder(db, t).replace('rowid', '1')}`);
          for (const row of rows) insert.run(...row);
          copied[t] = rows.length;
        }
        continueSqliteSequences(db, b, schema);
      },
      created: () => {},
    });
    created.db.close();
    return copied;
  } finally {
    b.close();
  }
}

/** SQLite's AUTOINCREMENT counters go on after the highest id the matter ever handed out. */
function continueSqliteSequences(db: DB, b: Bridge, schema: string): void {
  const update = db.prepare('UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?');
  for (const [table, column] of b.rows<[string, string]>("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1 AND is_identity = 'YES'", [schema])) {
    const last = b.value<number>('SELECT pg_sequence_last_value(pg_get_serial_sequence($1, $2))', [`${schema}.${table}`, column]);
    if (last) update.run(last, table);
  }
}

