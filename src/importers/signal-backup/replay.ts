/**
 * Rebuilds Signal's database from the backup's SQL frames in an in-memory SQLite database (nothing
 * plaintext reaches the disk). Only the statements a backup legitimately carries are run: CREATE
 * TABLE, CREATE [UNIQUE] INDEX and INSERT. Anything else (ATTACH, PRAGMA, triggers, virtual tables
 * and their FTS shadow tables) is refused and counted, so a hostile file cannot write elsewhere.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import type { MemoryDb } from '../sqlite/memory-db.ts';
import type { SqlValue } from './frames.ts';

const ALLOWED = /^\s*(?:CREATE\s+TABLE|CREATE\s+(?:UNIQUE\s+)?INDEX|INSERT\s+INTO)\s/i;
/** Tables SQLite or FTS create for themselves; the backup carries their rows, which are derived. */
const INTERNAL = /^\s*(?:CREATE\s+TABLE|INSERT\s+INTO)\s+["'`]?(?:sqlite_\w*|\w+_fts(?:_\w+)?|emoji_search_\w+)["'`]?[\s(]/i;
const CACHE = 200;

export class SqlReplay {
  readonly db: MemoryDb;
  private readonly statements = new Map<string, Database.Statement>();
  refused = 0;
  failed = 0;
  firstFailure: string | undefined;

  constructor() {
    this.db = new Database(':memory:');
    this.db.pragma('temp_store = MEMORY');
    this.db.pragma('foreign_keys = OFF');
    this.db.exec('BEGIN');
  }

  run(sql: string, params: SqlValue[]): void {
    if (!ALLOWED.test(sql) || INTERNAL.test(sql)) {
      this.refused++;
      return;
    }
    try {
      let stmt = this.statements.get(sql);
      if (!stmt) {
        stmt = this.db.prepare(sql);
        if (this.statements.size >= CACHE) this.statements.clear();
        this.statements.set(sql, stmt);
      }
      stmt.run(params.map((p) => (p instanceof Uint8Array ? Buffer.from(p.buffer, p.byteOffset, p.byteLength) : p)));
    } catch (err) {
      this.failed++;
      this.firstFailure ??= `${sql.slice(0, 80)}: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  /** Ends the replay; the database is then read-only in use. */
  finish(): MemoryDb {
    this.db.exec('COMMIT');
    this.statements.clear();
    return this.db;
  }

  close(): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    this.db.close();
  }
}
