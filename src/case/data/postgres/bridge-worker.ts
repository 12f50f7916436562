/**
 * The worker side of the synchronous bridge (bridge.ts): one pg Client, one query at a time. Each
 * reply is posted on the port, then the caller blocked in Atomics.wait is woken through the shared flag.
 */
import { workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { finished } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { BridgeReply, BridgeRequest } from './bridge-protocol.ts';

const { url, port, flag, statementTimeoutMs } = workerData as { url: string; port: MessagePort; flag: SharedArrayBuffer; statementTimeoutMs: number };
const signal = new Int32Array(flag);

// Counts and ids come back as numbers (bigint and numeric would be strings); ids stay below 2^53.
const asNumber = (v: string) => Number(v);
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC ? asNumber : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

// The server stops a statement past the time limit itself (lock waits included), so nothing is left running.
const client = new pg.Client({ connectionString: url, types, statement_timeout: statementTimeoutMs });
let lost: Error | undefined;
client.on('error', (e) => {
  lost = e;
});
let notifications = 0;
client.on('notification', () => {
  notifications++;
});
const connected = client.connect().then(
  () => undefined,
  (e: Error) => e,
);

/** Statement names by SQL text: the server keeps each parameterised statement prepared once per connection. */
const names = new Map<string, string>();

function reply(r: BridgeReply): void {
  port.postMessage(r);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
}

function failure(e: unknown): BridgeReply {
  const err = e as { message?: unknown; code?: unknown };
  return { ok: false, message: String(err.message ?? e), sqlstate: typeof err.code === 'string' ? err.code : null };
}

port.on('message', (req: BridgeRequest) => {
  void (async () => {
    const failed = await connected;
    if (failed) return reply(failure(failed));
    if (lost) return reply(failure(lost));
    if (req.kind === 'connect') return reply({ ok: true, rows: [], rowCount: 0 });
    if (req.kind === 'notifications') return reply({ ok: true, rows: [], rowCount: notifications });
    try {
      if (req.kind === 'copy') {
        const stream = client.query(copyFrom(req.sql));
        stream.end(req.data);
        await finished(stream);
        return reply({ ok: true, rows: [], rowCount: stream.rowCount });
      }
      if (req.kind === 'exec') {
        await client.query(req.sql);
        return reply({ ok: true, rows: [], rowCount: 0 });
      }
      let name = names.get(req.sql);
      if (!name && names.size < 1000) names.set(req.sql, (name = `s${names.size}`));
      const result = await client.query({ text: req.sql, values: req.params, ...(name ? { name } : {}), ...(req.kind === 'array' ? { rowMode: 'array' } : {}) });
      reply({ ok: true, rows: result.rows as unknown[], rowCount: result.rowCount ?? 0 });
    } catch (e) {
      reply(failure(e));
    }
  })();
});
