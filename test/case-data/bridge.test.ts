/**
 * The synchronous bridge to PostgreSQL: answers, errors arriving as the right HoldfastError codes,
 * a hung statement hitting the time limit, secrets kept out of every message, and the cost of a call.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { HoldfastError, toErrorDTO } from '../../src/api/errors.ts';
import { Worker } from 'node:worker_threads';
import { openBridge, waitForFlag } from '../../src/case/data/postgres/bridge.ts';
import { openPostgresData } from '../../src/case/data/postgres/index.ts';
import { startPostgres } from '../helpers/postgres.ts';
import { importRun } from './backends.ts';
import type { Postgres } from '../helpers/postgres.ts';

let pg: Postgres;
before(async () => {
  pg = await startPostgres();
});
after(() => pg.stop());

function thrown(fn: () => unknown): HoldfastError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof HoldfastError, `not a HoldfastError: ${String(e)}`);
    return e;
  }
  assert.fail('expected an error');
}

test('statements answer synchronously, with counts and ids as numbers and bytea as Buffers', (t) => {
  const b = openBridge(pg.url);
  t.after(() => b.close());
  assert.equal(b.value('SELECT $1::int + 1', [41]), 42);
  assert.deepEqual(b.get('SELECT count(*) AS n, 9007199254740991::bigint AS big, sum(x) AS total FROM generate_series(1, 3) x'), { n: 3, big: 9007199254740991, total: 6 });
  assert.deepEqual(b.rows('SELECT x, x * 2 FROM generate_series(1, 2) x'), [[1, 2], [2, 4]]);
  assert.deepEqual(b.column('SELECT unnest($1::bigint[])', [[5, 6]]), [5, 6]);
  const bytes = b.value<Buffer>('SELECT $1::bytea', [Buffer.from([0, 255])]);
  assert.ok(Buffer.isBuffer(bytes));
  assert.deepEqual(bytes, Buffer.from([0, 255]));
  b.exec('CREATE TEMP TABLE t(x int); INSERT INTO t VALUES (1), (2)');
  assert.equal(b.run('UPDATE t SET x = x + 1'), 2);
});

test('errors arrive as HoldfastErrors: a hold refusal as HOLD_VIOLATION, anything else as INTERNAL with its SQLSTATE', (t) => {
  const b = openBridge(pg.url);
  t.after(() => b.close());
  const hold = thrown(() => b.exec("DO $$ BEGIN RAISE EXCEPTION 'HOLD_VIOLATION: the message is under an active legal hold'; END $$"));
  assert.equal(hold.code, 'HOLD_VIOLATION');
  assert.equal(hold.message, 'the message is under an active legal hold');
  assert.deepEqual(toErrorDTO(hold), { code: 'HOLD_VIOLATION', message: 'the message is under an active legal hold' });
  const other = thrown(() => b.value('SELECT no_such_column'));
  assert.equal(other.code, 'INTERNAL');
  assert.equal(other.details?.['sqlstate'], '42703');
  assert.equal(b.value('SELECT 1'), 1, 'the connection goes on after an error');
});

test("a late wake-up from the previous reply's notify does not end a call's wait: it waits on for its own reply, within its time", async () => {
  const shared = new Int32Array(new SharedArrayBuffer(8));
  // A thread that wakes the waiter every 5 ms without setting the flag (late notifies), then sets it after 150 ms.
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads');
     const s = new Int32Array(workerData);
     Atomics.store(s, 1, 1);
     const start = Date.now();
     const tick = setInterval(() => {
       if (Date.now() - start < 150) return void Atomics.notify(s, 0);
       clearInterval(tick);
       Atomics.store(s, 0, 1);
       Atomics.notify(s, 0);
     }, 5);`,
    { eval: true, workerData: shared.buffer },
  );
  while (Atomics.load(shared, 1) === 0) Atomics.wait(shared, 1, 0, 5);
  const started = performance.now();
  assert.equal(waitForFlag(shared, 10_000), true);
  assert.equal(Atomics.load(shared, 0), 1);
  assert.ok(performance.now() - started >= 100, 'returned on a wake-up before the flag was set');
  await worker.terminate();
  // Never set: false once the time is up, however often it is woken meanwhile.
  Atomics.store(shared, 0, 0);
  const t = performance.now();
  assert.equal(waitForFlag(shared, 50), false);
  assert.ok(performance.now() - t >= 45);
});

test('a statement past the time limit is stopped by the server with a clear error, and the connection goes on', (t) => {
  const b = openBridge(pg.url, { timeoutMs: 500 });
  t.after(() => b.close());
  const started = Date.now();
  const hung = thrown(() => b.value('SELECT pg_sleep(30)'));
  assert.ok(Date.now() - started < 10_000, 'stopped at the limit, not when the statement ended');
  assert.equal(hung.code, 'CASE_BUSY');
  assert.match(hung.message, /stopped a statement that ran past 1 s/);
  assert.equal(b.value('SELECT 1'), 1);
});

test('a server that stops answering costs the connection, with a clear error', async (t) => {
  const b = openBridge(pg.url, { timeoutMs: 500 });
  // The server's own limit off: the statement runs on, as on a server that no longer answers.
  b.exec('SET statement_timeout = 0');
  const hung = thrown(() => b.value('SELECT pg_sleep(30)'));
  assert.equal(hung.code, 'CASE_BUSY');
  assert.match(hung.message, /did not answer within 2 s .* the connection was closed/);
  assert.equal(thrown(() => b.value('SELECT 1')).code, 'CASE_NOT_OPEN');
  // A server that accepts the connection and says nothing.
  const silent = net.createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  t.after(() => silent.close());
  const port = (silent.address() as net.AddressInfo).port;
  const connecting = thrown(() => openBridge(`postgres://postgres@127.0.0.1:${port}/holdfast`, { connectTimeoutMs: 1000 }));
  assert.equal(connecting.code, 'CASE_BUSY');
});

test("a URL's password never appears in an error message", () => {
  const password = 'S3cret-pw%2Fx';
  const decoded = decodeURIComponent(password);
  const urls = [
    `postgres://postgres:${password}@127.0.0.1:1/holdfast`,
    `postgres://postgres:${password}@127.0.0.1:${pg.port}/no_such_database`,
    `postgres://postgres:${password}@[not a host/holdfast`,
  ];
  for (const url of urls) {
    for (const open of [() => openBridge(url, { timeoutMs: 20_000 }), () => openPostgresData(url, { matter: 'm', timeoutMs: 20_000 })]) {
      const e = thrown(open);
      for (const text of [e.message, JSON.stringify(e.details ?? {}), e.stack ?? '']) {
        assert.ok(!text.includes(password) && !text.includes(decoded), `password in: ${text}`);
      }
      assert.match(e.message, /Could not connect to the matter database/);
    }
  }
});

test('the cost of one call through the bridge (10,000 round trips)', (t) => {
  const b = openBridge(pg.url);
  t.after(() => b.close());
  const n = 10_000;
  let sum = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) sum += b.value<number>('SELECT $1::int', [i])!;
  const us = Number(process.hrtime.bigint() - started) / 1000 / n;
  assert.equal(sum, (n * (n - 1)) / 2);
  t.diagnostic(`${us.toFixed(0)} µs per call`);
});

test('the cost of ingest through the bridge (2,000 messages, five statements each)', (t) => {
  const matter = openPostgresData(pg.createDatabase('ingest'), { matter: 'ingest' });
  t.after(() => matter.close());
  const n = 2000;
  const started = process.hrtime.bigint();
  // Each its own fingerprint key, as real fingerprints have (the dedupe look-up finds nothing).
  const fingerprint = (i: number) => (i + 1).toString(16).padStart(13, '0').padEnd(32, '0');
  const run = importRun(matter, 'a'.repeat(64), 'Alice', Array.from({ length: n }, (_, i) => ({ conversation: `c${i % 20}`, text: `message ${i}`, sentAt: 1000 + i, fingerprint: fingerprint(i) })));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  assert.equal(matter.read.importRuns.occurrenceCount(run.sourceId), n);
  t.diagnostic(`${Math.round(n / seconds)} messages per second`);
});

test('closing a bridge ends its session on the server', async (t) => {
  const watcher = openBridge(pg.url);
  t.after(() => watcher.close());
  const sessions = () => watcher.value<number>("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'")!;
  const before = sessions();
  const bridges = [openBridge(pg.url), openBridge(pg.url), openBridge(pg.url)];
  assert.equal(sessions(), before + 3);
  for (const b of bridges) b.close();
  const until = Date.now() + 5000;
  while (sessions() > before && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  assert.equal(sessions(), before);
});
