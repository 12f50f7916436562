/**
 * Where a /regex/ scan in two threads starts to pay (PARALLEL_FROM in src/search/parallel-scan.ts):
 * dense ranges of N message ids read in one thread and in two, alternately, on a case the bench
 * imported (default: the 1M one). Per row: wall, this thread's CPU, the process's CPU (worker
 * included), and how many of the N the worker read.
 *
 *   node test/bench/regex-threads.ts [CASE] [--rounds 2]
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { openSession } from '../../src/app/open-session.ts';
import { dataOf } from '../../src/case/data/index.ts';
import { Bitset } from '../../src/search/bitset.ts';
import { scanAsync } from '../../src/search/regex-scan.ts';
import { scanInTwoThreads } from '../../src/search/parallel-scan.ts';
import { cpuSeconds } from './usage.ts';

/** The bench's case passphrase (BENCH_KEY in child.ts, which runs its step when imported). */
const PASSPHRASE = 'bench-passphrase';
const SIZES = [50_000, 100_000, 150_000, 200_000, 400_000];

const { values, positionals } = parseArgs({ allowPositionals: true, options: { rounds: { type: 'string', default: '2' } } });
const file = positionals[0] ?? path.join(os.tmpdir(), 'holdfast-bench', 'case-1M.hfcase');
const session = openSession(file, PASSPHRASE);
const data = dataOf(session);
const threadMs = () => {
  const u = process.threadCpuUsage();
  return (u.user + u.system) / 1000;
};
console.log(`load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log('| messages | threads | wall ms | this thread CPU ms | process CPU ms | worker read |');
console.log('|---|---|---|---|---|---|');
let from = 1;
for (let round = 0; round < Number(values.rounds); round++) {
  for (const n of SIZES) {
    for (const two of [false, true]) {
      // The ranges move along the case, so a read seldom finds its pages in SQLite's cache.
      const ids = new Uint32Array(n).map((_, i) => from + i);
      from = from + 2 * n > 990_000 ? 1 : from + n;
      const known = { checked: new Bitset(ids[n - 1]! + 1), matched: new Bitset(ids[n - 1]! + 1) };
      const regex = { pattern: '\\b\\d{8,12}\\b', flags: '', source: '/\\b\\d{8,12}\\b/' };
      const t = performance.now();
      const thread = threadMs();
      const cpu = cpuSeconds();
      const workerRead = two
        ? (await scanInTwoThreads(data.read.searchDocs, { known, ids, regex }, { path: file, passphrase: PASSPHRASE }, { started: t, limitMs: Infinity, source: regex.source })).workerRead
        : (await scanAsync(data, { known, ids, regex }), 0);
      const row = [n, two ? 2 : 1, performance.now() - t, threadMs() - thread, (cpuSeconds() - cpu) * 1000, workerRead];
      console.log(`| ${row.map((x) => Math.round(x).toLocaleString('en-US')).join(' | ')} |`);
    }
  }
}
session.close();
