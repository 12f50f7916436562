/** What the caller (bridge.ts) and the worker (bridge-worker.ts) say to each other. */

export type BridgeRequest =
  | { kind: 'connect' }
  /** How many notifications (LISTEN) the connection has received; the answer is its rowCount. */
  | { kind: 'notifications' }
  /** Statements without parameters, any number of them (migrations, BEGIN, COMMIT). */
  | { kind: 'exec'; sql: string }
  /** COPY … FROM STDIN with `data` in COPY's text format; the answer's rowCount is the rows copied. */
  | { kind: 'copy'; sql: string; data: string }
  /** One parameterised statement; rows as objects, or as arrays of column values. */
  | { kind: 'object' | 'array'; sql: string; params: unknown[] };

export type BridgeReply =
  | { ok: true; rows: unknown[]; rowCount: number }
  /** `sqlstate`: PostgreSQL's five-character error code, when the server raised it. */
  | { ok: false; message: string; sqlstate: string | null };
