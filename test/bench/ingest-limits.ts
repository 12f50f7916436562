/**
 * `node test/bench/ingest-limits.ts [--size 1m]`: the physical limits an import's writer works under
 * on this machine, so each second of an import can be attributed. Each variant runs in its own
 * process (this file with `child`), with wall and CPU seconds:
 *
 * - page encryption: AES-256-CBC + HMAC-SHA512 over 4 KiB pages (SQLCipher 4's page format) in
 *   OpenSSL, and 256 MB of pages written through SQLite encrypted against unencrypted;
 * - the raw insert of the import's rows (one message row and one occurrence row per message, the
 *   hashes made before the clock starts, in 20,000-row transactions, WAL): encrypted without the
 *   secondary indexes, the same with the indexes built once at the end, with the indexes, with the
 *   indexes and the fingerprint lookup dedupe makes per message, and unencrypted with the indexes.
 *
 * The schema is the case's own (every migration), on the case's pragmas (connection.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import readline from 'node:readline';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3-multiple-ciphers';
import { MIGRATIONS } from '../../src/case/migrations/index.ts';
import { writeWhatsAppCorpus } from './corpus.ts';
import { label, parseSize } from './sizes.ts';
import { cpuSeconds as cpuS } from './usage.ts';

const KEY = 'bench-passphrase';
const BATCH = 20_000;
const PAGE = 4096;
const work = path.join(os.tmpdir(), 'holdfast-bench');

/** The secondary indexes an import's message and occurrence rows maintain (migration 001). */
const SECONDARY = ['messages_fingerprint', 'messages_conversation_time', 'messages_time', 'messages_sender', 'messages_reply', 'occurrences_custodian', 'occurrences_source'];

function open(file: string, encrypted: boolean): Database.Database {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  const db = new Database(file);
  if (encrypted) {
    db.pragma(`cipher='sqlcipher'`);
    db.pragma('legacy=4');
    db.key(Buffer.from(KEY));
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('temp_store = MEMORY');
  db.pragma('cache_size = -65536');
  return db;
}

/** OpenSSL doing what SQLCipher does to each page: AES-256-CBC, then HMAC-SHA512 over the ciphertext. */
function opensslPages(mb: number): Record<string, number> {
  const key = crypto.randomBytes(32);
  const hmacKey = crypto.randomBytes(32);
  const page = crypto.randomBytes(PAGE - 80);
  const pages = (mb * 2 ** 20) / PAGE;
  const t = performance.now();
  const c0 = cpuS();
  for (let i = 0; i < pages; i++) {
    const iv = crypto.randomBytes(16);
    const cipher = crypto.createCipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
    const enc = Buffer.concat([cipher.update(page), cipher.final()]);
    crypto.createHmac('sha512', hmacKey).update(enc).update(iv).digest();
  }
  const s = (performance.now() - t) / 1000;
  return { mb, s, cpuS: cpuS() - c0, mbPerS: mb / s };
}

/** 256 MB of pages through SQLite: random 3,000-byte rows (incompressible, about one per page), then a checkpoint. */
function sqlitePages(file: string, encrypted: boolean, mb: number): Record<string, number> {
  const db = open(file, encrypted);
  db.exec('CREATE TABLE p(id INTEGER PRIMARY KEY, b BLOB)');
  const ins = db.prepare('INSERT INTO p(b) VALUES (?)');
  const rows = Math.round((mb * 2 ** 20) / PAGE);
  const blob = crypto.randomBytes(3000);
  const t = performance.now();
  const c0 = cpuS();
  for (let done = 0; done < rows; ) {
    db.exec('BEGIN');
    for (let i = 0; i < BATCH && done < rows; i++, done++) {
      blob.writeUInt32LE(done, 0);
      ins.run(blob);
    }
    db.exec('COMMIT');
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  const s = (performance.now() - t) / 1000;
  const out = { mb, s, cpuS: cpuS() - c0, mbPerS: mb / s, fileMb: fs.statSync(file).size / 2 ** 20 };
  db.close();
  return out;
}

interface Row {
  conversationId: number;
  sender: number;
  sentAt: number;
  rawTime: string;
  text: string;
  fingerprint: string;
  contentSha256: string;
  fingerprintKey: number;
  locator: string;
}

/** The corpus's messages as the writer receives them, hashes made (not timed). */
async function corpusRows(corpus: string, n: number): Promise<Row[]> {
  const rows: Row[] = [];
  const lines = readline.createInterface({ input: fs.createReadStream(corpus, 'utf8'), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    const m = /^(\d\d)\/(\d\d)\/(\d{4}), (\d\d):(\d\d) - (?:([^:]+): )?(.*)$/.exec(line);
    if (!m) {
      const last = rows.at(-1);
      if (last) last.text += `\n${line}`;
      continue;
    }
    if (rows.length === n) break;
    const sentAt = Date.UTC(Number(m[3]), Number(m[2]) - 1, Number(m[1]), Number(m[4]), Number(m[5]));
    const text = m[7]!;
    const fingerprint = crypto.hash('sha256', `${sentAt}\u001f${m[6] ?? ''}\u001f${text}\u001f${rows.length}`, 'hex').slice(0, 32);
    rows.push({
      conversationId: 1, sender: 1 + (text.length % 8), sentAt, rawTime: `${m[1]}/${m[2]}/${m[3]}, ${m[4]}:${m[5]}`, text, fingerprint,
      contentSha256: crypto.hash('sha256', fingerprint + text, 'hex'), fingerprintKey: Math.floor(sentAt / 60_000) * 2 ** 24 + parseInt(fingerprint.slice(0, 6), 16),
      locator: `line ${lineNo}`,
    });
  }
  return rows;
}

type Variant = 'encrypted-no-indexes' | 'encrypted-indexes-at-end' | 'encrypted-indexes' | 'encrypted-indexes-lookup' | 'unencrypted-indexes';

async function rawInsert(file: string, corpus: string, n: number, variant: Variant): Promise<Record<string, number>> {
  const rows = await corpusRows(corpus, n);
  const db = open(file, variant !== 'unencrypted-indexes');
  db.pragma('foreign_keys = ON');
  db.transaction(() => {
    for (const m of MIGRATIONS) db.exec(m.up);
    db.exec(`INSERT INTO sources(id, path, name, size, sha256, format, importer_version, tz, imported_at, run_id)
             VALUES (1, 'bench', 'bench', 0, 'x', 'whatsapp', '1', 'UTC', 0, 1)`);
    db.exec("INSERT INTO conversations(id, platform, external_id, kind, run_id) VALUES (1, 'whatsapp', 'bench', 'group', 1)");
    for (let h = 1; h <= 8; h++) {
      db.exec(`INSERT INTO participants(id, display_name, created_at) VALUES (${h}, 'p${h}', 0)`);
      db.exec(`INSERT INTO handles(id, kind, value, participant_id, run_id) VALUES (${h}, 'name', 'p${h}', ${h}, 1)`);
    }
  })();
  const deferred = variant === 'encrypted-no-indexes' || variant === 'encrypted-indexes-at-end';
  const indexSql = deferred ? (db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name IN (${SECONDARY.map(() => '?').join(',')})`).pluck().all(...SECONDARY) as string[]) : [];
  if (deferred) for (const name of SECONDARY) db.exec(`DROP INDEX ${name}`);
  const insertMessage = db.prepare(
    `INSERT INTO messages(conversation_id, sender_handle_id, sent_at, raw_time, kind, text, direction, fingerprint, content_sha256, fingerprint_key, run_id, source_id, locator)
     VALUES (?, ?, ?, ?, 'message', ?, 'in', ?, ?, ?, 1, 1, ?)`,
  );
  const insertOccurrence = db.prepare('INSERT INTO message_occurrences(message_id, source_id, custodian_id, locator, run_id) VALUES (?, 1, NULL, ?, 1)');
  const find = db.prepare('SELECT id, fingerprint FROM messages WHERE fingerprint_key = ?').raw();
  const lookup = variant === 'encrypted-indexes-lookup';
  global.gc?.();
  const t = performance.now();
  const c0 = cpuS();
  let commitMs = 0;
  for (let i = 0; i < rows.length; ) {
    db.exec('BEGIN');
    for (const end = Math.min(rows.length, i + BATCH); i < end; i++) {
      const r = rows[i]!;
      if (lookup) find.all(r.fingerprintKey);
      const id = insertMessage.run(r.conversationId, r.sender, r.sentAt, r.rawTime, r.text, r.fingerprint, r.contentSha256, r.fingerprintKey, r.locator).lastInsertRowid;
      insertOccurrence.run(id, r.locator);
    }
    const tc = performance.now();
    db.exec('COMMIT');
    commitMs += performance.now() - tc;
  }
  const insertS = (performance.now() - t) / 1000;
  const ti = performance.now();
  if (variant === 'encrypted-indexes-at-end') db.transaction(() => indexSql.forEach((sql) => db.exec(sql)))();
  const indexS = (performance.now() - ti) / 1000;
  db.pragma('wal_checkpoint(TRUNCATE)');
  const s = (performance.now() - t) / 1000;
  const out = { rows: rows.length, s, cpuS: cpuS() - c0, insertS, commitS: commitMs / 1000, indexS, rowsPerS: rows.length / s, fileMb: fs.statSync(file).size / 2 ** 20 };
  db.close();
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  return out;
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { size: { type: 'string', default: '1m' }, mb: { type: 'string', default: '256' } } });
fs.mkdirSync(work, { recursive: true });
if (positionals[0] === 'child') {
  const [, what, arg] = positionals;
  const file = path.join(work, `limits-${what}.db`);
  const mb = Number(values.mb);
  const result =
    what === 'openssl' ? opensslPages(mb)
    : what === 'pages-encrypted' ? sqlitePages(file, true, mb)
    : what === 'pages-unencrypted' ? sqlitePages(file, false, mb)
    : await rawInsert(file, arg!, parseSize(values.size), what as Variant);
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const self = new URL(import.meta.url).pathname;
  const run = (...args: string[]) =>
    JSON.parse(execFileSync(process.execPath, ['--expose-gc', self, 'child', ...args, '--size', values.size, '--mb', values.mb], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').at(-1)!) as Record<string, number>;
  const n = parseSize(values.size);
  const corpus = path.join(work, `whatsapp-${label(n)}.txt`);
  if (!fs.existsSync(corpus)) await writeWhatsAppCorpus(corpus, n);
  const load = () => os.loadavg().map((x) => x.toFixed(1)).join(' ');
  console.log(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model}, Node ${process.version}, load at start ${load()}`);
  const f = (x: number, d = 1) => x.toFixed(d);
  const results: Record<string, unknown> = { at: new Date().toISOString(), load: os.loadavg() };
  for (const what of ['openssl', 'pages-encrypted', 'pages-unencrypted']) {
    const r = run(what);
    results[what] = r;
    console.log(`${what.padEnd(36)} ${f(r.mb!, 0)} MB: ${f(r.s!, 2)} s wall, ${f(r.cpuS!, 2)} s CPU = ${f(r.mbPerS!, 0)} MB/s`);
  }
  for (const what of ['encrypted-no-indexes', 'encrypted-indexes-at-end', 'encrypted-indexes', 'encrypted-indexes-lookup', 'unencrypted-indexes']) {
    const r = run(what, corpus);
    results[what] = r;
    console.log(
      `${what.padEnd(36)} ${r.rows} rows: ${f(r.s!)} s wall (inserts ${f(r.insertS!)}, of which COMMIT ${f(r.commitS!)}; indexes built ${f(r.indexS!)}), ${f(r.cpuS!)} s CPU = ${Math.round(r.rowsPerS!).toLocaleString('en-US')} rows/s; ${f(r.fileMb!, 0)} MB`,
    );
  }
  console.log(`load at end ${load()}`);
  const dir = path.join(path.dirname(self), 'results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `ingest-limits-${Date.now()}.json`), `${JSON.stringify(results, null, 2)}\n`);
}
