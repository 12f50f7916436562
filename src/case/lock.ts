/**
 * One writing job per case. The lock is a row in the encrypted case (no plaintext lock file);
 * a lock whose process is gone is stale and taken over, and the run it left behind is rolled back.
 */
import os from 'node:os';
import { threadId } from 'node:worker_threads';
import { HoldfastError } from '../api/errors.ts';
import { mapSqliteError } from './data/index.ts';
import { recoverInterruptedRuns } from './runs.ts';
import type { CaseData } from './data/interface.ts';

/** Whether a process with this id runs on this machine (EPERM: it does, as another user). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * How many write locks this thread holds (module state is per thread: a job's worker thread has
 * its own). The lock row names only the process, so a row with this process's id is ours to
 * re-enter only if this thread holds it; another thread of the process (the app's main thread
 * while a job imports) must wait like any other writer, or it would roll back a live run.
 */
let heldHere = 0;

export interface WriteLock {
  release(): void;
}

/**
 * On open: if the last writer died (its lock row names a dead process, or runs are left 'running'
 * with no lock at all), roll its work back now so nothing half-imported is ever visible.
 */
export function recoverStaleWork(data: CaseData): void {
  const host = os.hostname();
  const stale = data.write.transaction.immediate(() => {
    const held = data.read.caseLock.holder();
    if (held && held.host === host && held.pid !== process.pid && !alive(held.pid)) {
      data.write.caseLock.clear();
      return true;
    }
    return !held && data.read.importRuns.anyRunning();
  });
  if (stale) recoverInterruptedRuns(data);
}

export function acquireWriteLock(data: CaseData, file: string, purpose: string): WriteLock {
  const host = os.hostname();
  const nested = heldHere > 0;
  try {
    data.write.transaction.immediate(() => {
      const held = data.read.caseLock.holder();
      if (held && !(held.host === host && (held.pid === process.pid ? nested : !alive(held.pid)))) {
        const since = new Date(held.acquired_at).toISOString();
        throw new HoldfastError(
          'CASE_BUSY',
          `${file} is busy: ${held.purpose} by process ${held.pid} on ${held.host} since ${since}. Wait for it to finish, then try again.`,
          { file, pid: held.pid, host: held.host, purpose: held.purpose },
        );
      }
      if (!nested) data.write.caseLock.take({ pid: process.pid, thread: threadId, host, purpose, at: Date.now() });
    });
  } catch (err) {
    throw mapSqliteError(err, file);
  }
  heldHere++;
  // Runs left 'running' by a dead writer; never while this thread's own run is under way.
  if (!nested) recoverInterruptedRuns(data);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      heldHere--;
      if (heldHere === 0) data.write.caseLock.release(process.pid, host);
    },
  };
}

/**
 * A job's worker thread was terminated (cancel past its grace period, or a crash) while it may
 * have held the lock: its thread is gone, so its lock row is released here and its run rolled back.
 */
export function releaseAbandonedLock(data: CaseData, workerThreadId: number): void {
  if (data.write.caseLock.releaseThread(process.pid, workerThreadId, os.hostname())) recoverInterruptedRuns(data);
}
