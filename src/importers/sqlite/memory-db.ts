/**
 * Opening a SQLite database held in memory (decrypted backup files, evidence that must not be
 * touched). Nothing is written to disk: no plaintext copy, no `-shm`/`-journal` beside the evidence.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { HoldfastError } from '../../api/errors.ts';
import { applyWal } from './wal.ts';

export type MemoryDb = Database.Database;

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

export interface OpenImageOptions {
  /** The `-wal` file that belongs to the database, when the source has one. */
  wal?: Buffer | undefined;
  /** How the user knows this file ("HomeDomain/Library/SMS/sms.db"), for errors. */
  label: string;
  /** The source path for error details. */
  file: string;
  /** Told when the WAL could not be used. */
  onWalIgnored?: (why: string) => void;
}

export function isSqliteImage(bytes: Buffer): boolean {
  return bytes.length >= 100 && bytes.subarray(0, 16).equals(SQLITE_MAGIC);
}

/**
 * A read-only connection to the database in `bytes` (with its WAL replayed). `bytes` is not
 * modified. IMPORT_SOURCE_CORRUPT when the bytes are not a readable SQLite database.
 */
export function openSqliteImage(bytes: Buffer, opts: OpenImageOptions): MemoryDb {
  if (!isSqliteImage(bytes)) {
    throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `${opts.label} is not a SQLite database (its first bytes are not "SQLite format 3").`, {
      file: opts.file, position: opts.label,
    });
  }
  let image: Buffer = Buffer.from(bytes);
  if (opts.wal && opts.wal.length > 0) {
    const r = applyWal(image, opts.wal);
    if (r.ignored) opts.onWalIgnored?.(r.ignored);
    image = r.image;
  }
  // Bytes 18/19 say "WAL mode"; an in-memory image has no WAL, so mark it as a rollback-journal database.
  image[18] = 1;
  image[19] = 1;
  let db: MemoryDb;
  try {
    db = new Database(image, { readonly: true });
    // Large sorts would otherwise spill decrypted rows into temporary files on disk.
    db.pragma('temp_store = MEMORY');
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (err) {
    throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `${opts.label} is damaged and cannot be read as SQLite: ${err instanceof Error ? err.message : String(err)}.`, {
      file: opts.file, position: opts.label,
    }, { cause: err });
  }
  return db;
}

/** What tables and columns a database has (reduced and older schemas are normal). */
export class SchemaProbe {
  private readonly db: MemoryDb;
  private readonly cache = new Map<string, Set<string>>();

  constructor(db: MemoryDb) {
    this.db = db;
  }

  columns(table: string): Set<string> {
    let cols = this.cache.get(table);
    if (!cols) {
      cols = new Set((this.db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[]).map((r) => r.name));
      this.cache.set(table, cols);
    }
    return cols;
  }

  has(table: string, column?: string): boolean {
    const cols = this.columns(table);
    return column === undefined ? cols.size > 0 : cols.has(column);
  }

  /** `alias.column AS name` when the column exists, else `NULL AS name`. */
  pick(table: string, alias: string, column: string, name = column): string {
    return this.has(table, column) ? `${alias}."${column}" AS "${name}"` : `NULL AS "${name}"`;
  }
}
