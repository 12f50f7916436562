/**
 * The comparison side of the search benchmark: an encrypted SQLite (same cipher as a case) with an
 * FTS5 table over the case's messages (unicode61, diacritics removed) and a side table for the
 * sender and time filters. Ranked by bm25, total by count(*), as a reviewer would need.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import type { DB } from '../../src/case/data/sqlcipher/connection.ts';
import type { BenchQuery } from './queries.ts';

/** The encrypted FTS5 database at `file`, as buildFts5 left it (a later round of the same bench run searches it again). */
export function openFts5(file: string, key: string): DB {
  const db = new Database(file);
  db.pragma(`cipher='sqlcipher'`);
  db.pragma('legacy=4');
  db.key(Buffer.from(key));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -65536');
  return db;
}

export function buildFts5(caseDb: DB, file: string, key: string): DB {
  fs.rmSync(file, { force: true });
  const db = openFts5(file, key);
  db.exec(`CREATE VIRTUAL TABLE f USING fts5(text, tokenize = "unicode61 remove_diacritics 2");
           CREATE TABLE m(id INTEGER PRIMARY KEY, sender TEXT, sent_at INTEGER);`);
  const insF = db.prepare('INSERT INTO f(rowid, text) VALUES (?, ?)');
  const insM = db.prepare('INSERT INTO m(id, sender, sent_at) VALUES (?, ?, ?)');
  const rows = caseDb.prepare(
    `SELECT m.id, m.text, coalesce(h.display, h.value) AS sender, m.sent_at FROM messages m LEFT JOIN handles h ON h.id = m.sender_handle_id ORDER BY m.id`,
  ).raw().iterate() as IterableIterator<[number, string, string | null, number]>;
  let n = 0;
  db.exec('BEGIN');
  for (const [id, text, sender, sentAt] of rows) {
    insF.run(id, text);
    insM.run(id, sender, sentAt);
    if (++n % 100_000 === 0) db.exec('COMMIT; BEGIN');
  }
  db.exec('COMMIT');
  db.exec("INSERT INTO f(f) VALUES ('optimize')");
  return db;
}

/** What a query returns: the exact total and the first 50 by bm25, as ids and scores only or as the page a reviewer reads. */
export type Fts5Result = 'ids' | 'page';

const cache = new WeakMap<DB, Map<string, { count: Database.Statement; top: Database.Statement }>>();

/**
 * Exact total and the top 50 by bm25; returns the total. `page` reads what Holdfast's page of hits
 * holds (the text cut around the hits with the hits marked, the sender, the time), so both sides do
 * the same work; `ids` stops at ids and scores.
 */
export function fts5Search(db: DB, q: BenchQuery, result: Fts5Result): number {
  let stmts = cache.get(db);
  if (!stmts) cache.set(db, (stmts = new Map()));
  const key = `${q.filter ? 'filter' : 'plain'} ${result}`;
  let s = stmts.get(key);
  if (!s) {
    const cols = result === 'page' ? `f.rowid, bm25(f) AS score, snippet(f, 0, '[', ']', '…', 32) AS snippet, m.sender, m.sent_at` : 'f.rowid, bm25(f) AS score';
    const join = q.filter || result === 'page' ? 'JOIN m ON m.id = f.rowid' : '';
    const where = q.filter ? 'f MATCH ? AND m.sender = ? AND m.sent_at >= ? AND m.sent_at < ?' : 'f MATCH ?';
    s = {
      count: db.prepare(`SELECT count(*) FROM f ${q.filter ? join : ''} WHERE ${where}`).pluck(),
      top: db.prepare(`SELECT ${cols} FROM f ${join} WHERE ${where} ORDER BY score LIMIT 50`),
    };
    stmts.set(key, s);
  }
  const args = q.filter ? [q.fts!, q.filter.sender, q.filter.from, q.filter.to] : [q.fts!];
  const total = s.count.get(...args) as number;
  s.top.all(...args);
  return total;
}
