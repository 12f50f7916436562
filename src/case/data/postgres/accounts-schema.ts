/**
 * The matter server's own tables, in the PostgreSQL schema `holdfast_server` of the server's database
 * (beside the matters' `matter_<name>` schemas): accounts, sessions and the server audit log. One
 * numbered step per change; `ensureServerSchema` applies the missing ones under an advisory lock, so
 * two servers starting together do not both apply them.
 */
import type { PoolClient } from 'pg';
import { HoldfastError } from '../../../api/errors.ts';

/** Held for the whole upgrade transaction: the number is this schema's alone ("hfsrv" in ASCII). */
const UPGRADE_LOCK = 0x6866737276;

const STEPS: readonly string[] = [
  `CREATE TABLE holdfast_server.meta (key text PRIMARY KEY, value text NOT NULL);

   -- Times are milliseconds since 1970 (UTC), as in the case file.
   CREATE TABLE holdfast_server.accounts (
     id bigserial PRIMARY KEY,
     name text NOT NULL,
     role text NOT NULL,
     password_hash text NOT NULL,
     created_at bigint NOT NULL,
     disabled_at bigint,
     -- Consecutive wrong passwords since the last sign-in or lockout.
     failed_logins integer NOT NULL DEFAULT 0,
     locked_until bigint
   );
   CREATE UNIQUE INDEX accounts_name ON holdfast_server.accounts (lower(name));

   -- A session is known by the SHA-256 of its token only; the token itself is never stored.
   CREATE TABLE holdfast_server.sessions (
     token_sha256 text PRIMARY KEY CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
     account_id bigint NOT NULL REFERENCES holdfast_server.accounts (id),
     created_at bigint NOT NULL,
     last_seen_at bigint NOT NULL,
     expires_at bigint NOT NULL,
     -- The absolute end: sliding expiry never passes it.
     ends_by bigint NOT NULL
   );
   CREATE INDEX sessions_account ON holdfast_server.sessions (account_id);
   CREATE INDEX sessions_expiry ON holdfast_server.sessions (expires_at);

   -- Hash-chained like the case's audit log (src/case/audit.ts computes the hashes).
   CREATE TABLE holdfast_server.audit_log (
     seq bigint PRIMARY KEY,
     at bigint NOT NULL,
     actor text NOT NULL,
     action text NOT NULL,
     details text NOT NULL,
     prev_hash text NOT NULL,
     hash text NOT NULL
   );
   CREATE FUNCTION holdfast_server.refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     RAISE EXCEPTION 'the server audit log is append-only';
   END $$;
   CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON holdfast_server.audit_log
     FOR EACH ROW EXECUTE FUNCTION holdfast_server.refuse_audit_change();
   CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON holdfast_server.audit_log
     FOR EACH STATEMENT EXECUTE FUNCTION holdfast_server.refuse_audit_change();`,
];

const SERVER_SCHEMA_VERSION = STEPS.length;

/** Creates or upgrades `holdfast_server`; refuses a database a newer Holdfast has upgraded. */
export async function ensureServerSchema(client: PoolClient): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [UPGRADE_LOCK]);
    await client.query('CREATE SCHEMA IF NOT EXISTS holdfast_server');
    const exists = await client.query<{ found: string | null }>(`SELECT to_regclass('holdfast_server.meta')::text AS found`);
    let version = 0;
    if (exists.rows[0]?.found) {
      const row = await client.query<{ value: string }>(`SELECT value FROM holdfast_server.meta WHERE key = 'schema_version'`);
      version = Number(row.rows[0]?.value ?? 0);
    }
    if (version > SERVER_SCHEMA_VERSION) {
      throw new HoldfastError(
        'CASE_FROM_NEWER_VERSION',
        `The server database's accounts were written by a newer Holdfast (server schema ${version}; this one knows ${SERVER_SCHEMA_VERSION}). Update Holdfast.`,
      );
    }
    for (const step of STEPS.slice(version)) await client.query(step);
    if (version < SERVER_SCHEMA_VERSION) {
      await client.query(
        `INSERT INTO holdfast_server.meta (key, value) VALUES ('schema_version', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        [String(SERVER_SCHEMA_VERSION)],
      );
    }
    await client.query('COMMIT');
  } catch (err) {
    // A broken connection cannot roll back; the error worth reporting is the first one.
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
}
