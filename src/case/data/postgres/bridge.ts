/**
 * The synchronous face of one PostgreSQL connection. The data interface is synchronous (the domain
 * code calls it as it calls better-sqlite3), pg is asynchronous: each call posts its statement to a
 * worker thread that owns the connection and blocks in Atomics.wait until the worker answers.
 */
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { HoldfastError } from '../../../api/errors.ts';
import type { BridgeReply, BridgeRequest } from './bridge-protocol.ts';

export interface Bridge {
  all<T>(sql: string, params?: unknown[]): T[];
  get<T>(sql: string, params?: unknown[]): T | undefined;
  /** Rows as arrays of column values. */
  rows<T extends unknown[]>(sql: string, params?: unknown[]): T[];
  /** The first column of every row. */
  column<T>(sql: string, params?: unknown[]): T[];
  /** The first column of the first row. */
  value<T>(sql: string, params?: unknown[]): T | undefined;
  /** The rows the statement changed. */
  run(sql: string, params?: unknown[]): number;
  /** Statements without parameters, separated by semicolons. */
  exec(sql: string): void;
  /** `COPY table(columns) FROM STDIN` with rows in COPY's text format (copy-text.ts); the rows copied. */
  copyFrom(sql: string, data: string): number;
  /** How many notifications the connection has received on the channels it LISTENs to. */
  notifications(): number;
  /** Open transactions and savepoints (0 outside a transaction); kept by transaction.ts. */
  depth: number;
  close(): void;
}

export interface BridgeOptions {
  /**
   * How long one statement may take (default 60 s): the server cancels it then (CASE_BUSY, the
   * connection goes on); a server that does not answer a second later costs the connection.
   */
  timeoutMs?: number;
  /** How long starting the worker and connecting may take (default 30 s). */
  connectTimeoutMs?: number;
}

const HOLD_PREFIX = 'HOLD_VIOLATION: ';
/** PostgreSQL's SQLSTATE for a statement it cancelled (statement_timeout). */
const QUERY_CANCELED = '57014';
/** character_not_in_repertoire: among others, U+0000 in a text, which PostgreSQL cannot store. */
const NOT_IN_REPERTOIRE = '22021';
/** How much longer than the server's own limit the caller waits before giving the connection up. */
const GRACE_MS = 1000;

/** The URL and its password never reach an error message (they end up in logs and on screen). */
function secretsOf(url: string): string[] {
  const out = [url];
  try {
    const password = new URL(url).password;
    if (password) out.push(password, decodeURIComponent(password));
  } catch {
    // Not a URL: pg says so without repeating it; the whole string is still scrubbed.
  }
  return out.filter(Boolean).sort((a, b) => b.length - a.length);
}

function scrub(message: string, secrets: readonly string[]): string {
  return secrets.reduce((m, s) => m.split(s).join('***'), message);
}

/** bytea arrives from the worker as a Uint8Array (structured clone); the interface hands out Buffers (no copy). */
function withBuffers(row: unknown): unknown {
  const values = row as Record<string, unknown>;
  for (const key in values) {
    const v = values[key];
    if (v instanceof Uint8Array && !Buffer.isBuffer(v)) values[key] = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  }
  return row;
}

/**
 * Blocks until the worker has set the flag (its reply is then on the port: it posts before it sets),
 * at most limitMs; false when the time ran out first. A wake-up with the flag still clear is the
 * previous reply's notify arriving late (the worker can be paused between setting the flag and
 * notifying), so the wait goes on: read as an answer, it found no reply on the port.
 */
export function waitForFlag(signal: Int32Array, limitMs: number): boolean {
  const end = performance.now() + limitMs;
  while (Atomics.load(signal, 0) === 0) {
    const left = end - performance.now();
    if (left <= 0 || Atomics.wait(signal, 0, 0, left) === 'timed-out') return Atomics.load(signal, 0) !== 0;
  }
  return true;
}

export function openBridge(url: string, opts: BridgeOptions = {}): Bridge {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const secrets = secretsOf(url);
  const flag = new SharedArrayBuffer(4);
  const signal = new Int32Array(flag);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(new URL('./bridge-worker.ts', import.meta.url), { workerData: { url, port: port2, flag, statementTimeoutMs: timeoutMs }, transferList: [port2] });
  worker.unref();
  let closed = false;

  const close = () => {
    if (closed) return;
    closed = true;
    port1.close();
    void worker.terminate();
  };

  const seconds = (ms: number) => Math.round(ms / 1000);
  const call = (req: BridgeRequest, limitMs = timeoutMs + GRACE_MS): { rows: unknown[]; rowCount: number } => {
    if (closed) throw new HoldfastError('CASE_NOT_OPEN', 'The connection to the matter database is closed.');
    Atomics.store(signal, 0, 0);
    port1.postMessage(req);
    if (!waitForFlag(signal, limitMs)) {
      close();
      throw new HoldfastError(
        'CASE_BUSY',
        `The matter database did not answer within ${seconds(limitMs)} s (the server is unreachable or overloaded); the connection was closed.`,
      );
    }
    const reply = receiveMessageOnPort(port1)?.message as BridgeReply | undefined;
    if (!reply) throw new HoldfastError('INTERNAL', 'The matter database connection answered nothing.');
    if (reply.ok) return { rows: reply.rows.map(withBuffers), rowCount: reply.rowCount };
    const message = scrub(reply.message, secrets);
    if (message.startsWith(HOLD_PREFIX)) throw new HoldfastError('HOLD_VIOLATION', message.slice(HOLD_PREFIX.length));
    if (reply.sqlstate === QUERY_CANCELED) {
      throw new HoldfastError('CASE_BUSY', `The matter database stopped a statement that ran past ${seconds(timeoutMs)} s (another session may hold a lock it needs); try again.`);
    }
    if (reply.sqlstate === NOT_IN_REPERTOIRE && message.includes('0x00')) {
      throw new HoldfastError('VALIDATION', 'A text holds a NUL character (U+0000), which the matter database (PostgreSQL) cannot store; the change was refused.', { nulInText: true });
    }
    throw new HoldfastError('INTERNAL', message, reply.sqlstate ? { sqlstate: reply.sqlstate } : undefined);
  };

  try {
    call({ kind: 'connect' }, opts.connectTimeoutMs ?? 30_000);
  } catch (e) {
    close();
    if (e instanceof HoldfastError && e.code === 'INTERNAL') throw new HoldfastError('INTERNAL', `Could not connect to the matter database: ${e.message}`, e.details);
    throw e;
  }

  const query = (kind: 'object' | 'array', sql: string, params: unknown[] = []) => call({ kind, sql, params });
  return {
    all: <T>(sql: string, params?: unknown[]) => query('object', sql, params).rows as T[],
    get: <T>(sql: string, params?: unknown[]) => query('object', sql, params).rows[0] as T | undefined,
    rows: <T extends unknown[]>(sql: string, params?: unknown[]) => query('array', sql, params).rows as T[],
    column: <T>(sql: string, params?: unknown[]) => (query('array', sql, params).rows as unknown[][]).map((r) => r[0] as T),
    value: <T>(sql: string, params?: unknown[]) => (query('array', sql, params).rows as unknown[][])[0]?.[0] as T | undefined,
    run: (sql, params) => query('array', sql, params).rowCount,
    exec: (sql) => {
      call({ kind: 'exec', sql });
    },
    copyFrom: (sql, data) => call({ kind: 'copy', sql, data }).rowCount,
    notifications: () => call({ kind: 'notifications' }).rowCount,
    depth: 0,
    close,
  };
}
