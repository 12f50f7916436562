/**
 * `node test/bench/first-hit.ts [--size 1m] [--word price]`: how soon an import's messages can be
 * searched by someone else who has the case open. `holdfast import` of the bench's WhatsApp corpus
 * runs as the app runs it (the import job in its worker thread) into a fresh case, while a second
 * process with its own session on the same case file (the app's reader, or another reviewer)
 * searches for a word the corpus has early every ~50 ms. Reported: ms from the import's start to
 * the first non-zero total; the total and the messages imported at the first hit, at 25/50/75% of
 * the import's wall time and at its end; the latency of those searches (p50/p95); and the import's
 * own wall and CPU seconds beside the same import into another fresh case with no one searching.
 *
 * Each import and the searcher run in their own process (this file with `import` or `search`), so
 * CPU and peak RSS are each their own; times are compared on the shared wall clock
 * (performance.timeOrigin + now). The load average at the start of each import is reported, as the
 * machine may be shared.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { createSession } from '../../src/case/session.ts';
import { openSession } from '../../src/app/open-session.ts';
import { prepareIndex } from '../../src/search/index-manager.ts';
import { searchMessages } from '../../src/search/search.ts';
import { startJob } from '../../src/app/jobs/runner.ts';
import type { ImportResultDTO } from '../../src/api/dto.ts';
import { writeWhatsAppCorpus } from './corpus.ts';
import { label, parseSize } from './sizes.ts';
import { cpuSeconds, maxRssMb } from './usage.ts';

const BENCH_KEY = 'bench-passphrase';
const POLL_MS = 50;
const work = path.join(os.tmpdir(), 'holdfast-bench');
const now = () => performance.timeOrigin + performance.now();

interface Imported {
  startAt: number;
  endAt: number;
  ms: number;
  cpuS: number;
  messages: number;
  maxRssMb: number;
  load: number;
  /** Messages written so far, as the job reported them (about ten times a second). */
  progress: { at: number; items: number; phase: string }[];
}

interface Searched {
  /** One per search: when it started, how long it took, the total it found. */
  polls: { at: number; ms: number; total: number }[];
  cpuS: number;
  maxRssMb: number;
}

async function importJob(casePath: string, source: string): Promise<Imported> {
  if (!fs.existsSync(casePath)) createSession(casePath, BENCH_KEY, { name: 'bench', examiner: 'bench' }).close();
  const progress: Imported['progress'] = [];
  const load = os.loadavg()[0]!;
  const c0 = cpuSeconds();
  const startAt = now();
  const job = startJob<ImportResultDTO>({ kind: 'import', case: { file: casePath }, params: { source, tz: 'UTC' }, actor: 'bench' }, BENCH_KEY, (p) =>
    progress.push({ at: now(), items: p.items, phase: p.phase }));
  const r = await job.result;
  const endAt = now();
  return { startAt, endAt, ms: endAt - startAt, cpuS: cpuSeconds() - c0, messages: r.messages, maxRssMb: maxRssMb(), load, progress };
}

/** Searches `word` every POLL_MS until stdin closes; says "ready" once the (empty) case's index is loaded. */
async function searcher(casePath: string, word: string): Promise<Searched> {
  const session = openSession(casePath, BENCH_KEY);
  prepareIndex(session);
  const polls: Searched['polls'] = [];
  let stop = false;
  process.stdin.on('end', () => (stop = true)).resume();
  process.stdout.write('ready\n');
  while (!stop) {
    const at = now();
    const total = searchMessages(session, { query: word, limit: 50 }).total;
    polls.push({ at, ms: now() - at, total });
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, POLL_MS - (now() - at))));
  }
  session.close();
  return { polls, cpuS: cpuSeconds(), maxRssMb: maxRssMb() };
}

const fresh = (c: string) => {
  for (const f of [c, `${c}-wal`, `${c}-shm`]) fs.rmSync(f, { force: true });
};
const lastJson = <T>(stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!) as T;
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : NaN;
};

const { values, positionals } = parseArgs({ allowPositionals: true, options: { size: { type: 'string', default: '1m' }, word: { type: 'string', default: 'price' } } });
const self = new URL(import.meta.url).pathname;
if (positionals[0] === 'import') {
  process.stdout.write(`${JSON.stringify(await importJob(positionals[1]!, positionals[2]!))}\n`);
} else if (positionals[0] === 'search') {
  process.stdout.write(`${JSON.stringify(await searcher(positionals[1]!, positionals[2]!))}\n`);
} else {
  fs.mkdirSync(work, { recursive: true });
  const n = parseSize(values.size);
  const size = label(n);
  const corpus = path.join(work, `whatsapp-${size}.txt`);
  if (!fs.existsSync(corpus)) await writeWhatsAppCorpus(corpus, n);
  const cases = { alone: path.join(work, `first-hit-alone-${size}.hfcase`), searched: path.join(work, `first-hit-searched-${size}.hfcase`) };
  Object.values(cases).forEach(fresh);
  console.log(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model}, Node ${process.version}; searching "${values.word}" every ${POLL_MS} ms`);

  const alone = lastJson<Imported>(execFileSync(process.execPath, [self, 'import', cases.alone, corpus], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));

  // The reader has the (empty) case open before the import starts, as a reviewer would.
  createSession(cases.searched, BENCH_KEY, { name: 'bench', examiner: 'bench' }).close();
  const search = spawn(process.execPath, [self, 'search', cases.searched, values.word], { stdio: ['pipe', 'pipe', 'inherit'] });
  let searchOut = '';
  const lines = readline.createInterface({ input: search.stdout });
  await new Promise<void>((resolve) => lines.once('line', () => resolve()));
  lines.on('line', (l) => (searchOut += `${l}\n`));
  const imported = lastJson<Imported>(execFileSync(process.execPath, [self, 'import', cases.searched, corpus], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
  // A few more polls after the end, to see when the last batch becomes searchable.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  search.stdin.end();
  await once(search, 'exit');
  const searched = lastJson<Searched>(searchOut);

  const { startAt, endAt } = imported;
  const during = searched.polls.filter((p) => p.at >= startAt && p.at <= endAt);
  const itemsAt = (t: number) => imported.progress.filter((p) => p.at <= t).at(-1)?.items ?? 0;
  const totalAt = (t: number) => searched.polls.filter((p) => p.at + p.ms <= t).at(-1)?.total ?? 0;
  const firstHit = searched.polls.find((p) => p.at >= startAt && p.total > 0);
  const finalTotal = searched.polls.at(-1)?.total ?? 0;
  const complete = searched.polls.find((p) => p.at >= startAt && p.total === finalTotal);
  const point = (what: string, t: number) => ({ what, ms: Math.round(t - startAt), total: totalAt(t), imported: itemsAt(t) });
  const points = [
    ...(firstHit ? [point('first hit', firstHit.at + firstHit.ms)] : []),
    ...[0.25, 0.5, 0.75].map((f) => point(`${f * 100}% of the import`, startAt + f * imported.ms)),
    point('import done', endAt),
    ...(complete ? [{ ...point('final total first seen', complete.at + complete.ms), imported: imported.messages }] : []),
  ];
  const latency = { polls: during.length, p50Ms: quantile(during.map((p) => p.ms), 0.5), p95Ms: quantile(during.map((p) => p.ms), 0.95), maxMs: Math.max(...during.map((p) => p.ms)) };

  console.log(`\nFirst hit for "${values.word}" after the import's start: ${firstHit ? `${Math.round(firstHit.at + firstHit.ms - startAt)} ms (target ≤ 2,000 ms)` : 'never'}`);
  // Where the first hit's time goes: the job's worker starting, hashing the source, the parser reading, the first batch's commit, the reader's catch-up.
  const phaseAt = (phase: string) => imported.progress.find((p) => p.phase === phase)?.at;
  const since = (t: number | undefined) => (t === undefined ? '–' : `${Math.round(t - startAt)} ms`);
  if (firstHit) {
    console.log(`  job's first progress (hashing) ${since(phaseAt('hashing'))}, parser's first progress (importing) ${since(phaseAt('importing'))}, ` +
      `first batch committed by ${since(firstHit.at)} (the search that saw it started then), the reader's catch-up in that search ${Math.round(firstHit.ms)} ms`);
  }
  console.log(`${'point'.padEnd(26)} ${'ms'.padStart(8)} ${'total'.padStart(10)} ${'imported'.padStart(10)}  (imported: written, as of the job's last progress report)`);
  for (const p of points) console.log(`${p.what.padEnd(26)} ${String(p.ms).padStart(8)} ${p.total.toLocaleString('en-US').padStart(10)} ${p.imported.toLocaleString('en-US').padStart(10)}`);
  console.log(`searches during the import: ${latency.polls}, p50 ${latency.p50Ms.toFixed(1)} ms, p95 ${latency.p95Ms.toFixed(1)} ms, max ${latency.maxMs.toFixed(1)} ms; searcher ${searched.cpuS.toFixed(1)} s CPU, peak RSS ${searched.maxRssMb} MB`);
  const line = (what: string, r: Imported) =>
    console.log(`${what.padEnd(26)} ${r.messages.toLocaleString('en-US')} messages: ${(r.ms / 1000).toFixed(1)} s wall, ${r.cpuS.toFixed(1)} s CPU = ` +
      `${Math.round(r.messages / (r.ms / 1000)).toLocaleString('en-US')} messages/s; peak RSS ${r.maxRssMb} MB; load ${r.load.toFixed(1)} at start`);
  line('import, no one searching', alone);
  line('import, searched', imported);

  const dir = path.join(path.dirname(self), 'results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `first-hit-${Date.now()}.json`), `${JSON.stringify({
    at: new Date().toISOString(), node: process.version, size, word: values.word, pollMs: POLL_MS,
    firstHitMs: firstHit ? firstHit.at + firstHit.ms - startAt : null, points, latency,
    searcher: searched, alone, searched: imported,
  }, null, 2)}\n`);
  Object.values(cases).forEach(fresh);
}
