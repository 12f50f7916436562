/**
 * A /regex/ scan in two threads (src/search/parallel-scan.ts) against the same scan in one thread, on a
 * real encrypted case: the same messages checked and matched, progress up to the total, the worker
 * gone once the scan is, and after a cancel no worker thread left running when the scan rejects. This thread's reads are slowed down until the worker has read
 * a chunk, so the worker takes part however loaded the machine is.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { newCase, PASSPHRASE, tempDir } from '../helpers/case.ts';
import { writeCorpus } from '../helpers/search-corpus.ts';
import { runImport } from '../../src/app/run-import.ts';
import { dataOf } from '../../src/case/data/index.ts';
import type { SearchDocReader } from '../../src/case/data/interface.ts';
import type { CaseSession } from '../../src/case/session.ts';
import { HoldfastError } from '../../src/api/errors.ts';
import { Bitset } from '../../src/search/bitset.ts';
import { ensureIndex } from '../../src/search/index-manager.ts';
import { members } from '../../src/search/rank.ts';
import { scanAsync } from '../../src/search/regex-scan.ts';
import { CHUNK, scanInTwoThreads } from '../../src/search/parallel-scan.ts';
import type { Known } from '../../src/search/scan-batch.ts';

let session: CaseSession;
let ids: Uint32Array;

before(async () => {
  const dir = tempDir('holdfast-parallel-scan-');
  session = newCase(dir);
  const chats = [{ name: 'Scan Room', authors: ['Alice Smith', 'Bob Jones', 'Dmitri Petrov'], messages: 9_000 }];
  for (const f of writeCorpus(dir, chats, 7)) await runImport(session, { source: f, tz: 'UTC', dateOrder: 'dmy' }, new AbortController().signal);
  const index = ensureIndex(session);
  ids = members(index.live, index.live.count());
  assert.ok(ids.length > 4 * CHUNK, `${ids.length} messages make several chunks`);
});

function known(): Known {
  const size = ensureIndex(session).maxId + 1;
  return { checked: new Bitset(size), matched: new Bitset(size) };
}

const threads = () => Number(/Threads:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))![1]);
const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * This thread's reader, slowed by 100 ms a batch until progress shows messages it did not read
 * itself (the worker's), so that the worker has chunks left to take when it starts.
 */
function slowedUntilWorker(): { docs: SearchDocReader; onProgress: (done: number) => void } {
  const docs = dataOf(session).read.searchDocs;
  let readHere = 0;
  let seen = false;
  return {
    docs: {
      ...docs,
      textsInRange(lo, hi) {
        readHere += hi - lo + 1;
        if (!seen) pause(100);
        return docs.textsInRange(lo, hi);
      },
    },
    onProgress: (done) => {
      if (done > readHere) seen = true;
    },
  };
}

const stop = (source: string, signal?: AbortSignal) => ({ signal, started: performance.now(), limitMs: 60_000, source });

for (const [pattern, flags] of [['\\b\\d{2,}\\b', ''], ['price|deal|money', 'i'], ['^.{0,12}$', 's']] as const) {
  test(`two threads check and match exactly the messages one thread does: /${pattern}/${flags}`, async () => {
    const source = `/${pattern}/${flags}`;
    const regex = { pattern, flags, source };
    const one = known();
    await scanAsync(dataOf(session), { known: one, ids, regex });
    const two = known();
    const slowed = slowedUntilWorker();
    const progress: number[] = [];
    const before = threads();
    const { workerRead } = await scanInTwoThreads(slowed.docs, { known: two, ids, regex }, { path: session.path, passphrase: PASSPHRASE }, stop(source), (done, total) => {
      assert.equal(total, ids.length);
      progress.push(done);
      slowed.onProgress(done);
    });
    assert.ok(workerRead > 0 && workerRead < ids.length, `the worker read ${workerRead} of ${ids.length}`);
    // A complete scan does not wait for the worker's exit; it follows at once (it has nothing left to take).
    for (let waited = 0; threads() > before && waited < 5_000; waited += 10) await sleep(10);
    assert.equal(threads(), before, 'the worker has exited');
    assert.deepEqual(progress, [...progress].sort((a, b) => a - b));
    assert.equal(progress.at(-1), ids.length);
    assert.equal(two.checked.count(), ids.length);
    const matched = members(one.matched, one.matched.count());
    assert.ok(matched.length > 0 && matched.length < ids.length, `${matched.length} matches`);
    assert.deepEqual(members(two.matched, two.matched.count()), matched);
  });
}

test('a cancel stops both threads: the scan rejects with CANCELLED once the worker has exited, having recorded only what progress reported', async () => {
  const regex = { pattern: 'e', flags: '', source: '/e/' };
  const k = known();
  const slowed = slowedUntilWorker();
  const abort = new AbortController();
  let last = 0;
  const before = threads();
  const cancelAtFirstChunk = (done: number) => {
    last = done;
    abort.abort();
  };
  await assert.rejects(
    scanInTwoThreads(slowed.docs, { known: k, ids, regex }, { path: session.path, passphrase: PASSPHRASE }, stop(regex.source, abort.signal), cancelAtFirstChunk),
    (e: unknown) => e instanceof HoldfastError && e.code === 'CANCELLED',
  );
  assert.equal(threads(), before, 'no worker left running');
  assert.ok(last > 0 && last < ids.length, `cancelled after ${last} of ${ids.length}`);
  assert.equal(k.checked.count(), last, 'what was recorded is what progress reported');
});

test('a progress callback that throws stops the scan with its error, the worker gone', async () => {
  const regex = { pattern: 'a', flags: '', source: '/a/' };
  const slowed = slowedUntilWorker();
  const before = threads();
  const thrower = (done: number) => {
    slowed.onProgress(done);
    throw new Error(`progress failed at ${done}`);
  };
  await assert.rejects(
    scanInTwoThreads(slowed.docs, { known: known(), ids, regex }, { path: session.path, passphrase: PASSPHRASE }, stop(regex.source), thrower),
    /progress failed at \d+/,
  );
  assert.equal(threads(), before, 'no worker left running');
});

test('a worker that cannot open the case leaves every chunk to this thread, with the same answer, and says so', async () => {
  const regex = { pattern: '\\d', flags: '', source: '/\\d/' };
  const one = known();
  await scanAsync(dataOf(session), { known: one, ids, regex });
  const two = known();
  // This thread slowed for the first 1.5 s, so the scan is still running when the worker fails.
  const docs = dataOf(session).read.searchDocs;
  const started = performance.now();
  const slow: SearchDocReader = {
    ...docs,
    textsInRange(lo, hi) {
      if (performance.now() - started < 1500) pause(100);
      return docs.textsInRange(lo, hi);
    },
  };
  const { workerRead, workerFailed } = await scanInTwoThreads(slow, { known: two, ids, regex }, { path: session.path, passphrase: 'not the passphrase' }, stop(regex.source));
  assert.equal(workerRead, 0);
  assert.equal(workerFailed, 'BAD_PASSPHRASE', 'the caller learns that the second thread stopped, and why');
  assert.equal(two.checked.count(), ids.length);
  assert.deepEqual(members(two.matched, two.matched.count()), members(one.matched, one.matched.count()));
});
