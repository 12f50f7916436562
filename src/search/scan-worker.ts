/**
 * Worker-thread entry of a two-thread /regex/ scan (parallel-scan.ts): opens the case read-only
 * with a connection of its own, takes chunks of the shared id list until none are left or the scan
 * is stopped, and posts each chunk's matches.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openSearchDocs } from '../case/data/index.ts';
import { textMatcher } from './regex-engine.ts';
import { BATCH, scanBatch } from './scan-batch.ts';
import type { ScanChunkDone, ScanWorkerData } from './parallel-scan.ts';
import { CHUNK, NEXT, STOP } from './parallel-scan.ts';

const port = parentPort;
if (!port) throw new Error('search/scan-worker.ts must run in a worker thread');
const { file, passphrase, ids, control, pattern, flags } = workerData as ScanWorkerData;
const matches = textMatcher(pattern, flags);
const { docs, close } = openSearchDocs(file, passphrase);
try {
  const chunks = Math.ceil(ids.length / CHUNK);
  chunks: for (let c = Atomics.add(control, NEXT, 1); c < chunks; c = Atomics.add(control, NEXT, 1)) {
    const found = new Set<number>();
    // A copy in this thread's own memory: building a batch's Set from a shared array takes twice as long.
    const stretch = ids.slice(c * CHUNK, (c + 1) * CHUNK);
    for (let i = 0; i < stretch.length; i += BATCH) {
      if (Atomics.load(control, STOP) !== 0) break chunks;
      scanBatch(docs, stretch.subarray(i, i + BATCH), matches, found);
    }
    port.postMessage({ chunk: c, matched: Uint32Array.from(found) } satisfies ScanChunkDone);
  }
} finally {
  close();
}
