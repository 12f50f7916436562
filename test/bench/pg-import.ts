/**
 * Import into PostgreSQL (a matter of the matter server) against the same import into a case file,
 * in the same run: the seeded WhatsApp corpus of test/bench/corpus.ts, each import a job in a worker
 * thread as the server and the app run it, into a fresh matter of a throwaway cluster started with
 * PostgreSQL's default durability (fsync and synchronous commit on) and a fresh case file.
 *
 *   node test/bench/pg-import.ts [--size 100k,1m]     prints a table (and JSON on the last line)
 *   npm run bench                                      calls pgImportBenchmarks() with its --size
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { ImportResultDTO } from '../../src/api/dto.ts';
import { startJob } from '../../src/app/jobs/runner.ts';
import { createSession } from '../../src/case/session.ts';
import { openPostgresData } from '../../src/case/data/postgres/index.ts';
import { startPostgres } from '../helpers/postgres.ts';
import { writeWhatsAppCorpus } from './corpus.ts';
import { label, parseSize } from './sizes.ts';
import { cpuSeconds as cpuS } from './usage.ts';

const work = path.join(os.tmpdir(), 'holdfast-bench');
const KEY = 'bench-passphrase';

interface Imported {
  messages: number;
  ms: number;
  /** CPU seconds of this process (the job's threads included) while the import ran. */
  cpuS: number;
  /** CPU seconds of the PostgreSQL cluster meanwhile (0 for the case file). */
  serverCpuS: number;
}


async function timed(run: () => Promise<ImportResultDTO>, serverCpu: () => number): Promise<Imported> {
  const t = performance.now();
  const c = cpuS();
  const s = serverCpu();
  const result = await run();
  return { messages: result.messages, ms: performance.now() - t, cpuS: cpuS() - c, serverCpuS: serverCpu() - s };
}

export async function pgImportBenchmarks(sizes: number[]): Promise<{ rows: { measure: string; holdfast: string; other: string; target: string }[]; runs: Record<string, unknown> }> {
  fs.mkdirSync(work, { recursive: true });
  const pg = await startPostgres({ durable: true });
  const rows: { measure: string; holdfast: string; other: string; target: string }[] = [];
  const runs: Record<string, unknown> = {};
  try {
    const url = pg.createDatabase('bench');
    for (const n of sizes) {
      const size = label(n);
      const corpus = path.join(work, `whatsapp-${size}.txt`);
      if (!fs.existsSync(corpus)) await writeWhatsAppCorpus(corpus, n);
      const matter = `bench_${size.toLowerCase()}`;
      openPostgresData(url, { matter }).close();
      const params = { source: corpus, tz: 'UTC' };
      const intoMatter = await timed(() => startJob<ImportResultDTO>({ kind: 'import', case: { databaseUrl: url, matter }, params, actor: 'bench' }, '').result, () => pg.cpuSeconds());
      const casePath = path.join(work, `pg-bench-${size}.hfcase`);
      fs.rmSync(casePath, { force: true });
      createSession(casePath, KEY, { name: 'bench', examiner: 'bench' }).close();
      const intoFile = await timed(() => startJob<ImportResultDTO>({ kind: 'import', case: { file: casePath }, params, actor: 'bench' }, KEY).result, () => 0);
      fs.rmSync(casePath, { force: true });
      runs[size] = { postgres: intoMatter, caseFile: intoFile };
      // CPU seconds say what the work costs when other processes share the machine (wall time does not).
      const cpu = (i: Imported) => (i.serverCpuS ? `${i.cpuS.toFixed(1)} + ${i.serverCpuS.toFixed(1)} server` : i.cpuS.toFixed(1));
      const rate = (i: Imported) => `${Math.round(i.messages / (i.ms / 1000)).toLocaleString('en-US')}/s (${(i.ms / 1000).toFixed(1)} s wall, ${cpu(i)} s CPU)`;
      rows.push({ measure: `${size} import into PostgreSQL vs into the case file, messages/s`, holdfast: rate(intoMatter), other: `${rate(intoFile)} (case file)`, target: '≥ 20,000' });
    }
  } finally {
    pg.stop();
  }
  return { rows, runs };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { size: { type: 'string', default: '100k' } } });
  const { rows, runs } = await pgImportBenchmarks(values.size.split(',').map(parseSize));
  for (const r of rows) console.log(`| ${r.measure} | ${r.holdfast} | ${r.other} | ${r.target} |`);
  console.log(JSON.stringify(runs));
}
