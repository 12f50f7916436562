/**
 * `node test/bench/import-dedupe.ts [--size 1m]`: imports that meet messages the case already holds,
 * as `holdfast import` runs them (the import job: ingest, index, enrichment pass, surveillance):
 *
 * - the first import of an N-message export into an empty case;
 * - a re-import of the same messages (the same export with one message more, so it is a new file:
 *   all but one are duplicates) into that case;
 * - a second custodian's export overlapping the first by half (the same seeded chat from message
 *   N/2 on, N messages: N/2 duplicates, N/2 new) into that case.
 *
 * Rates are messages read per second (new + duplicates). Each import runs in its own process (this
 * file with `child`) on its own copy of the first import's case; wall and CPU seconds and the load
 * average at its start are reported, as the machine may be shared.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { createSession } from '../../src/case/session.ts';
import { startJob } from '../../src/app/jobs/runner.ts';
import type { ImportResultDTO } from '../../src/api/dto.ts';
import { writeWhatsAppCorpus } from './corpus.ts';
import { label, parseSize } from './sizes.ts';
import { cpuSeconds as cpuS, maxRssMb } from './usage.ts';

const BENCH_KEY = 'bench-passphrase';
const work = path.join(os.tmpdir(), 'holdfast-bench');

interface Measured {
  ms: number;
  cpuS: number;
  messages: number;
  duplicates: number;
  load: number;
  maxRssMb: number;
}

async function importInto(casePath: string, source: string, custodian: string): Promise<Measured> {
  if (!fs.existsSync(casePath)) createSession(casePath, BENCH_KEY, { name: 'bench', examiner: 'bench' }).close();
  const load = os.loadavg()[0]!;
  const t = performance.now();
  // One conversation name for every export, so the overlapping ones are the same chat whatever their file names say.
  const job = startJob<ImportResultDTO>({ kind: 'import', case: { file: casePath }, params: { source, tz: 'UTC', custodian, conversation: 'Bench' }, actor: 'bench' }, BENCH_KEY);
  const r = await job.result;
  return { ms: performance.now() - t, cpuS: cpuS(), messages: r.messages, duplicates: r.duplicatesSkipped, load, maxRssMb: maxRssMb() };
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { size: { type: 'string', default: '1m' } } });
if (positionals[0] === 'child') {
  const [, casePath, source, custodian] = positionals;
  process.stdout.write(`${JSON.stringify(await importInto(casePath!, source!, custodian!))}\n`);
} else {
  fs.mkdirSync(work, { recursive: true });
  const self = new URL(import.meta.url).pathname;
  const run = (...args: string[]) =>
    JSON.parse(execFileSync(process.execPath, [self, 'child', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').at(-1)!) as Measured;
  const n = parseSize(values.size);
  const size = label(n);
  const files = { first: path.join(work, `whatsapp-${size}.txt`), again: path.join(work, `again-${size}.txt`), overlap: path.join(work, `overlap-${size}.txt`) };
  if (!fs.existsSync(files.first)) await writeWhatsAppCorpus(files.first, n);
  if (!fs.existsSync(files.again)) await writeWhatsAppCorpus(files.again, n + 1);
  if (!fs.existsSync(files.overlap)) await writeWhatsAppCorpus(files.overlap, n + n / 2, 7, n / 2);
  const cases = { first: path.join(work, `dedupe-first-${size}.hfcase`), again: path.join(work, `dedupe-again-${size}.hfcase`), overlap: path.join(work, `dedupe-overlap-${size}.hfcase`) };
  for (const c of Object.values(cases)) for (const f of [c, `${c}-wal`, `${c}-shm`]) fs.rmSync(f, { force: true });
  console.log(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model}, Node ${process.version}`);
  const line = (what: string, r: Measured) => {
    const read = r.messages + r.duplicates;
    console.log(
      `${what.padEnd(58)} ${read.toLocaleString('en-US')} read (${r.duplicates.toLocaleString('en-US')} duplicates): ${(r.ms / 1000).toFixed(1)} s wall, ${r.cpuS.toFixed(1)} s CPU = ` +
        `${Math.round(read / (r.ms / 1000)).toLocaleString('en-US')} messages/s wall (${Math.round(read / r.cpuS).toLocaleString('en-US')} per CPU second); peak RSS ${r.maxRssMb} MB; load ${r.load.toFixed(1)} at start`,
    );
  };
  const results: Record<string, unknown> = { at: new Date().toISOString(), node: process.version };
  const first = run(cases.first, files.first, 'Alice');
  line(`first import of ${size} into an empty case`, first);
  for (const c of [cases.again, cases.overlap]) fs.copyFileSync(cases.first, c);
  const again = run(cases.again, files.again, 'Alice');
  line(`re-import of the same ${size} (one message more) into it`, again);
  const overlap = run(cases.overlap, files.overlap, 'Bob');
  line(`second custodian's ${size}, half overlapping, into it`, overlap);
  Object.assign(results, { first, again, overlap });
  for (const c of Object.values(cases)) for (const f of [c, `${c}-wal`, `${c}-shm`]) fs.rmSync(f, { force: true });
  const dir = path.join(path.dirname(self), 'results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `import-dedupe-${Date.now()}.json`), `${JSON.stringify(results, null, 2)}\n`);
}
