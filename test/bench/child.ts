/**
 * One measured benchmark step, run in its own process so its peak RSS is its own
 * (`process.resourceUsage().maxRSS`, which covers worker threads too). Prints one JSON line.
 *
 *   node test/bench/child.ts parse-wcp FILE          whatsapp-chat-parser parsing the file alone
 *   node test/bench/child.ts import CASE FILE        the whole import path, as `holdfast import` runs it
 *   node test/bench/child.ts open CASE QUERY         open the case until the first search has run
 *   node test/bench/child.ts search CASE QUERIES     Holdfast search latencies (QUERIES: JSON file)
 *   node test/bench/child.ts fts5 CASE QUERIES [built]  the same queries against SQLite FTS5 built from the case
 *                                                   (`built`: search the one an earlier round built)
 *   node test/bench/child.ts terms CASE              a 500-term report, and a regular expression over every message
 *   node test/bench/child.ts ui CASE [QUERY]          the app in Chromium: first results painted, scrolling (ui.ts)
 *   node test/bench/child.ts server-import CASE URL   the case copied into a matter (matter.ts, as the next two)
 *   node test/bench/child.ts matter-index URL         the matter's index loaded from PostgreSQL
 *   node test/bench/child.ts matter-server URL CASE QUERIES SECONDS   search over the server's API, then 20 reviewers
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSession } from '../../src/case/session.ts';
import { openSession } from '../../src/app/open-session.ts';
import { startJob } from '../../src/app/jobs/runner.ts';
import type { ImportResultDTO } from '../../src/api/dto.ts';
import { scanRegexes, searchMessages } from '../../src/search/search.ts';
import type { CaseSession } from '../../src/case/session.ts';
import { ensureIndex, prepareIndex } from '../../src/search/index-manager.ts';
import { searchTerms } from '../../src/search/term-list.ts';
import type { BenchQuery } from './queries.ts';
import { benchTerms } from './terms.ts';
import { buildFts5, fts5Search, openFts5 } from './fts5.ts';
import { cpuSeconds, maxRssMb } from './usage.ts';

export const BENCH_KEY = 'bench-passphrase';
/** Runs of each query measured: p95 is then the 57th of 60 (of 15 it was the slowest run). */
const REPEAT = 60;
/** Rounds of every query before the measured runs. */
const WARM_UP = 10;

const rssMb = () => Math.round(process.memoryUsage().rss / 2 ** 20);
const out = (o: unknown) => process.stdout.write(JSON.stringify(o) + '\n');

/**
 * p50 and p95 of the repeated timings of each query. All the queries run WARM_UP times before any is
 * measured, on both sides, so the runs measured do not pay for compiling the search code: V8 compiles
 * and recompiles it in a background thread over the first hundred or so searches (a cluster of ~20
 * runs of `kickback w/3 money` at 2.7 ms instead of 1.0 around the 90th, `--trace-opt`), which a
 * reviewer's session is past. No result is cached between runs.
 */
function latencies(queries: BenchQuery[], runOne: (q: BenchQuery) => number): Record<string, { p50: number; p95: number; total: number }> {
  const result: Record<string, { p50: number; p95: number; total: number }> = {};
  const totals = new Map(queries.map((q) => [q.name, runOne(q)]));
  for (let round = 1; round < WARM_UP; round++) for (const q of queries) runOne(q);
  for (const q of queries) {
    const total = totals.get(q.name)!;
    const times: number[] = [];
    for (let i = 0; i < REPEAT; i++) {
      const t = performance.now();
      runOne(q);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
    result[q.name] = { p50: round(at(0.5)), p95: round(at(0.95)), total };
  }
  return result;
}

const round = (n: number) => Math.round(n * 100) / 100;

async function main(): Promise<void> {
  const [mode, a, b, c, d] = process.argv.slice(2);
  switch (mode) {
    case 'parse-wcp': {
      const { parseString } = await import('whatsapp-chat-parser');
      const t = performance.now();
      const text = fs.readFileSync(a!, 'utf8');
      const messages = parseString(text);
      out({ ms: performance.now() - t, cpuS: cpuSeconds(), messages: messages.length, maxRssMb: maxRssMb() });
      return;
    }
    case 'import': {
      fs.rmSync(a!, { force: true });
      createSession(a!, BENCH_KEY, { name: 'bench', examiner: 'bench' }).close();
      const t = performance.now();
      const job = startJob<ImportResultDTO>({ kind: 'import', case: { file: a! }, params: { source: b!, tz: 'UTC' }, actor: 'bench' }, BENCH_KEY);
      const result = await job.result;
      out({ ms: performance.now() - t, cpuS: cpuSeconds(), messages: result.messages, warnings: result.warningCount, maxRssMb: maxRssMb() });
      return;
    }
    case 'open': {
      const t = performance.now();
      const c = cpuSeconds();
      const session = openSession(a!, BENCH_KEY);
      prepareIndex(session);
      const r = searchMessages(session, { query: b!, limit: 50 });
      const ms = performance.now() - t;
      const cpuMs = (cpuSeconds() - c) * 1000;
      // The first phrase and proximity after the open decode their terms' stored positions (nothing cached yet).
      const tp = performance.now();
      searchMessages(session, { query: '"wire the money"', limit: 50 });
      searchMessages(session, { query: 'price w/5 contract', limit: 50 });
      const firstPositionalMs = performance.now() - tp;
      // What the app then builds in the background: every term's postings (searches meanwhile compute their own).
      const tb = performance.now();
      ensureIndex(session).finishPostings();
      const allPostingsMs = performance.now() - tb;
      global.gc?.();
      out({ ms, cpuMs, total: r.total, firstPositionalMs, allPostingsMs, rssOpenMb: rssMb(), maxRssMb: maxRssMb() });
      session.close();
      return;
    }
    case 'search': {
      const queries = JSON.parse(fs.readFileSync(b!, 'utf8')) as BenchQuery[];
      const session = openSession(a!, BENCH_KEY);
      prepareIndex(session);
      const result = latencies(queries, (q) => searchMessages(session, { query: q.holdfast, limit: 50 }).total);
      out({ queries: result, maxRssMb: maxRssMb() });
      session.close();
      return;
    }
    case 'fts5': {
      const queries = JSON.parse(fs.readFileSync(b!, 'utf8')) as BenchQuery[];
      const file = path.join(path.dirname(a!), 'fts5.db');
      const t = performance.now();
      let fts: ReturnType<typeof openFts5>;
      if (c === 'built') {
        fts = openFts5(file, BENCH_KEY);
      } else {
        const session = openSession(a!, BENCH_KEY);
        fts = buildFts5(session.db, file, BENCH_KEY);
        session.close();
      }
      const buildMs = c === 'built' ? null : performance.now() - t;
      const withFts = queries.filter((q) => q.fts !== undefined);
      const result = latencies(withFts, (q) => fts5Search(fts, q, 'page'));
      const idsOnly = latencies(withFts, (q) => fts5Search(fts, q, 'ids'));
      out({ buildMs, queries: result, idsOnly, maxRssMb: maxRssMb() });
      fts.close();
      return;
    }
    case 'terms': {
      const session = openSession(a!, BENCH_KEY);
      prepareIndex(session);
      const lines = benchTerms().map((query, i) => ({ line: i + 1, query }));
      // The positional postings are assembled from the stored chunks by the first phrase or proximity query after the open.
      let t0 = performance.now();
      ensureIndex(session).positions();
      const positionsMs = performance.now() - t0;
      // Once to compile the code paths (after the build measured above), then measured.
      searchTerms(session, lines.slice(0, 20));
      t0 = performance.now();
      const c0 = cpuSeconds();
      const report = searchTerms(session, lines);
      const reportMs = performance.now() - t0;
      const reportCpuMs = (cpuSeconds() - c0) * 1000;
      const errors = report.terms.filter((x) => x.error).map((x) => `${x.query}: ${x.error!.message}`);
      if (errors.length) throw new Error(`bench terms are not valid queries: ${errors.slice(0, 3).join('; ')}`);
      // As the app runs a /regex/ (search.query): read first, in two threads when the case file is given and the scan long.
      const caseFile = { path: a!, passphrase: BENCH_KEY };
      const kick = await timedRegex(session, '/\\bkick\\w*/', caseFile);
      // A pattern with no run of letters every match must contain reads every message: one thread, then two
      // (the same pattern spelt differently, so the second does not answer from the first one's results).
      const allOne = await timedRegex(session, '/\\b\\d{8,12}\\b/');
      const allTwo = await timedRegex(session, '/\\b(?:\\d{8,12})\\b/', caseFile);
      out({
        terms: lines.length, positionsMs, positionsMb: Math.round(ensureIndex(session).positions().bytes / 2 ** 20), reportMs, reportCpuMs, unionTotal: report.unionTotal,
        kick, allOne, allTwo, maxRssMb: maxRssMb(),
      });
      session.close();
      return;
    }
    case 'ui': {
      const { uiBenchmark } = await import('./ui.ts');
      out(await uiBenchmark(a!, b));
      return;
    }
    case 'server-import':
      out((await import('./matter.ts')).serverImportStep(a!, BENCH_KEY, b!));
      return;
    case 'matter-index':
      out((await import('./matter.ts')).matterIndexStep(a!));
      return;
    case 'matter-server':
      out(await (await import('./matter.ts')).matterServerStep(a!, b!, BENCH_KEY, c!, Number(d)));
      return;
    default:
      throw new Error(`unknown mode ${mode}`);
  }
}

await main();

/** A /regex/ query as the app runs it: wall, process CPU and this thread's CPU (the rest is the scan worker's and V8's helpers). */
async function timedRegex(session: CaseSession, query: string, caseFile?: { path: string; passphrase: string }) {
  const t = performance.now();
  const c0 = cpuSeconds();
  const thread0 = process.threadCpuUsage();
  await scanRegexes(session, query, false, caseFile ? { caseFile } : {});
  const total = searchMessages(session, { query, limit: 50 }).total;
  const thread = process.threadCpuUsage(thread0);
  return { ms: performance.now() - t, cpuMs: (cpuSeconds() - c0) * 1000, mainThreadCpuMs: (thread.user + thread.system) / 1000, total };
}
