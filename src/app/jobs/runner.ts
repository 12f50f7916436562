/**
 * Runs long work (import, indexing, production) in a worker thread with its own connection, so
 * the caller's thread never blocks. Progress arrives ~10 times a second; cancel() asks the worker
 * to stop cleanly and terminates it if it has not within the grace period (the case stays
 * consistent either way: an interrupted run is rolled back by the next writer).
 */
import { Worker } from 'node:worker_threads';
import { HoldfastError, isErrorCode } from '../../api/errors.ts';
import type { JobProgress, JobRequest, WorkerMessage } from './types.ts';
import { openCase } from '../../case/open.ts';
import { releaseAbandonedLock } from '../../case/lock.ts';
import { dataOfConnection } from '../../case/data/index.ts';

/** A terminated worker cannot release its own lock: do it for it, and roll back what it left. */
function releaseAfterAbandonedWorker(casePath: string, passphrase: string, workerThread: number): void {
  const { db } = openCase(casePath, passphrase);
  try {
    releaseAbandonedLock(dataOfConnection(db), workerThread);
  } finally {
    db.close();
  }
}

export interface RunningJob<T> {
  result: Promise<T>;
  /** Asks the worker to stop cleanly; terminates it after a grace period. */
  cancel(): void;
  /** Stops the worker at once (the lock and run it leaves are cleaned up by the runner). */
  terminate(): void;
}

const CANCEL_GRACE_MS = 5_000;

/** The Electron build rewrites the default to the bundled worker; tests point it at a built bundle. */
let workerUrl: URL = new URL('./worker.ts', import.meta.url);
export function setWorkerUrl(url: URL): void {
  workerUrl = url;
}

export function startJob<T>(request: JobRequest, passphrase: string, onProgress?: (p: JobProgress) => void): RunningJob<T> {
  const worker = new Worker(workerUrl, { workerData: { request, passphrase } });
  let settled = false;
  const result = new Promise<T>((resolve, reject) => {
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') onProgress?.(m.progress);
      else if (m.type === 'done') {
        settled = true;
        void worker.terminate();
        resolve(m.result as T);
      } else {
        settled = true;
        void worker.terminate();
        const code = isErrorCode(m.error.code) ? m.error.code : 'INTERNAL';
        reject(new HoldfastError(code, m.error.message, m.error.details as Record<string, unknown> | undefined));
      }
    });
    worker.on('error', (err) => {
      settled = true;
      reject(err);
    });
    const workerThread = worker.threadId;
    worker.on('exit', (code) => {
      if (settled) return;
      try {
        releaseAfterAbandonedWorker(request.casePath, passphrase, workerThread);
      } catch {
        // The next writer's open rolls the run back instead (recoverStaleWork after a restart).
      }
      reject(new HoldfastError('CANCELLED', `The ${request.kind} job stopped (exit ${code}); the case was left consistent.`));
    });
  });
  return {
    result,
    cancel() {
      worker.postMessage('cancel');
      const timer = setTimeout(() => void worker.terminate(), CANCEL_GRACE_MS);
      timer.unref();
    },
    terminate() {
      void worker.terminate();
    },
  };
}
