/**
 * Runs long work (import, indexing, production) in a worker thread with its own connection, so
 * the caller's thread never blocks. Progress arrives ~10 times a second; cancel() asks the worker
 * to stop cleanly and terminates it if it has not within the grace period (the case stays
 * consistent either way: an interrupted run is rolled back by the next writer).
 */
import { Worker } from 'node:worker_threads';
import { HoldfastError, isErrorCode } from '../../api/errors.ts';
import type { JobCase, JobProgress, JobRequest, WorkerMessage } from './types.ts';
import { openCase } from '../../case/open.ts';
import { releaseAbandonedLock } from '../../case/lock.ts';
import { dataOfConnection } from '../../case/data/index.ts';
import { openPostgresData } from '../../case/data/postgres/index.ts';
import { joinPassword } from '../../case/data/postgres/url-password.ts';

/** A terminated worker cannot release its own lock: do it for it, and roll back what it left. */
function releaseAfterAbandonedWorker(where: JobCase, secret: string, workerThread: number): void {
  if ('matter' in where) {
    const data = openPostgresData(joinPassword(where.databaseUrl, secret), { matter: where.matter });
    try {
      releaseAbandonedLock(data, workerThread);
    } finally {
      data.close();
    }
    return;
  }
  const { db } = openCase(where.file, secret);
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

/**
 * `secret` is the case file's passphrase, or for a matter the database password (empty when the
 * server's environment has it): it reaches the worker in its own environment, never in the request.
 */
export function startJob<T>(request: JobRequest, secret: string, onProgress?: (p: JobProgress) => void): RunningJob<T> {
  const onMatter = 'matter' in request.case;
  const worker = new Worker(workerUrl, {
    workerData: { request, passphrase: onMatter ? '' : secret },
    ...(onMatter && secret ? { env: { ...process.env, PGPASSWORD: secret } } : {}),
  });
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
        releaseAfterAbandonedWorker(request.case, secret, workerThread);
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
