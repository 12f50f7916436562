/**
 * One writing job per case. The lock is a row in the encrypted case (no plaintext lock file);
 * a lock whose process is gone is stale and taken over, and the run it left behind is rolled back.
 */
import os from 'node:os';
import { threadId } from 'node:worker_threads';
import { HoldfastError } from '../api/errors.ts';
import type { DB } from './store.ts';
import { mapSqliteError } from './store.ts';
import { recoverInterruptedRuns } from './runs.ts';

interface LockRow {
  pid: number;
  host: string;
  purpose: string;
  acquired_at: number;
}

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
export function recoverStaleWork(db: DB): void {
  const host = os.hostname();
  const stale = db.transaction(() => {
    const held = db.prepare('SELECT * FROM case_lock WHERE id = 1').get() as LockRow | undefined;
    if (held && held.host === host && held.pid !== process.pid && !alive(held.pid)) {
      db.prepare('DELETE FROM case_lock WHERE id = 1').run();
      return true;
    }
    return !held && db.prepare("SELECT 1 FROM import_runs WHERE status = 'running' LIMIT 1").get() !== undefined;
  }).immediate();
  if (stale) recoverInterruptedRuns(db);
}

export function acquireWriteLock(db: DB, file: string, purpose: string): WriteLock {
  const host = os.hostname();
  const nested = heldHere > 0;
  try {
    db.transaction(() => {
      const held = db.prepare('SELECT * FROM case_lock WHERE id = 1').get() as LockRow | undefined;
      if (held && !(held.host === host && (held.pid === process.pid ? nested : !alive(held.pid)))) {
        const since = new Date(held.acquired_at).toISOString();
        throw new HoldfastError(
          'CASE_BUSY',
          `${file} is busy: ${held.purpose} by process ${held.pid} on ${held.host} since ${since}. Wait for it to finish, then try again.`,
          { file, pid: held.pid, host: held.host, purpose: held.purpose },
        );
      }
      if (!nested) db.prepare('INSERT OR REPLACE INTO case_lock(id, pid, thread, host, purpose, acquired_at) VALUES (1, ?, ?, ?, ?, ?)').run(process.pid, threadId, host, purpose, Date.now());
    }).immediate();
  } catch (err) {
    throw mapSqliteError(err, file);
  }
  heldHere++;
  // Runs left 'running' by a dead writer; never while this thread's own run is under way.
  if (!nested) recoverInterruptedRuns(db);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      heldHere--;
      if (heldHere === 0) db.prepare('DELETE FROM case_lock WHERE id = 1 AND pid = ? AND host = ?').run(process.pid, host);
    },
  };
}

/**
 * A job's worker thread was terminated (cancel past its grace period, or a crash) while it may
 * have held the lock: its thread is gone, so its lock row is released here and its run rolled back.
 */
export function releaseAbandonedLock(db: DB, workerThreadId: number): void {
  const { changes } = db.prepare('DELETE FROM case_lock WHERE id = 1 AND pid = ? AND thread = ? AND host = ?').run(process.pid, workerThreadId, os.hostname());
  if (changes > 0) recoverInterruptedRuns(db);
}
