/**
 * Many server processes append to one matter's audit log: connections appending at once still make
 * one chain, every sequence number once and in order, each entry hashed over the real previous one.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { openPostgresData } from '../../src/case/data/postgres/index.ts';
import { chainProblems } from './audit-entries.ts';
import { startPostgres } from '../helpers/postgres.ts';
import type { Postgres } from '../helpers/postgres.ts';

let pg: Postgres;
let url: string;
before(async () => {
  pg = await startPostgres();
  url = pg.createDatabase('holdfast');
});
after(() => pg.stop());

test('four connections appending at once make one gap-free chain that verifies', async (t) => {
  const workers = 4;
  const entries = 40;
  const matter = openPostgresData(url, { matter: 'shared' });
  t.after(() => matter.close());
  const start = new SharedArrayBuffer(8);
  const gate = new Int32Array(start);
  const running = Array.from({ length: workers }, (_, worker) => {
    const w = new Worker(new URL('./audit-appender.ts', import.meta.url), { workerData: { url, matter: 'shared', worker, entries, start } });
    return new Promise<void>((resolve, reject) => {
      w.once('message', () => resolve());
      w.once('error', reject);
      w.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker exited with ${code}`))));
    });
  });
  while (Atomics.load(gate, 1) < workers) await new Promise((r) => setTimeout(r, 20));
  Atomics.store(gate, 0, 1);
  Atomics.notify(gate, 0);
  await Promise.all(running);

  const chain = [...matter.read.audit.chain()];
  assert.deepEqual(chain.map((r) => r.seq), Array.from({ length: workers * entries }, (_, i) => i + 1));
  assert.deepEqual(chainProblems(matter), []);
  const written = chain.map((r) => JSON.parse(r.details) as { worker: number; i: number });
  for (let w = 0; w < workers; w++) {
    assert.deepEqual(written.filter((d) => d.worker === w).map((d) => d.i), Array.from({ length: entries }, (_, i) => i), `worker ${w}'s entries, each once, in its order`);
  }
  const switches = written.filter((d, i) => i > 0 && d.worker !== written[i - 1]!.worker).length;
  assert.ok(switches >= workers, `the appends interleaved (${switches} switches between connections)`);
});
