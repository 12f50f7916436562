/**
 * What a Messages database holds. chat.db (macOS) and sms.db (iOS) share one schema that gained
 * columns with each OS release (thread_originator_guid in iOS 14, date_edited/date_retracted and
 * message_summary_info in iOS 16, associated_message_emoji in iOS 18, ...); older databases simply
 * lack them. Every query here selects only the columns that exist and NULL for the others.
 */
import type Database from 'better-sqlite3-multiple-ciphers';

export type MessagesDatabase = Database.Database;

/** A reduced sms.db (seen in forensic samples) has no chat tables: its messages go to one conversation per handle. */
export const REQUIRED_TABLES = ['message', 'handle'] as const;

export class Schema {
  private readonly tables = new Map<string, Set<string>>();

  constructor(db: MessagesDatabase) {
    const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
    for (const name of names) {
      const cols = db.prepare(`PRAGMA table_info(${quoteIdent(name)})`).all() as { name: string }[];
      this.tables.set(name.toLowerCase(), new Set(cols.map((c) => c.name.toLowerCase())));
    }
  }

  hasTable(table: string): boolean {
    return this.tables.has(table.toLowerCase());
  }

  has(table: string, column: string): boolean {
    return this.tables.get(table.toLowerCase())?.has(column.toLowerCase()) ?? false;
  }

  /** `alias.col AS col` for each wanted column, `NULL AS col` for those this database lacks. */
  select(table: string, alias: string, columns: readonly string[]): string {
    return columns.map((c) => (this.has(table, c) ? `${alias}.${quoteIdent(c)} AS ${quoteIdent(c)}` : `NULL AS ${quoteIdent(c)}`)).join(', ');
  }

  missingTables(): string[] {
    return REQUIRED_TABLES.filter((t) => !this.hasTable(t));
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
