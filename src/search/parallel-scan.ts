/**
 * A long /regex/ scan of a case file in two threads: this one, on the open case's connection, and a
 * worker (scan-worker.ts) with a read-only connection of its own. Reading and decrypting the
 * messages is nearly all of a scan's time, so two cores halve it. Both take chunks of the id list
 * from a shared counter (the worker joins once its connection is open, and a loaded core simply
 * takes fewer chunks); what a chunk matched is recorded as it arrives, so the results are the
 * one-thread results. Cancel and the time limit stop both threads; a stopped scan rejects only once
 * the worker has exited.
 */
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { setImmediate as yieldTurn, setTimeout as sleep } from 'node:timers/promises';
import type { SearchDocReader } from '../case/data/interface.ts';
import { textMatcher } from './regex-engine.ts';
import { BATCH, record, scanBatch, stopIfAsked } from './scan-batch.ts';
import type { Known, StopCheck } from './scan-batch.ts';

/** The open case's file and the passphrase it was opened with. */
export interface CaseFile {
  path: string;
  passphrase: string;
}

/**
 * Fewer messages than this are read in one thread: the worker's start (a thread, its modules, the
 * passphrase's key derivation for its connection: 0.27-0.33 s of CPU) lasts about as long as one
 * thread takes to read this many (1.9-2.0 µs each at 1M), so below it the worker would find little left.
 */
export const PARALLEL_FROM = 150_000;

/** Ids per chunk taken from the shared counter. */
export const CHUNK = 2_000;

/** Slots of the shared control array: the next chunk to take, and 1 once the scan is stopping. */
export const NEXT = 0;
export const STOP = 1;

export interface ScanWorkerData {
  file: string;
  passphrase: string;
  ids: Uint32Array;
  control: Int32Array;
  pattern: string;
  flags: string;
}

/** A chunk the worker read: its index and the ids in it that matched. */
export interface ScanChunkDone {
  chunk: number;
  matched: Uint32Array;
}

/** The Electron build rewrites this to the bundled worker. */
const scanWorkerUrl = new URL('./scan-worker.ts', import.meta.url);

/**
 * Reads `pending.ids` here (through `docs`) and in a worker, recording what matched in
 * `pending.known`; returns how many of them the worker read.
 */
export async function scanInTwoThreads(
  docs: SearchDocReader,
  pending: { known: Known; ids: Uint32Array; regex: { pattern: string; flags: string } },
  caseFile: CaseFile,
  stop: StopCheck,
  onProgress?: (done: number, total: number) => void,
): Promise<{ workerRead: number; workerFailed: string | null }> {
  const { known, ids, regex } = pending;
  const shared = new Uint32Array(new SharedArrayBuffer(ids.byteLength));
  shared.set(ids);
  const control = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  const chunks = Math.ceil(ids.length / CHUNK);
  const recorded = new Uint8Array(chunks);
  let done = 0;
  let workerRead = 0;
  const chunkIds = (c: number) => ids.subarray(c * CHUNK, Math.min((c + 1) * CHUNK, ids.length));
  const finish = (c: number, found: ReadonlySet<number>) => {
    if (recorded[c] === 1) return;
    const stretch = chunkIds(c);
    record(known, stretch, found);
    recorded[c] = 1;
    done += stretch.length;
    onProgress?.(done, ids.length);
  };

  const data: ScanWorkerData = { file: caseFile.path, passphrase: caseFile.passphrase, ids: shared, control, pattern: regex.pattern, flags: regex.flags };
  const worker = new Worker(scanWorkerUrl, { workerData: data });
  let workerEnded = false;
  /** Why the worker stopped early (its error's code; never its message, which could name the case's secret). */
  let workerFailed: string | null = null;
  // What a progress callback threw while recording a worker's chunk: thrown in this scan's own course.
  let failure: { error: unknown } | null = null;
  const ended = new Promise<void>((resolve) => {
    worker.on('message', (m: ScanChunkDone) => {
      // Once cancelled the scan's results are no longer wanted (the next check stops it).
      if (stop.signal?.aborted || recorded[m.chunk] === 1 || failure) return;
      workerRead += chunkIds(m.chunk).length;
      try {
        finish(m.chunk, new Set(m.matched));
      } catch (error) {
        failure = { error };
      }
    });
    // A worker that fails (its connection would not open) leaves its chunks to this thread; the caller is told.
    worker.on('error', (err: unknown) => {
      workerFailed ??= err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : 'an error';
    });
    worker.on('exit', () => {
      workerEnded = true;
      resolve();
    });
  });

  const rethrow = () => {
    if (failure) throw failure.error;
  };
  const check = () => {
    rethrow();
    stopIfAsked(stop, done, ids.length, performance.now());
  };
  const matches = textMatcher(regex.pattern, regex.flags);
  let slice = performance.now();
  /** Reads chunk `c` here in batches, the event loop getting a turn every ~20 ms. */
  const readChunk = async (c: number) => {
    const stretch = chunkIds(c);
    const found = new Set<number>();
    for (let i = 0; i < stretch.length; i += BATCH) {
      check();
      scanBatch(docs, stretch.subarray(i, i + BATCH), matches, found);
      if (performance.now() - slice > 20) {
        await yieldTurn();
        slice = performance.now();
      }
    }
    finish(c, found);
  };

  let complete = false;
  try {
    for (let c = Atomics.add(control, NEXT, 1); c < chunks; c = Atomics.add(control, NEXT, 1)) await readChunk(c);
    // The worker's last chunks, still answering cancel and the time limit.
    while (done < ids.length && !workerEnded) {
      check();
      await Promise.race([ended, sleep(20, undefined, { ref: false })]);
    }
    // What a failed worker had taken and not posted.
    for (let c = 0; c < chunks; c++) if (recorded[c] === 0) await readChunk(c);
    rethrow();
    complete = true;
    return { workerRead, workerFailed };
  } finally {
    Atomics.store(control, STOP, 1);
    const exited = worker.terminate();
    // Stopped (cancel, time limit, error): the caller hears of it once the worker is gone. Complete: the
    // worker has posted every chunk it took, or is still starting (it will take none) and exits on its own.
    if (!complete) await exited;
  }
}
