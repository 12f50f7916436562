/** A worker thread of audit-concurrency.test.ts: its own connection, appending entries once every worker is ready. */
import { parentPort, workerData } from 'node:worker_threads';
import { openPostgresData } from '../../src/case/data/postgres/index.ts';
import { appendEntry } from './audit-entries.ts';

const { url, matter, worker, entries, start } = workerData as { url: string; matter: string; worker: number; entries: number; start: SharedArrayBuffer };
const gate = new Int32Array(start);
const data = openPostgresData(url, { matter });
try {
  Atomics.add(gate, 1, 1);
  Atomics.wait(gate, 0, 0);
  for (let i = 0; i < entries; i++) appendEntry(data, 'test.append', { worker, i });
  parentPort?.postMessage('done');
} finally {
  data.close();
}
