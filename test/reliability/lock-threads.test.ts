/**
 * The write lock between threads of one process: while a job's worker thread imports, a writer in
 * the main thread (the app deleting, purging or reindexing) is refused with CASE_BUSY — it must
 * not take the lock over as if its holder were dead and roll the live import back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { newCase, tempDir, PASSPHRASE } from '../helpers/case.ts';
import { whatsappLines } from '../helpers/generate.ts';
import { startJob } from '../../src/app/jobs/runner.ts';
import { acquireWriteLock } from '../../src/case/lock.ts';
import { HoldfastError } from '../../src/api/errors.ts';
import { dataOf } from '../../src/case/data/index.ts';

test('a main-thread writer is refused while a worker thread of the same process imports; the import completes', async () => {
  const dir = tempDir();
  const session = newCase(dir);
  try {
    const chat = path.join(dir, 'WhatsApp Chat with Big.txt');
    const total = 80_000;
    fs.writeFileSync(chat, `${[...whatsappLines({ messages: total, seed: 3 })].join('\n')}\n`);
    const job = startJob<{ messages: number }>({ kind: 'import', case: { file: session.path }, params: { source: chat, tz: 'UTC' }, actor: 'Tester' }, PASSPHRASE);
    let done = false;
    const result = job.result.finally(() => (done = true));
    const count = () => session.db.prepare('SELECT count(*) FROM messages').pluck().get() as number;
    while (!done && count() === 0) await new Promise((r) => setTimeout(r, 50));
    session.db.pragma('busy_timeout = 100');
    let refusals = 0;
    let grantedDuringImport = false;
    while (!done) {
      try {
        const lock = acquireWriteLock(dataOf(session), session.path, 'deletion of messages');
        const running = session.db.prepare("SELECT count(*) FROM import_runs WHERE status = 'running'").pluck().get() as number;
        grantedDuringImport ||= running > 0;
        lock.release();
        break;
      } catch (err) {
        assert.ok(err instanceof HoldfastError && err.code === 'CASE_BUSY', `refused with ${String(err)}`);
        refusals++;
        await new Promise((r) => setTimeout(r, 30));
      }
    }
    assert.equal((await result).messages, total);
    assert.equal(grantedDuringImport, false, 'the lock was never granted while the run was live');
    assert.ok(refusals > 0, 'the main thread tried while the import ran');
    assert.equal(count(), total);
    const nested = acquireWriteLock(dataOf(session), session.path, 'outer');
    const inner = acquireWriteLock(dataOf(session), session.path, 'inner');
    inner.release();
    assert.equal(session.db.prepare('SELECT purpose FROM case_lock').pluck().get(), 'outer', 're-entering in one thread keeps the outer lock');
    nested.release();
    assert.equal(session.db.prepare('SELECT count(*) FROM case_lock').pluck().get(), 0);
  } finally {
    session.close();
  }
});

test('a terminated job worker leaves no lock behind: its run is rolled back and the case is writable again', async () => {
  const dir = tempDir();
  const session = newCase(dir);
  try {
    const chat = path.join(dir, 'WhatsApp Chat with Big.txt');
    fs.writeFileSync(chat, `${[...whatsappLines({ messages: 80_000, seed: 4 })].join('\n')}\n`);
    const job = startJob<{ messages: number }>({ kind: 'import', case: { file: session.path }, params: { source: chat, tz: 'UTC' }, actor: 'Tester' }, PASSPHRASE);
    const outcome = job.result.then(() => 'finished', (err: unknown) => (err instanceof HoldfastError ? err.code : String(err)));
    const count = () => session.db.prepare('SELECT count(*) FROM messages').pluck().get() as number;
    while (count() === 0) await new Promise((r) => setTimeout(r, 50));
    // Past the grace period a cancel terminates the thread; here the thread is stopped at once.
    job.terminate();
    assert.equal(await outcome, 'CANCELLED');
    assert.equal(session.db.prepare('SELECT count(*) FROM case_lock').pluck().get(), 0, 'the dead thread holds no lock');
    assert.equal(count(), 0, 'its run was rolled back');
    assert.equal(session.db.prepare("SELECT status FROM import_runs").pluck().get(), 'interrupted');
    acquireWriteLock(dataOf(session), session.path, 'after').release();
  } finally {
    session.close();
  }
});
