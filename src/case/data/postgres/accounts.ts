/**
 * Storage of the matter server's accounts, sessions and server audit log (schema `holdfast_server`,
 * accounts-schema.ts), asynchronous over a `pg` pool: sign-in and session checks run in the
 * transport before dispatch. Rules (lockout, expiry, hashing, the audit chain) are the caller's
 * (src/server/auth/accounts.ts); this module only reads and writes rows.
 */
import pg from 'pg';
import type { Pool, PoolClient } from 'pg';
import { HoldfastError } from '../../../api/errors.ts';
import { ensureServerSchema } from './accounts-schema.ts';

export interface AccountRow {
  id: number;
  name: string;
  role: string;
  passwordHash: string;
  createdAt: number;
  disabledAt: number | null;
  failedLogins: number;
  lockedUntil: number | null;
}

export interface SessionRow {
  accountId: number;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  endsBy: number;
}

export interface ServerAuditRow {
  seq: number;
  at: number;
  actor: string;
  action: string;
  details: string;
  prev_hash: string;
  hash: string;
}

type Queryable = Pick<Pool | PoolClient, 'query'>;

interface AccountDbRow {
  id: string;
  name: string;
  role: string;
  password_hash: string;
  created_at: string;
  disabled_at: string | null;
  failed_logins: number;
  locked_until: string | null;
}

const ACCOUNT_COLUMNS = 'id, name, role, password_hash, created_at, disabled_at, failed_logins, locked_until';

// int8 columns arrive as strings; every time and id here is far below 2^53.
const num = (v: string): number => Number(v);
const numOrNull = (v: string | null): number | null => (v === null ? null : Number(v));

function account(r: AccountDbRow): AccountRow {
  return {
    id: num(r.id), name: r.name, role: r.role, passwordHash: r.password_hash, createdAt: num(r.created_at),
    disabledAt: numOrNull(r.disabled_at), failedLogins: r.failed_logins, lockedUntil: numOrNull(r.locked_until),
  };
}

/** The statements, on the pool (one statement each) or on one transaction's connection. */
export class AccountQueries {
  readonly #q: Queryable;

  constructor(q: Queryable) {
    this.#q = q;
  }

  async accountByName(name: string, forUpdate = false): Promise<AccountRow | null> {
    const r = await this.#q.query<AccountDbRow>(`SELECT ${ACCOUNT_COLUMNS} FROM holdfast_server.accounts WHERE lower(name) = lower($1)${forUpdate ? ' FOR UPDATE' : ''}`, [name]);
    return r.rows[0] ? account(r.rows[0]) : null;
  }

  async accounts(): Promise<AccountRow[]> {
    const r = await this.#q.query<AccountDbRow>(`SELECT ${ACCOUNT_COLUMNS} FROM holdfast_server.accounts ORDER BY lower(name)`);
    return r.rows.map(account);
  }

  /** Null when the name (in any case) is taken. */
  async insertAccount(a: { name: string; role: string; passwordHash: string; createdAt: number }): Promise<AccountRow | null> {
    const r = await this.#q.query<AccountDbRow>(
      `INSERT INTO holdfast_server.accounts (name, role, password_hash, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING ${ACCOUNT_COLUMNS}`,
      [a.name, a.role, a.passwordHash, a.createdAt],
    );
    return r.rows[0] ? account(r.rows[0]) : null;
  }

  async setRole(id: number, role: string): Promise<void> {
    await this.#q.query('UPDATE holdfast_server.accounts SET role = $2 WHERE id = $1', [id, role]);
  }

  async disable(id: number, at: number): Promise<void> {
    await this.#q.query('UPDATE holdfast_server.accounts SET disabled_at = $2 WHERE id = $1', [id, at]);
  }

  async setFailedLogins(id: number, failedLogins: number, lockedUntil: number | null): Promise<void> {
    await this.#q.query('UPDATE holdfast_server.accounts SET failed_logins = $2, locked_until = $3 WHERE id = $1', [id, failedLogins, lockedUntil]);
  }

  async insertSession(tokenSha256: string, s: SessionRow): Promise<void> {
    await this.#q.query(
      'INSERT INTO holdfast_server.sessions (token_sha256, account_id, created_at, last_seen_at, expires_at, ends_by) VALUES ($1, $2, $3, $4, $5, $6)',
      [tokenSha256, s.accountId, s.createdAt, s.lastSeenAt, s.expiresAt, s.endsBy],
    );
  }

  async sessionWithAccount(tokenSha256: string): Promise<{ session: SessionRow; account: AccountRow } | null> {
    const r = await this.#q.query<AccountDbRow & { s_created_at: string; last_seen_at: string; expires_at: string; ends_by: string }>(
      `SELECT ${ACCOUNT_COLUMNS.split(', ').map((c) => `a.${c}`).join(', ')},
              s.created_at AS s_created_at, s.last_seen_at, s.expires_at, s.ends_by
       FROM holdfast_server.sessions s JOIN holdfast_server.accounts a ON a.id = s.account_id
       WHERE s.token_sha256 = $1`,
      [tokenSha256],
    );
    const row = r.rows[0];
    if (!row) return null;
    const a = account(row);
    return {
      account: a,
      session: { accountId: a.id, createdAt: num(row.s_created_at), lastSeenAt: num(row.last_seen_at), expiresAt: num(row.expires_at), endsBy: num(row.ends_by) },
    };
  }

  async touchSession(tokenSha256: string, lastSeenAt: number, expiresAt: number): Promise<void> {
    await this.#q.query('UPDATE holdfast_server.sessions SET last_seen_at = $2, expires_at = $3 WHERE token_sha256 = $1', [tokenSha256, lastSeenAt, expiresAt]);
  }

  /** The name of the account whose session it was, or null when there was none. */
  async deleteSession(tokenSha256: string): Promise<string | null> {
    const r = await this.#q.query<{ name: string }>(
      `DELETE FROM holdfast_server.sessions s USING holdfast_server.accounts a
       WHERE s.token_sha256 = $1 AND a.id = s.account_id RETURNING a.name`,
      [tokenSha256],
    );
    return r.rows[0]?.name ?? null;
  }

  async deleteSessionsOf(accountId: number): Promise<number> {
    const r = await this.#q.query('DELETE FROM holdfast_server.sessions WHERE account_id = $1', [accountId]);
    return r.rowCount ?? 0;
  }

  async deleteExpiredSessions(now: number): Promise<void> {
    await this.#q.query('DELETE FROM holdfast_server.sessions WHERE expires_at <= $1', [now]);
  }

  /** The newest entry, with the log locked against other appends until the transaction ends. */
  async lastAuditForAppend(): Promise<{ seq: number; hash: string } | null> {
    await this.#q.query('LOCK TABLE holdfast_server.audit_log IN SHARE ROW EXCLUSIVE MODE');
    const r = await this.#q.query<{ seq: string; hash: string }>('SELECT seq, hash FROM holdfast_server.audit_log ORDER BY seq DESC LIMIT 1');
    return r.rows[0] ? { seq: num(r.rows[0].seq), hash: r.rows[0].hash } : null;
  }

  async insertAudit(e: ServerAuditRow): Promise<void> {
    await this.#q.query(
      'INSERT INTO holdfast_server.audit_log (seq, at, actor, action, details, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [e.seq, e.at, e.actor, e.action, e.details, e.prev_hash, e.hash],
    );
  }

  async auditChain(): Promise<ServerAuditRow[]> {
    const r = await this.#q.query<{ seq: string; at: string; actor: string; action: string; details: string; prev_hash: string; hash: string }>(
      'SELECT seq, at, actor, action, details, prev_hash, hash FROM holdfast_server.audit_log ORDER BY seq',
    );
    return r.rows.map((e) => ({ ...e, seq: num(e.seq), at: num(e.at) }));
  }
}

/** The server database: a pool, its statements, and transactions on one of its connections. */
export class AccountsStore {
  readonly read: AccountQueries;
  readonly #pool: Pool;

  private constructor(pool: Pool) {
    this.#pool = pool;
    this.read = new AccountQueries(pool);
  }

  /** Connects and creates or upgrades `holdfast_server`; errors name the database without its password. */
  static async open(url: string): Promise<AccountsStore> {
    const where = describeDatabase(url);
    const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 10_000 });
    // An idle connection the server dropped is discarded by the pool; the next query opens another.
    pool.on('error', () => {});
    try {
      const client = await pool.connect();
      try {
        await ensureServerSchema(client);
      } finally {
        client.release();
      }
    } catch (err) {
      await pool.end();
      if (err instanceof HoldfastError) throw err;
      throw new HoldfastError('INTERNAL', `Cannot use the server database ${where}: ${withoutPassword(err instanceof Error ? err.message : String(err), url)}`);
    }
    return new AccountsStore(pool);
  }

  async transaction<T>(fn: (q: AccountQueries) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(new AccountQueries(client));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      // A broken connection cannot roll back; the error worth reporting is the first one.
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  /** The matters the database holds (their schemas `matter_<name>`), by name. */
  async matterNames(): Promise<string[]> {
    const r = await this.#pool.query<{ name: string }>(`SELECT substr(nspname, 8) AS name FROM pg_namespace WHERE nspname LIKE 'matter\\_%' ORDER BY 1`);
    return r.rows.map((row) => row.name);
  }

  close(): Promise<void> {
    return this.#pool.end();
  }
}

/**
 * `postgres://user@host:port/db`: the address to show in messages, never with its password. A value
 * that is not a postgres URL is refused without being repeated (it may hold one).
 */
function describeDatabase(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new HoldfastError('VALIDATION', 'The database address is not a URL: give postgres://USER@HOST:PORT/DATABASE (the password in PGPASSWORD).');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new HoldfastError('VALIDATION', `The database address must start with postgres:// (not ${u.protocol}//).`);
  }
  u.password = '';
  u.search = '';
  return u.toString();
}

/** The message with every form of the address's password (user info or `?password=`) replaced by ***. */
function withoutPassword(message: string, url: string): string {
  const u = new URL(url);
  const secrets = [u.password, u.searchParams.get('password') ?? ''].filter(Boolean);
  for (const secret of [...secrets]) {
    try {
      secrets.push(decodeURIComponent(secret));
    } catch {
      // Not valid percent-encoding: pg uses it as written.
    }
  }
  return secrets.reduce((m, secret) => m.split(secret).join('***'), message);
}
