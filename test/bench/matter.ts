/**
 * The matter server's benchmark (`npm run bench`, skipped with `--skip matter`): the bench's case file
 * copied into a matter of a fresh PostgreSQL cluster (fsync on, as on a real server), then:
 *
 *   server-import    `holdfast server-import`'s engine function on the case: rows/s, with its checks
 *   matter-index     the server's index for the matter loaded from PostgreSQL: time, RSS
 *   matter-server    a matter server in this process: the bench's queries over its API (WebSocket,
 *                    TLS, signed in; the case file's `search` step gives the same queries in-process
 *                    beside them), then 20
 *                    reviewers working through a batch set for HOLDFAST_REVIEWERS_SECONDS (default
 *                    60): calls/s and latency (test/helpers/reviewers.ts)
 *
 * Each step is its own process (child.ts), so its peak RSS is its own.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { createClient } from '../../src/api/client.ts';
import { openSession } from '../../src/app/open-session.ts';
import { dataOf } from '../../src/case/data/index.ts';
import { openPostgresData } from '../../src/case/data/postgres/index.ts';
import { sessionOnData } from '../../src/case/session.ts';
import { ensureIndex, prepareIndex } from '../../src/search/index-manager.ts';
import { Accounts } from '../../src/server/auth/accounts.ts';
import { importCaseFile } from '../../src/server/matter/case-import.ts';
import { connectMatter } from '../../src/server/matter/client.ts';
import { startMatterServer } from '../../src/server/matter/server.ts';
import { startPostgres } from '../helpers/postgres.ts';
import { latencySummary, percentiles, runReviewers } from '../helpers/reviewers.ts';
import { selfSignedCertificate } from '../helpers/tls.ts';
import type { BenchQuery } from './queries.ts';
import { cpuSeconds as cpuS, maxRssMb } from './usage.ts';

const MATTER = 'bench';
const REPEAT = 15;
const REVIEWERS = 20;
const PASSWORD = 'bench password 2026';

interface Row {
  measure: string;
  holdfast: string;
  other: string;
  target: string;
}

export interface Latency {
  p50: number;
  p95: number;
  total: number;
}

const rssMb = () => Math.round(process.memoryUsage().rss / 2 ** 20);
const round = (n: number) => Math.round(n * 100) / 100;

/** As child.ts's latencies, for calls that are awaited: each query once, then REPEAT timed runs each. */
async function latencies(queries: BenchQuery[], runOne: (q: BenchQuery) => Promise<number>): Promise<Record<string, Latency>> {
  const totals = new Map<string, number>();
  for (const q of queries) totals.set(q.name, await runOne(q));
  const result: Record<string, Latency> = {};
  for (const q of queries) {
    const times: number[] = [];
    for (let i = 0; i < REPEAT; i++) {
      const t = performance.now();
      await runOne(q);
      times.push(performance.now() - t);
    }
    const { p50, p95 } = percentiles(times);
    result[q.name] = { p50: round(p50), p95: round(p95), total: totals.get(q.name)! };
  }
  return result;
}

// ---- the steps, each run by child.ts in its own process ----

export function serverImportStep(casePath: string, passphrase: string, databaseUrl: string) {
  const t = performance.now();
  const report = importCaseFile({ file: casePath, passphrase, databaseUrl, matter: MATTER, actor: 'bench' });
  const ms = performance.now() - t;
  const rows = Object.values(report.rows).reduce((a, b) => a + b, 0);
  return { ms, cpuS: cpuS(), rows, messages: report.rows.messages ?? 0, indexChunks: report.rows.search_index_chunks ?? 0, maxRssMb: maxRssMb() };
}

export function matterIndexStep(databaseUrl: string) {
  global.gc?.();
  const before = rssMb();
  const t = performance.now();
  const c = cpuS();
  const data = openPostgresData(databaseUrl, { matter: MATTER });
  const session = sessionOnData(data, `matter ${MATTER}`, data.schemaVersion);
  const openMs = performance.now() - t;
  const info = prepareIndex(session);
  const ms = performance.now() - t;
  const cpuMs = (cpuS() - c) * 1000;
  // The server then reads the stored positions in the background (prepareIndexAsync).
  const tp = performance.now();
  const index = ensureIndex(session);
  for (const _ of index.loadPositionChunks());
  const positionsMs = performance.now() - tp;
  global.gc?.();
  const result = { ms, openMs, loadMs: info.loadMs, cpuMs, positionsMs, messages: index.liveCount, fromStore: info.fromStore, tokenized: info.tokenized, rssBeforeMb: before, rssMb: rssMb(), maxRssMb: maxRssMb() };
  session.close();
  return result;
}

function conversationsOf(casePath: string, passphrase: string): number[] {
  const session = openSession(casePath, passphrase, { readonly: true });
  try {
    return dataOf(session).read.conversations.names().map((c) => c.id);
  } finally {
    session.close();
  }
}

export async function matterServerStep(databaseUrl: string, casePath: string, passphrase: string, queryFile: string, seconds: number) {
  const queries = JSON.parse(fs.readFileSync(queryFile, 'utf8')) as BenchQuery[];
  const conversationIds = conversationsOf(casePath, passphrase);
  const tls = selfSignedCertificate();
  const accounts = await Accounts.open(databaseUrl);
  try {
    await accounts.add('bench', { name: 'lead', role: 'project-manager', password: PASSWORD });
    for (let i = 1; i <= REVIEWERS; i++) await accounts.add('bench', { name: `reviewer${i}`, role: 'reviewer', password: PASSWORD });
    const server = await startMatterServer({ accounts, databaseUrl, host: '127.0.0.1', port: 0, tls: { cert: tls.cert, key: tls.key } });
    try {
      const connect = (user: string) => connectMatter({ origin: server.url, matter: MATTER }, { user, password: PASSWORD, ca: tls.cert });
      const lead = await connect('lead');
      const api = createClient(lead.transport);
      const rssBefore = rssMb();
      let t = performance.now();
      await api.call('search.query', { query: 'price', limit: 50 });
      const firstSearchMs = performance.now() - t;
      const matter = await latencies(queries, async (q) => (await api.call('search.query', { query: q.holdfast, limit: 50 })).total);
      global.gc?.();
      const rssServing = rssMb();

      for (const name of ['Relevant', 'Follow up', 'Key']) await api.call('tags.create', { name });
      t = performance.now();
      const set = await api.call('batches.create', { name: 'Bench pass', unitSize: 1, conversationIds });
      const batchCreateMs = performance.now() - t;
      const connections = [];
      for (let i = 1; i <= REVIEWERS; i++) connections.push({ name: `reviewer${i}`, connection: await connect(`reviewer${i}`) });
      const load = os.loadavg();
      const run = await runReviewers({ connections, batchIds: set.batches.map((b) => b.batchId), tags: ['Relevant', 'Follow up', 'Key'], seconds });
      const calls = [...run.calls.values()].reduce((n, l) => n + l.length, 0);
      for (const c of [lead, ...connections.map((c) => c.connection)]) await c.close();
      return {
        matter, firstSearchMs, rssBeforeMb: rssBefore, rssServingMb: rssServing,
        batchSet: { units: set.units, batches: set.batches.length, messages: set.messages, createMs: batchCreateMs },
        reviewers: { reviewers: REVIEWERS, seconds: run.seconds, calls, perSecond: calls / run.seconds, latency: latencySummary(run), ranOut: run.ranOut, checkedIn: run.checkedIn.size, loadAtStart: load, loadAtEnd: os.loadavg() },
        maxRssMb: maxRssMb(),
      };
    } finally {
      await server.close();
    }
  } finally {
    await accounts.close();
    tls.remove();
  }
}

// ---- the runner's side (run.ts) ----

/** The database's size on disk, asked with psql; NaN when psql cannot tell. */
function databaseMb(url: string): number {
  try {
    return Number(execFileSync('psql', ['-Atq', url, '-c', 'SELECT pg_database_size(current_database())'], { encoding: 'utf8' }).trim()) / 2 ** 20;
  } catch {
    return NaN;
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (n < 10 ? n.toFixed(2) : fmt(n));

/** Starts a PostgreSQL cluster, runs the steps against the bench's case, stops it; rows for the table. */
export async function matterBench(opts: {
  size: string;
  casePath: string;
  queries: BenchQuery[];
  queryFile: string;
  child: <T>(...args: string[]) => T | null;
}): Promise<{ rows: Row[]; results: Record<string, unknown> }> {
  const { size, child } = opts;
  const rows: Row[] = [];
  const results: Record<string, unknown> = {};
  const pg = await startPostgres({ durable: true });
  try {
    const url = pg.createDatabase('holdfast');
    process.stderr.write(`[${size}] server-import into PostgreSQL…\n`);
    const imp = child<ReturnType<typeof serverImportStep>>('server-import', opts.casePath, url);
    results.serverImport = imp;
    if (!imp) return { rows, results };
    const dbMb = databaseMb(url);
    results.databaseMb = dbMb;
    rows.push({
      measure: `${size} server-import of the case into a matter, rows/s (rows; s wall, CPU s of the client)`,
      holdfast: `${fmt(imp.rows / (imp.ms / 1000))} (${fmt(imp.rows)}; ${(imp.ms / 1000).toFixed(1)} s, ${imp.cpuS.toFixed(1)} CPU s)`,
      other: '', target: '',
    });
    rows.push({ measure: `${size} the matter's database on disk, MB (the case file)`, holdfast: `${fmt(dbMb)} (${fmt(fs.statSync(opts.casePath).size / 2 ** 20)})`, other: '', target: '' });
    process.stderr.write(`[${size}] the matter's index loaded from PostgreSQL…\n`);
    const idx = child<ReturnType<typeof matterIndexStep>>('matter-index', url);
    results.matterIndex = idx;
    if (idx) {
      rows.push({
        measure: `${size} matter: connect + index loaded from PostgreSQL, ms (of which the index; CPU ms), then stored positions, ms`,
        holdfast: `${fmt(idx.ms)} (${fmt(idx.loadMs)}; ${fmt(idx.cpuMs)}), ${fmt(idx.positionsMs)}`, other: '', target: '',
      });
      rows.push({ measure: `${size} matter: RSS with the index loaded, MB (before the open; peak)`, holdfast: `${fmt(idx.rssMb)} (${fmt(idx.rssBeforeMb)}; ${fmt(idx.maxRssMb)})`, other: '', target: '' });
    }
    const seconds = Number(process.env.HOLDFAST_REVIEWERS_SECONDS ?? 60);
    process.stderr.write(`[${size}] matter server: search over the API, then ${REVIEWERS} reviewers for ${seconds} s…\n`);
    const srv = child<Awaited<ReturnType<typeof matterServerStep>>>('matter-server', url, opts.casePath, opts.queryFile, String(seconds));
    results.matterServer = srv;
    // The same queries on the case file, measured the same way, right after.
    const onCase = child<{ queries: Record<string, Latency> }>('search', opts.casePath, opts.queryFile);
    results.caseSearch = onCase;
    if (srv) {
      rows.push({ measure: `${size} matter server: sign-in → first search answered (index load included), ms`, holdfast: fmt(srv.firstSearchMs), other: '', target: '' });
      const cell = (l: Latency | undefined) => (l ? `${ms(l.p50)} / ${ms(l.p95)} (${fmt(l.total)})` : 'failed');
      for (const q of opts.queries) {
        const same = srv.matter[q.name]?.total === onCase?.queries[q.name]?.total;
        rows.push({ measure: `${size} search "${q.name}" p50/p95 ms: matter via the server API | case file`, holdfast: cell(srv.matter[q.name]), other: cell(onCase?.queries[q.name]), target: same ? 'totals equal' : 'TOTALS DIFFER' });
      }
      const r = srv.reviewers;
      const l = r.latency;
      rows.push({ measure: `${size} matter server: batch set of the corpus (units, batches, messages), create ms`, holdfast: `${fmt(srv.batchSet.units)}, ${fmt(srv.batchSet.batches)}, ${fmt(srv.batchSet.messages)}; ${fmt(srv.batchSet.createMs)}`, other: '', target: '' });
      rows.push({ measure: `${size} ${r.reviewers} reviewers × ${r.seconds.toFixed(0)} s: calls/s (calls)`, holdfast: `${fmt(r.perSecond)} (${fmt(r.calls)})`, other: '', target: '' });
      rows.push({ measure: `${size} reviewers: coding call latency p50/p95 ms (calls)`, holdfast: `${ms(l.coding.p50)} / ${ms(l.coding.p95)} (${fmt(l.coding.n)})`, other: '', target: '' });
      rows.push({ measure: `${size} reviewers: batch calls (checkout, get, checkin) p50/p95 ms`, holdfast: `${ms(l.batches.p50)} / ${ms(l.batches.p95)} (${fmt(l.batches.n)})`, other: '', target: '' });
      rows.push({ measure: `${size} matter server RSS: signed in, serving searches, MB (peak)`, holdfast: `${fmt(srv.rssBeforeMb)}, ${fmt(srv.rssServingMb)} (${fmt(srv.maxRssMb)})`, other: '', target: '' });
    }
  } finally {
    pg.stop();
  }
  return { rows, results };
}
