/**
 * kill -9 at random moments. Each round starts a `holdfast` child doing one of
 *   - an import (a WhatsApp zip with media, a big text export, or an encrypted Android backup
 *     msgstore.db.crypt15 decrypted in memory with its encrypted_backup.key),
 *   - `holdfast reindex`,
 *   - `holdfast produce --format pdf` or `--format xlsx`,
 * kills it with SIGKILL after a seeded random delay (up to a little past how long the operation
 * takes uninterrupted, measured once), then checks the case as a user would find it:
 *   - it opens and `holdfast verify` passes;
 *   - nothing half-imported is visible (the message count is 0 or the full count);
 *   - search agrees with the messages (a word's search total equals a brute-force count over
 *     `holdfast messages --jsonl`);
 *   - no partial production folder exists at the output path (it is absent, or complete with its
 *     manifest and every file's hash right);
 * and then runs the same command again, which must complete exactly (no duplicates, no gaps).
 *
 * By hand:  node test/reliability/kill-at-random.ts [--rounds N] [--seed S] [--ops import,reindex,produce]
 * It prints one line per round (operation, kill delay, state found, result of the re-run) and exits
 * non-zero on the first failed check. test/reliability/kill.test.ts runs a few rounds in CI.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { cli, cliJson, cliJsonl, tempDir, PASSPHRASE, ROOT } from '../helpers/case.ts';
import { rng, whatsappLines } from '../helpers/generate.ts';
import { buildZip } from '../helpers/zip-writer.ts';
import { FIX, loadSql } from '../helpers/whatsapp-android-db.ts';
import { crypt15KeyFile, writeCrypt15 } from '../helpers/whatsapp-crypt.ts';

export type KillOp = 'import-zip' | 'import-text' | 'import-crypt15' | 'reindex' | 'produce-pdf' | 'produce-xlsx';
export const ALL_OPS: readonly KillOp[] = ['import-zip', 'import-text', 'import-crypt15', 'reindex', 'produce-pdf', 'produce-xlsx'];
const IMPORTS = ['import-zip', 'import-text', 'import-crypt15'] as const;
type ImportOp = (typeof IMPORTS)[number];
const isImport = (op: KillOp): op is ImportOp => (IMPORTS as readonly string[]).includes(op);

export interface KillOptions {
  rounds: number;
  seed: number;
  ops?: readonly KillOp[];
  /** Messages in the big text export. */
  textMessages?: number;
  /** Kill within this many ms of the start, instead of measuring each operation uninterrupted first. */
  maxDelayMs?: number;
  log?: (line: string) => void;
}

export interface RoundReport {
  op: KillOp;
  delayMs: number;
  /** What the kill left: 'none' (killed before anything was kept), 'complete' (finished before the kill). */
  found: 'none' | 'complete';
  rerun: string;
}

/** The words checked against a brute-force count (all in the generator's vocabulary). */
const WORDS = ['invoice', 'bonus'];
/** What the productions select (both words: a few percent of the messages, to keep PDFs quick). */
const PRODUCE_QUERY = 'invoice bonus';

interface Sources {
  dir: string;
  zip: string;
  zipMessages: number;
  text: string;
  textMessages: number;
  /** msgstore.db.crypt15 and its encrypted_backup.key. */
  crypt15: string;
  crypt15Key: string;
}

interface MessageJson {
  id: number;
  text: string;
  attachments: { sha256: string | null }[];
}

async function writeSources(dir: string, textMessages: number): Promise<Sources> {
  const chat = [...whatsappLines({ messages: 800, seed: 71, start: Date.UTC(2022, 0, 1) })];
  const specs: { name: string; data: Buffer | string; compress?: boolean }[] = [];
  const r = rng(72);
  for (let i = 0; i < 40; i++) {
    const name = `IMG-20220101-WA${String(i).padStart(4, '0')}.jpg`;
    // Media lines interleave with the text; each carries its own bytes (incompressible).
    chat.splice(Math.floor(r() * chat.length), 0, `01/01/2022, 08:${String(i % 60).padStart(2, '0')} - Bob Jones: ${name} (file attached)`);
    specs.push({ name, data: crypto.randomBytes(96 * 1024), compress: false });
  }
  specs.unshift({ name: 'WhatsApp Chat with Media Group.txt', data: `${chat.join('\n')}\n` });
  const zip = path.join(dir, 'WhatsApp Chat with Media Group.zip');
  fs.writeFileSync(zip, await buildZip(specs));
  const text = path.join(dir, 'WhatsApp Chat with Big Group.txt');
  fs.writeFileSync(text, `${[...whatsappLines({ messages: textMessages, seed: 73 })].join('\n')}\n`);
  const { crypt15, crypt15Key } = writeCrypt15Backup(dir, textMessages);
  return { dir, zip, zipMessages: chat.length, text, textMessages, crypt15, crypt15Key };
}

/** A generated msgstore.db (the fixture's schema, `messages` more texts in one chat), sealed as msgstore.db.crypt15; the plaintext is removed. */
function writeCrypt15Backup(dir: string, messages: number): { crypt15: string; crypt15Key: string } {
  const plain = path.join(dir, 'msgstore.db');
  const texts = whatsappLines({ messages, seed: 74, start: Date.UTC(2023, 0, 1) });
  const rows: string[] = [];
  let i = 0;
  for (const line of texts) {
    const body = line.replace(/^.*? - [^:]+: /, '').replace(/'/g, "''");
    const id = 10_000 + i;
    rows.push(`(${id}, 148, ${i % 3 === 0 ? 1 : 0}, 'KILL${id}', 0, 0, 0, 0, NULL, 0, 0, ${Date.UTC(2023, 0, 1) + i * 60_000}, 0, -1, 0, '${body}', 0, 0, ${id}, 0, NULL)`);
    i++;
  }
  loadSql(plain, path.join(FIX, 'msgstore.sql'), `INSERT INTO message VALUES ${rows.join(',\n')};`);
  const root = crypto.randomBytes(32);
  const crypt15 = path.join(dir, 'msgstore.db.crypt15');
  fs.writeFileSync(crypt15, writeCrypt15(fs.readFileSync(plain), root));
  fs.rmSync(plain);
  const crypt15Key = path.join(dir, 'encrypted_backup.key');
  fs.writeFileSync(crypt15Key, crypt15KeyFile(root));
  return { crypt15, crypt15Key };
}

function importArgs(s: Sources, op: ImportOp, file: string): string[] {
  if (op === 'import-crypt15') return ['import', file, s.crypt15, '--backup-key-file', s.crypt15Key, '--tz', 'UTC'];
  return ['import', file, op === 'import-zip' ? s.zip : s.text, '--tz', 'UTC'];
}

function run(args: string[]): Promise<{ code: number | null; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/holdfast.js'), ...args], {
    env: { ...process.env, HOLDFAST_PASSPHRASE: PASSPHRASE, HOLDFAST_EXAMINER: 'Kill test' },
    stdio: 'ignore',
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, ms: Date.now() - started })));
}

/**
 * Starts `holdfast args` and SIGKILLs it `delayMs` later, counted from the start, or from the moment
 * `armed()` first holds (polled) when given.
 */
function runAndKill(args: string[], delayMs: number, armed?: () => boolean): Promise<{ killed: boolean }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/holdfast.js'), ...args], {
    env: { ...process.env, HOLDFAST_PASSPHRASE: PASSPHRASE, HOLDFAST_EXAMINER: 'Kill test' },
    stdio: 'ignore',
  });
  return new Promise((resolve) => {
    let killed = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      timer = setTimeout(() => {
        killed = child.kill('SIGKILL');
      }, delayMs);
    };
    const poll = armed ? setInterval(() => {
      if (!armed()) return;
      clearInterval(poll);
      arm();
    }, 10) : undefined;
    if (!armed) arm();
    child.once('exit', (_code, signal) => {
      clearInterval(poll);
      clearTimeout(timer);
      resolve({ killed: killed && signal === 'SIGKILL' });
    });
  });
}

/** The case's write-ahead log has content: the import process has opened the case and begun writing to it. */
function writing(file: string): () => boolean {
  return () => {
    try {
      return fs.statSync(`${file}-wal`).size > 0;
    } catch {
      return false;
    }
  };
}

function copyCase(from: string, to: string): void {
  fs.copyFileSync(from, to);
  for (const ext of ['-wal', '-shm']) if (fs.existsSync(from + ext)) fs.copyFileSync(from + ext, to + ext);
}

function tokens(text: string): Set<string> {
  return new Set(text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean));
}

/** The case opens, verifies, and search totals equal brute-force counts over every message. */
function checkCase(file: string): MessageJson[] {
  const v = cli(['verify', file, '--json']);
  assert.equal(v.status, 0, `verify failed: ${v.stdout}${v.stderr}`);
  const messages = cliJsonl<MessageJson>(['messages', file, '--jsonl']);
  assert.equal(new Set(messages.map((m) => m.id)).size, messages.length, 'message ids are unique');
  for (const word of WORDS) {
    const brute = messages.filter((m) => tokens(m.text).has(word)).length;
    const { total } = cliJson<{ total: number }>(['search', file, word, '--limit', '1', '--json']);
    assert.equal(total, brute, `search total for "${word}" equals the brute-force count`);
  }
  return messages;
}

/** A production folder at `out` is either absent or complete (manifest and every listed hash). */
function checkProductionFolder(out: string): 'none' | 'complete' {
  if (!fs.existsSync(out)) return 'none';
  const manifestFile = path.join(out, 'manifest.json');
  assert.ok(fs.existsSync(manifestFile), `${out} exists without its manifest: a partial production`);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { files: { path: string; sha256: string }[] };
  for (const f of manifest.files) {
    const sha = crypto.createHash('sha256').update(fs.readFileSync(path.join(out, ...f.path.split('/')))).digest('hex');
    assert.equal(sha, f.sha256, `${f.path} matches its manifest hash`);
  }
  return 'complete';
}

interface Prepared {
  sources: Sources;
  /** A case holding both sources, search index built. */
  base: string;
  total: number;
  /** Messages each import adds to an empty case. */
  full: Record<ImportOp, number>;
  durations: Record<KillOp, number>;
}

async function prepare(work: string, textMessages: number, ops: readonly KillOp[], maxDelayMs: number | undefined): Promise<Prepared> {
  const dir = path.join(work, 'sources');
  fs.mkdirSync(dir);
  const sources = await writeSources(dir, textMessages);
  const base = path.join(work, 'base.hfcase');
  cliJson(['create', base, '--json']);
  const durations = {} as Record<KillOp, number>;
  for (const op of ['import-zip', 'import-text'] as const) {
    const r = await run(importArgs(sources, op, base));
    assert.equal(r.code, 0, `calibration ${op}`);
    durations[op] = r.ms;
  }
  const total = sources.zipMessages + sources.textMessages;
  const full: Record<ImportOp, number> = { 'import-zip': sources.zipMessages, 'import-text': sources.textMessages, 'import-crypt15': 0 };
  if (ops.includes('import-crypt15')) {
    const calibrate = path.join(work, 'calibrate-crypt15.hfcase');
    cliJson(['create', calibrate, '--json']);
    const started = Date.now();
    full['import-crypt15'] = cliJson<{ messages: number }>([...importArgs(sources, 'import-crypt15', calibrate), '--json']).messages;
    durations['import-crypt15'] = Date.now() - started;
    assert.ok(full['import-crypt15'] > sources.textMessages, 'the backup holds the generated messages');
  }
  if (maxDelayMs !== undefined) {
    for (const op of ALL_OPS) durations[op] = maxDelayMs / 1.1;
    return { sources, base, total, full, durations };
  }
  if (ops.includes('reindex')) {
    const reindex = await run(['reindex', base]);
    assert.equal(reindex.code, 0);
    durations.reindex = reindex.ms;
  }
  for (const format of ['pdf', 'xlsx'] as const) {
    if (!ops.includes(`produce-${format}`)) continue;
    const out = path.join(work, `calibrate-${format}`);
    const r = await run(['produce', base, '--format', format, '--out', out, '--query', PRODUCE_QUERY]);
    assert.equal(r.code, 0, `calibration produce ${format}`);
    durations[`produce-${format}`] = r.ms;
    fs.rmSync(out, { recursive: true, force: true });
  }
  return { sources, base, total, full, durations };
}

async function round(p: Prepared, work: string, op: KillOp, random: () => number, i: number): Promise<RoundReport> {
  const delayMs = Math.floor(random() * p.durations[op] * 1.1);
  const file = path.join(work, `round-${i}.hfcase`);
  if (isImport(op)) {
    cliJson(['create', file, '--json']);
    const full = p.full[op];
    // The encrypted backup's kill is counted from when the case is being written, so that it lands in the
    // decrypting import itself (node's start-up alone can outlast a short delay on a busy machine).
    await runAndKill(importArgs(p.sources, op, file), delayMs, op === 'import-crypt15' ? writing(file) : undefined);
    const seen = checkCase(file).length;
    assert.ok(seen === 0 || seen === full, `after the kill ${seen} messages are visible; only 0 or ${full} are whole states`);
    if (op === 'import-crypt15') assert.deepEqual(fs.readdirSync(p.sources.dir).filter((n) => n.startsWith('msgstore')), ['msgstore.db.crypt15'], 'nothing decrypted was left beside the backup');
    const redo = cliJson<{ messages: number; alreadyImported: boolean }>([...importArgs(p.sources, op, file), '--json']);
    assert.equal(redo.messages, full - seen, 'the re-run adds exactly what was missing');
    // A kill that landed inside the run (after the checks, the backup decrypted) left a run that the re-run rolled back.
    const interrupted = cliJson<{ action: string; details: { reason?: string } }[]>(['audit', file, '--json'])
      .filter((e) => e.action === 'import.rollback' && e.details.reason === 'interrupted').length;
    const after = checkCase(file);
    assert.equal(after.length, full, 'no duplicates, no gaps');
    if (op === 'import-zip') assert.equal(after.filter((m) => m.attachments.some((a) => a.sha256)).length, 40, 'every medium stored once');
    return { op, delayMs, found: seen === 0 ? 'none' : 'complete', rerun: redo.alreadyImported ? 'already imported' : `imported ${redo.messages}${interrupted ? ' (the killed run was rolled back)' : ''}` };
  }
  copyCase(p.base, file);
  if (op === 'reindex') {
    await runAndKill(['reindex', file], delayMs);
    assert.equal(checkCase(file).length, p.total);
    const redo = cliJson<{ messages: number }>(['reindex', file, '--json']);
    assert.equal(redo.messages, p.total, 'the re-run indexes every message');
    assert.equal(checkCase(file).length, p.total);
    return { op, delayMs, found: 'complete', rerun: `indexed ${redo.messages}` };
  }
  const format = op === 'produce-pdf' ? 'pdf' : 'xlsx';
  const out = path.join(work, `round-${i}-${format}`);
  const args = ['produce', file, '--format', format, '--out', out, '--query', PRODUCE_QUERY];
  const productions = () => cliJson<{ action: string }[]>(['audit', file, '--json']).filter((e) => e.action === 'production.create').length;
  const before = productions();
  await runAndKill(args, delayMs);
  const found = checkProductionFolder(out);
  checkCase(file);
  const expected = cliJson<{ total: number }>(['search', file, PRODUCE_QUERY, '--limit', '1', '--json']).total;
  if (found === 'complete') {
    // Killed after the folder was renamed into place: the case must know the production too.
    // (The rename and the case's record are two steps; see the report for the window between them.)
    return { op, delayMs, found, rerun: `not re-run (complete; ${productions() - before} recorded)` };
  }
  const redo = cliJson<{ messages: number; files: { path: string; sha256: string }[] }>([...args, '--json']);
  assert.equal(redo.messages, expected, 'the re-run produces every selected message');
  assert.equal(checkProductionFolder(out), 'complete');
  assert.equal(productions(), before + 1, 'exactly one production recorded');
  const leftovers = fs.readdirSync(work).filter((n) => n.startsWith(`.round-${i}-${format}`));
  assert.deepEqual(leftovers, [], 'the killed run\'s hidden partial folder was removed by the re-run');
  return { op, delayMs, found, rerun: `produced ${redo.messages} messages in ${redo.files.length} files` };
}

export async function killAtRandom(opts: KillOptions): Promise<RoundReport[]> {
  const log = opts.log ?? (() => {});
  const ops = opts.ops ?? ALL_OPS;
  const work = tempDir('holdfast-kill-');
  const random = rng(opts.seed);
  try {
    const p = await prepare(work, opts.textMessages ?? 3_000, ops, opts.maxDelayMs);
    log(`prepared ${p.total} messages; uninterrupted: ${Object.entries(p.durations).map(([k, v]) => `${k} ${Math.round(v)} ms`).join(', ')}`);
    const reports: RoundReport[] = [];
    for (let i = 0; i < opts.rounds; i++) {
      const op = ops[i % ops.length]!;
      const r = await round(p, work, op, random, i);
      log(`round ${i + 1}/${opts.rounds}: ${r.op} killed after ${r.delayMs} ms; found ${r.found}; re-run: ${r.rerun}`);
      reports.push(r);
    }
    return reports;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { rounds: { type: 'string' }, seed: { type: 'string' }, ops: { type: 'string' }, messages: { type: 'string' } } });
  const ops = values.ops?.split(',').flatMap((o) => ALL_OPS.filter((k) => k === o || k.startsWith(`${o}-`)));
  const seed = values.seed !== undefined ? Number(values.seed) : Date.now() % 1e9;
  console.log(`kill-at-random: seed ${seed}`);
  await killAtRandom({
    rounds: Number(values.rounds ?? 10), seed, ...(ops?.length ? { ops } : {}),
    ...(values.messages ? { textMessages: Number(values.messages) } : {}), log: (l) => console.log(l),
  });
  console.log('all rounds passed');
}
