/**
 * FlexSearch configurations for Holdfast's index, measured (a benchmark, not a test):
 *
 *   node --expose-gc test/bench/search-configs.ts [--size 100k,1m] [--part configs,case] [--configs a,b]
 *
 * Part "configs": synthetic messages (Zipf-distributed vocabulary of 200k terms, 1-30 terms each,
 * numbers and CJK bigrams among them) fed to FlexSearch `Index`es of different options, each in its
 * own process: build time, heap, FlexSearch's own export (size, time) and import time, Holdfast's
 * stored form → postings load time, and exact-total query latencies (native FlexSearch search with
 * an unbounded limit, and Holdfast's bitset evaluator over the same postings).
 *
 * Part "case": a real encrypted case of N messages (the texts of test/bench/corpus.ts, written
 * straight into the messages table, then indexed by the stored-index writer as an import would),
 * reopened in a fresh process: time until the first search, RSS, and p50/p95 of searchMessages()
 * (ranked top 50 with exact total) for each query class.
 *
 * Prints a table per part and writes JSON to test/bench/results/search-configs-*.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { Index } from 'flexsearch';
import { rng } from '../helpers/generate.ts';
import { MemoryIndex } from '../../src/search/memory-index.ts';
import type { StoredIndex } from '../../src/search/index-store.ts';
import { encodeSegment, IndexWriter } from '../../src/search/index-store.ts';
import { dataOfConnection } from '../../src/case/data/index.ts';
import { encodePositions } from '../../src/search/positions.ts';
import { Bitset } from '../../src/search/bitset.ts';
import { evaluate } from '../../src/search/evaluate.ts';
import { parseQuery } from '../../src/search/query-parser.ts';
import { createSession } from '../../src/case/session.ts';
import { openSession } from '../../src/app/open-session.ts';
import { searchMessages } from '../../src/search/search.ts';
import { prepareIndex } from '../../src/search/index-manager.ts';
import { writeWhatsAppCorpus, START } from './corpus.ts';
import { QUERIES } from './queries.ts';
import { label, parseSize } from './sizes.ts';

const here = path.dirname(new URL(import.meta.url).pathname);
const work = path.join(os.tmpdir(), 'holdfast-bench');
const KEY = 'bench-passphrase';
const REPEAT = 15;

interface Config {
  name: string;
  options: Record<string, unknown>;
  /** Holdfast's evaluator can run on it (tokenize strict, no context). */
  evaluator: boolean;
  note: string;
}

const CONFIGS: Config[] = [
  { name: 'strict-r1', options: { tokenize: 'strict', resolution: 1 }, evaluator: true, note: 'one slot per term: no positional relevance' },
  { name: 'strict-r3', options: { tokenize: 'strict', resolution: 3 }, evaluator: true, note: 'three slots (chosen)' },
  { name: 'strict-r9', options: { tokenize: 'strict', resolution: 9 }, evaluator: true, note: "FlexSearch's default resolution" },
  { name: 'strict-r9-fastupdate', options: { tokenize: 'strict', resolution: 9, fastupdate: true }, evaluator: false, note: 'register of posting arrays per id (fast remove)' },
  { name: 'forward-r3', options: { tokenize: 'forward', resolution: 3 }, evaluator: false, note: 'every prefix indexed (native prefix*)' },
  { name: 'strict-r3-context', options: { tokenize: 'strict', resolution: 3, context: { depth: 1, bidirectional: false } }, evaluator: false, note: 'contextual index (term pairs) for phrases' },
];

const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
const round = (n: number) => Math.round(n * 100) / 100;
const heap = () => {
  global.gc?.();
  global.gc?.();
  return process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
};

function percentiles(times: number[]): { p50: number; p95: number } {
  const t = [...times].sort((a, b) => a - b);
  const at = (p: number) => t[Math.min(t.length - 1, Math.floor(p * t.length))]!;
  return { p50: round(at(0.5)), p95: round(at(0.95)) };
}

function time<T>(fn: () => T): { ms: number; value: T } {
  const t = performance.now();
  const value = fn();
  return { ms: performance.now() - t, value };
}

// ---------------------------------------------------------------- synthetic corpus (part "configs")

interface Synthetic {
  terms: string[];
  /** Term ids per message, 0 between fields never occurs here. */
  offsets: Uint32Array;
  tokens: Uint32Array;
}

/** Synthetic words from syllables: pronounceable, distinct, stable. */
function vocabulary(v: number): string[] {
  const syl = ['ka', 'ro', 'mi', 'ta', 'ne', 'su', 'lo', 'vi', 'da', 'pe', 'zu', 'qi', 'bo', 'fe', 'gu', 'ha', 'ji', 'ly', 'wo', 'xe'];
  const words: string[] = [''];
  const seen = new Set<string>();
  const r = rng(99);
  while (words.length <= v) {
    const n = 1 + Math.floor(r() * 4);
    let w = '';
    for (let i = 0; i < n; i++) w += syl[Math.floor(r() * syl.length)];
    if (r() < 0.08) w = String(Math.floor(r() * 1e6));
    if (r() < 0.05) w = String.fromCodePoint(0x4e00 + Math.floor(r() * 2000), 0x4e00 + Math.floor(r() * 2000));
    if (!seen.has(w)) {
      seen.add(w);
      words.push(w);
    }
  }
  return words;
}

function synthetic(n: number): Synthetic {
  const V = 200_000;
  const terms = vocabulary(V);
  // Zipf (s ≈ 1) by inverse CDF over a precomputed table.
  const cdf = new Float64Array(V);
  let sum = 0;
  for (let i = 0; i < V; i++) cdf[i] = sum += 1 / (i + 1);
  for (let i = 0; i < V; i++) cdf[i]! /= sum;
  const r = rng(1234);
  const offsets = new Uint32Array(n + 2);
  const tokens: number[] = [];
  for (let id = 1; id <= n; id++) {
    offsets[id] = tokens.length;
    const len = 1 + Math.floor(-Math.log(1 - r()) * 9) % 30;
    for (let k = 0; k < len; k++) {
      const x = r();
      let lo = 0;
      let hi = V - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cdf[mid]! < x) lo = mid + 1;
        else hi = mid;
      }
      tokens.push(lo + 1);
    }
  }
  offsets[n + 1] = tokens.length;
  return { terms, offsets, tokens: Uint32Array.from(tokens) };
}

function configChild(n: number, configName: string): Record<string, unknown> {
  const config = CONFIGS.find((c) => c.name === configName)!;
  const data = synthetic(n);
  const base = heap();
  const flex = new Index({ ...config.options, encode: (s: string) => (s ? s.split(' ') : []) } as ConstructorParameters<typeof Index>[0]);
  const build = time(() => {
    for (let id = 1; id <= n; id++) {
      const parts: string[] = [];
      for (let k = data.offsets[id]!; k < data.offsets[id + 1]!; k++) parts.push(data.terms[data.tokens[k]!]!);
      flex.add(id, parts.join(' '));
    }
  });
  const indexBytes = heap() - base;
  const out: Record<string, unknown> = { config: configName, messages: n, tokens: data.tokens.length, buildMs: Math.round(build.ms), heapMb: mb(indexBytes) };

  // Query terms by frequency rank: common (rank 1-20), mid (200-2000), rare (20k+), prefixes.
  const pick = (from: number, to: number, k: number) => {
    const r = rng(from);
    return Array.from({ length: k }, () => data.terms[from + Math.floor(r() * (to - from))]!);
  };
  const common = pick(1, 20, 10);
  const mid = pick(200, 2000, 10);
  const rare = pick(20_000, 150_000, 10);
  const prefixes = pick(1, 300, 10).map((t) => t.slice(0, 3)).filter((p) => p.length === 3 && /^[a-z]+$/.test(p));
  const classes: Record<string, string[]> = {
    'word common': common,
    'word mid': mid,
    'word rare': rare,
    'AND common+mid': common.map((c, i) => `${c} ${mid[i]}`),
    'OR x3 mid': mid.map((m, i) => `${m} ${mid[(i + 1) % mid.length]} ${mid[(i + 2) % mid.length]}`),
  };

  // FlexSearch's own search, every result (exact total needs an unbounded limit).
  const native: Record<string, { p50: number; p95: number }> = {};
  const all = { limit: n + 1 };
  for (const [name, qs] of Object.entries(classes)) {
    if (name.startsWith('OR')) continue;
    const times: number[] = [];
    for (let rep = 0; rep < 3; rep++) for (const q of qs) times.push(time(() => (flex.search(q, all) as unknown[]).length).ms);
    native[name] = percentiles(times);
  }
  if (configName.startsWith('forward')) {
    const times: number[] = [];
    for (let rep = 0; rep < 3; rep++) for (const p of prefixes) times.push(time(() => (flex.search(p, all) as unknown[]).length).ms);
    native['prefix'] = percentiles(times);
  }
  out.nativeSearch = native;

  // FlexSearch's own persistence: export (JSON strings) and import into a fresh index.
  if (config.evaluator || configName === 'forward-r3') {
    const chunks: Array<[string, string]> = [];
    const exp = time(() => flex.export((key: string, value: string) => void chunks.push([key, value])));
    const bytes = chunks.reduce((s, [, v]) => s + v.length, 0);
    const fresh = new Index({ ...config.options, encode: (s: string) => (s ? s.split(' ') : []) } as ConstructorParameters<typeof Index>[0]);
    const imp = time(() => {
      for (const [k, v] of chunks) fresh.import(k, v);
    });
    out.flexExport = { ms: Math.round(exp.ms), mb: mb(bytes), chunks: chunks.length };
    out.flexImportMs = Math.round(imp.ms);
    chunks.length = 0;
  }

  if (config.evaluator) {
    // Holdfast's stored form → MemoryIndex, every term's postings built from the term sequences and handed to import().
    const resolution = Number(config.options.resolution);
    const docs = Array.from({ length: n }, (_, i) => ({ id: i + 1, conversationId: 1, senderId: 1, sentAt: START + i * 20_000, flags: 0 }));
    const termIds = docs.map((d) => data.tokens.subarray(data.offsets[d.id]!, data.offsets[d.id + 1]!));
    const encoded = encodeSegment(docs, termIds);
    const stored: StoredIndex = {
      meta: { format: 2, tokenizer: 1, watermark: n, docs: n, terms: data.terms.length, sortedUpTo: 1, segments: 1, deadChunks: 0, dead: 0, builtAt: 0 },
      terms: data.terms, sorted: new Uint32Array(0), segments: [{ key: 'seg', messages: n, terms: data.tokens.length, data: encoded, positions: 'pos' }], dead: [],
    };
    out.storedSegmentMb = mb(encoded.length);
    const before = heap();
    const load = time(() => {
      const ix = MemoryIndex.fromStored(stored, resolution);
      ix.finishPostings();
      return ix;
    });
    load.value.readPositionChunk = () => encodePositions(termIds);
    const ix = load.value;
    const sortMs = time(() => ix.prefixTerms('zz')).ms;
    out.storedLoadMs = Math.round(load.ms);
    out.sortDictionaryMs = Math.round(sortMs);
    out.memoryIndexMb = mb(heap() - before);
    const ctx = { index: ix, data: null as never, db: null as never, displayTz: 'UTC', universe: ix.live, warnings: [] as string[] };
    const mine: Record<string, { p50: number; p95: number }> = {};
    const withPrefix = { ...classes, prefix: prefixes.map((p) => `${p}*`), phrase: common.map((c, i) => `"${c} ${common[(i + 1) % common.length]}"`) };
    for (const [name, qs] of Object.entries(withPrefix)) {
      const parsed = qs.map((q) => parseQuery(q).root);
      const times: number[] = [];
      for (let rep = 0; rep < 3; rep++) for (const root of parsed) times.push(time(() => (evaluate(ctx, root) as Bitset).count()).ms);
      mine[name] = percentiles(times);
    }
    out.evaluatorSearch = mine;
  }
  out.rssMb = mb(process.memoryUsage().rss);
  return out;
}

// ---------------------------------------------------------------- real case (part "case")

async function buildCase(n: number, file: string): Promise<Record<string, unknown>> {
  const corpus = path.join(work, `whatsapp-${label(n)}.txt`);
  if (!fs.existsSync(corpus)) await writeWhatsAppCorpus(corpus, n);
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  const s = createSession(file, KEY, { name: 'bench', examiner: 'bench' });
  const db = s.db;
  const now = Date.now();
  const authors = new Map<string, number>();
  const insert = time(() => {
    db.transaction(() => {
      db.prepare("INSERT INTO import_runs(id, source_path, source_sha256, importer, importer_version, started_at, status) VALUES (1, ?, 'bench', 'bench', '1', ?, 'complete')").run(corpus, now);
      db.prepare("INSERT INTO sources(id, path, name, size, sha256, format, importer_version, tz, imported_at, run_id) VALUES (1, ?, 'bench', 0, 'bench', 'whatsapp-txt', '1', 'UTC', ?, 1)").run(corpus, now);
      db.prepare("INSERT INTO conversations(id, platform, external_id, kind, name, run_id) VALUES (1, 'whatsapp', 'bench', 'group', 'Bench group', 1)").run();
      const handle = db.prepare("INSERT INTO handles(kind, value, display, participant_id, run_id) VALUES ('name', ?, ?, ?, 1)");
      const participant = db.prepare('INSERT INTO participants(display_name, created_at) VALUES (?, ?)');
      const msg = db.prepare(
        `INSERT INTO messages(conversation_id, sender_handle_id, sent_at, raw_time, kind, text, direction, fingerprint, fingerprint_key, content_sha256, run_id, source_id, locator)
         VALUES (1, ?, ?, '', 'message', ?, 'in', ?, ?, '', 1, 1, ?)`,
      );
      const occ = db.prepare('INSERT INTO message_occurrences(message_id, source_id, custodian_id, locator, run_id) VALUES (?, 1, NULL, ?, 1)');
      const lines = fs.readFileSync(corpus, 'utf8').split('\n');
      let current: { at: number; author: number; text: string; line: number } | null = null;
      const flush = () => {
        if (!current) return;
        const id = Number(msg.run(current.author, current.at, current.text, `f${current.line}`, current.line, `line ${current.line}`).lastInsertRowid);
        occ.run(id, `line ${current.line}`);
      };
      const HEAD = /^(\d\d)\/(\d\d)\/(\d{4}), (\d\d):(\d\d) - ([^:]+): (.*)$/;
      lines.forEach((line, i) => {
        const m = HEAD.exec(line);
        if (m) {
          flush();
          const name = m[6]!;
          let author = authors.get(name);
          if (author === undefined) {
            const p = Number(participant.run(name, now).lastInsertRowid);
            author = Number(handle.run(name, name, p).lastInsertRowid);
            authors.set(name, author);
          }
          current = { at: Date.UTC(Number(m[3]), Number(m[2]) - 1, Number(m[1]), Number(m[4]), Number(m[5])), author, text: m[7]!, line: i + 1 };
        } else if (current && line && !/^\d\d\/\d\d\/\d{4}, /.test(line)) {
          current.text += `\n${line}`;
        } else if (!line || /^\d\d\/\d\d\/\d{4}, /.test(line)) {
          flush();
          current = null;
        }
      });
      flush();
    })();
  });
  const messages = db.prepare('SELECT count(*) FROM messages').pluck().get() as number;
  const index = time(() => {
    const w = new IndexWriter(dataOfConnection(db));
    const added = w.catchUp();
    w.writeSorted();
    return added;
  });
  const chunkMb = mb((db.prepare('SELECT sum(length(data)) FROM search_index_chunks').pluck().get() as number) ?? 0);
  const terms = JSON.parse((db.prepare("SELECT data FROM search_index_chunks WHERE key = 'meta'").pluck().get() as Buffer).toString()).terms as number;
  s.close();
  return { messages, insertMs: Math.round(insert.ms), indexMs: Math.round(index.ms), indexed: index.value, storedIndexMb: chunkMb, terms, fileMb: mb(fs.statSync(file).size) };
}

/** CPU milliseconds of this process (user + system): on a machine shared with other work, the
 *  wall clock measures the queue for the cores as much as the work; both are reported. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function caseOpenChild(file: string): Record<string, unknown> {
  const c0 = cpuMs();
  const t = performance.now();
  const s = openSession(file, KEY, { readonly: true });
  const info = prepareIndex(s);
  const first = searchMessages(s, { query: 'price', limit: 50 });
  const ms = performance.now() - t;
  const cpu = cpuMs() - c0;
  global.gc?.();
  const out = { openMs: Math.round(ms), openCpuMs: Math.round(cpu), loadMs: Math.round(info.loadMs), tokenized: info.tokenized, firstTotal: first.total, rssMb: mb(process.memoryUsage().rss), heapMb: mb(process.memoryUsage().heapUsed), maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
  s.close();
  return out;
}

const EXTRA = [
  { name: 'ranked OR x3 (top 50)', holdfast: 'price OR deal OR invoice' },
  { name: 'NOT only', holdfast: '-price' },
  { name: 'CJK inside a run', holdfast: '確認' },
  { name: 'phrase x2 common', holdfast: '"call tomorrow"' },
  { name: 'time-desc sort', holdfast: 'contract', sort: 'time-desc' as const },
];

function caseSearchChild(file: string): Record<string, unknown> {
  const s = openSession(file, KEY, { readonly: true });
  prepareIndex(s);
  const queries = [...QUERIES.map((q) => ({ name: q.name, holdfast: q.holdfast, sort: undefined })), ...EXTRA];
  const result: Record<string, { p50: number; p95: number; cpuP50: number; cpuP95: number; total: number }> = {};
  for (const q of queries) {
    const run = () => searchMessages(s, { query: q.holdfast, limit: 50, ...(q.sort ? { sort: q.sort } : {}) });
    const total = run().total;
    const times: number[] = [];
    const cpus: number[] = [];
    for (let i = 0; i < REPEAT; i++) {
      const c = cpuMs();
      times.push(time(run).ms);
      cpus.push(cpuMs() - c);
    }
    const cpu = percentiles(cpus);
    result[q.name] = { ...percentiles(times), cpuP50: cpu.p50, cpuP95: cpu.p95, total };
  }
  s.close();
  return { queries: result, rssMb: mb(process.memoryUsage().rss) };
}

// ---------------------------------------------------------------- driver

function child(...args: string[]): Record<string, unknown> {
  const stdout = execFileSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', path.join(here, 'search-configs.ts'), '--child', ...args], {
    encoding: 'utf8', maxBuffer: 64 * 2 ** 20, stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { size: { type: 'string', default: '100k,1m' }, part: { type: 'string', default: 'configs,case' }, configs: { type: 'string' }, reuse: { type: 'boolean' }, child: { type: 'boolean' } },
  });
  fs.mkdirSync(work, { recursive: true });
  if (values.child) {
    const [mode, a, b] = positionals;
    let out: Record<string, unknown>;
    if (mode === 'config') out = configChild(Number(a), b!);
    else if (mode === 'build-case') out = await buildCase(Number(a), b!);
    else if (mode === 'open') out = caseOpenChild(a!);
    else out = caseSearchChild(a!);
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  }
  const sizes = values.size.split(',').map(parseSize);
  const parts = new Set(values.part.split(','));
  const configs = values.configs ? values.configs.split(',') : CONFIGS.map((c) => c.name);
  const results: Record<string, unknown> = {
    at: new Date().toISOString(), node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGb: Math.round(os.totalmem() / 2 ** 30), loadBefore: os.loadavg(),
  };
  for (const n of sizes) {
    const size = label(n);
    if (parts.has('configs')) {
      const rows: Record<string, unknown>[] = [];
      for (const c of configs) {
        process.stderr.write(`[${size}] config ${c}…\n`);
        rows.push(child('config', String(n), c));
      }
      results[`configs-${size}`] = rows;
      console.log(`\nFlexSearch configurations, ${size} synthetic messages (ms; MB; p50/p95 exact-total latency)`);
      for (const r of rows) {
        const ns = r.nativeSearch as Record<string, { p50: number; p95: number }>;
        const ev = r.evaluatorSearch as Record<string, { p50: number; p95: number }> | undefined;
        const fmt = (o?: Record<string, { p50: number; p95: number }>) => (o ? Object.entries(o).map(([k, v]) => `${k} ${v.p50}/${v.p95}`).join('; ') : '-');
        console.log(
          `${String(r.config).padEnd(22)} build ${r.buildMs} ms, heap ${r.heapMb} MB` +
            (r.flexExport ? `, export ${(r.flexExport as { ms: number; mb: number }).ms} ms/${(r.flexExport as { mb: number }).mb} MB JSON, import ${r.flexImportMs} ms` : '') +
            (r.storedLoadMs !== undefined ? `, stored-form load ${r.storedLoadMs} ms (+${r.sortDictionaryMs} ms dictionary sort), ${r.memoryIndexMb} MB` : '') +
            `\n    native: ${fmt(ns)}\n    evaluator: ${fmt(ev)}`,
        );
      }
    }
    if (parts.has('case')) {
      const file = path.join(work, `search-case-${size}.hfcase`);
      // --reuse keeps a case built by an earlier run (its stored index is rebuilt if the format changed).
      let built: Record<string, unknown>;
      if (values.reuse && fs.existsSync(file)) {
        built = { reused: true, fileMb: mb(fs.statSync(file).size) };
      } else {
        process.stderr.write(`[${size}] building case…\n`);
        built = child('build-case', String(n), file);
      }
      process.stderr.write(`[${size}] open…\n`);
      const opens = [child('open', file), child('open', file), child('open', file)];
      process.stderr.write(`[${size}] search…\n`);
      const search = child('search', file);
      results[`case-${size}`] = { built, opens, search };
      console.log(`\nReal case, ${size} messages: insert ${built.insertMs} ms, index build ${built.indexMs} ms, stored index ${built.storedIndexMb} MB (${built.terms} terms), file ${built.fileMb} MB`);
      for (const o of opens) console.log(`  open → first search ${o.openMs} ms wall, ${o.openCpuMs} ms CPU (index load ${o.loadMs} ms, tokenized ${o.tokenized}), RSS ${o.rssMb} MB, peak ${o.maxRssMb} MB`);
      for (const [q, v] of Object.entries(search.queries as Record<string, { p50: number; p95: number; cpuP50: number; cpuP95: number; total: number }>)) {
        console.log(`  ${q.padEnd(28)} wall p50 ${v.p50} p95 ${v.p95} ms | CPU p50 ${v.cpuP50} p95 ${v.cpuP95} ms | total ${v.total}`);
      }
      console.log(`  RSS while searching ${search.rssMb} MB`);
    }
  }
  results.loadAfter = os.loadavg();
  const dir = path.join(here, 'results');
  fs.mkdirSync(dir, { recursive: true });
  const outFile = path.join(dir, `search-configs-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(outFile, JSON.stringify(results, null, 2));
  console.log(`\nJSON: ${path.relative(process.cwd(), outFile)}  (load before ${(results.loadBefore as number[]).map((x) => x.toFixed(1)).join(' ')}, after ${os.loadavg().map((x) => x.toFixed(1)).join(' ')})`);
}

await main();
