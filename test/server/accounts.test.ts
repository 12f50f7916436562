/**
 * The matter server's accounts on a real PostgreSQL: argon2id hashes, sessions stored by the hash of
 * their token, sliding and absolute expiry, lockout and its end (a clock the test moves), disabling,
 * role changes, the hash-chained server audit log, and database errors that never show a password.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { Accounts, LOCKOUT, SESSION } from '../../src/server/auth/accounts.ts';
import { verifyPassword } from '../../src/server/auth/passwords.ts';
import { startPostgres } from '../helpers/postgres.ts';
import type { Postgres } from '../helpers/postgres.ts';

const PASSWORD = 'violet anchor river lamp';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

let cluster: Postgres;
let url: string;
let db: pg.Client;
let clock = T0;
let accounts: Accounts;

before(async () => {
  cluster = await startPostgres();
  url = cluster.createDatabase('holdfast_server_test');
  accounts = await Accounts.open(url, { now: () => clock });
  db = new pg.Client({ connectionString: url });
  await db.connect();
});

after(async () => {
  await db?.end();
  await accounts?.close();
  cluster?.stop();
});

async function rejects(p: Promise<unknown>, code: string, message?: RegExp): Promise<Error> {
  let caught: unknown;
  await p.then(() => assert.fail(`expected ${code}`), (err: unknown) => (caught = err));
  const e = caught as Error & { code?: string };
  assert.equal(e.code, code, e.message);
  if (message) assert.match(e.message, message);
  return e;
}

async function row(name: string): Promise<{ password_hash: string; failed_logins: number; locked_until: string | null; role: string; disabled_at: string | null }> {
  const r = await db.query('SELECT password_hash, failed_logins, locked_until, role, disabled_at FROM holdfast_server.accounts WHERE name = $1', [name]);
  assert.equal(r.rowCount, 1, name);
  return r.rows[0];
}

test('an added account is stored with an argon2id hash of the stated parameters that verifies', async () => {
  const added = await accounts.add('Operator', { name: 'Rita Reviewer', role: 'reviewer', password: PASSWORD });
  assert.deepEqual(added, { name: 'Rita Reviewer', role: 'reviewer', createdAt: new Date(clock).toISOString(), disabled: false, lockedUntil: null });
  const { password_hash } = await row('Rita Reviewer');
  assert.match(password_hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
  assert.ok(!password_hash.includes(PASSWORD));
  assert.equal(await verifyPassword(password_hash, PASSWORD), true);
  assert.equal(await verifyPassword(password_hash, `${PASSWORD}!`), false);
  // Two accounts with one password have different salts.
  await accounts.add('Operator', { name: 'Quinn QC', role: 'qc-reviewer', password: PASSWORD });
  assert.notEqual((await row('Quinn QC')).password_hash, password_hash);
});

test('weak passwords, unknown roles, bad and taken names are refused, and nothing is stored', async () => {
  const before = (await accounts.list()).length;
  await rejects(accounts.add('Operator', { name: 'Sam', role: 'reviewer', password: 'short pw' }), 'WEAK_PASSPHRASE', /at least 12 characters/);
  await rejects(accounts.add('Operator', { name: 'Sam', role: 'reviewer', password: 'x'.repeat(20) }), 'WEAK_PASSPHRASE');
  await rejects(accounts.add('Operator', { name: 'Samuel Fieldworth', role: 'reviewer', password: 'samuel fieldworth' }), 'WEAK_PASSPHRASE', /own name/);
  await rejects(accounts.add('Operator', { name: 'Sam', role: 'reviewer', password: 'ab'.repeat(513) }), 'VALIDATION', /at most 1024/);
  await rejects(accounts.add('Operator', { name: 'Sam', role: 'superuser', password: PASSWORD }), 'VALIDATION', /no role "superuser": one of admin, project-manager, reviewer, qc-reviewer, producer, read-only/);
  await rejects(accounts.add('Operator', { name: '  ', role: 'reviewer', password: PASSWORD }), 'VALIDATION');
  await rejects(accounts.add('Operator', { name: 'RITA reviewer', role: 'admin', password: PASSWORD }), 'VALIDATION', /already/);
  assert.equal((await accounts.list()).length, before);
});

test('a session token is returned once and stored only as its SHA-256', async () => {
  const signIn = await accounts.login('rita reviewer', PASSWORD);
  assert.match(signIn.token, /^[A-Za-z0-9_-]{43}$/);
  assert.deepEqual(signIn.account, { name: 'Rita Reviewer', role: 'reviewer' });
  assert.equal(signIn.expiresAt, new Date(clock + SESSION.idleHours * HOUR).toISOString());
  const sessions = await db.query('SELECT * FROM holdfast_server.sessions');
  const stored = JSON.stringify(sessions.rows);
  assert.ok(!stored.includes(signIn.token), 'the token itself is not in the table');
  assert.ok(!stored.includes(Buffer.from(signIn.token, 'base64url').toString('hex')));
  assert.ok(sessions.rows.some((r: { token_sha256: string }) => r.token_sha256 === createHash('sha256').update(signIn.token).digest('hex')));
  assert.deepEqual(await accounts.authenticate(signIn.token), { name: 'Rita Reviewer', role: 'reviewer' });
  await rejects(accounts.authenticate(createHash('sha256').update(signIn.token).digest('hex')), 'UNAUTHENTICATED');
  await rejects(accounts.authenticate(`${signIn.token.slice(0, -1)}${signIn.token.endsWith('A') ? 'B' : 'A'}`), 'UNAUTHENTICATED');
});

test('a session slides while used, ends after 12 idle hours, and ends 24 hours after sign-in whatever', async () => {
  const start = clock;
  const used = await accounts.login('Rita Reviewer', PASSWORD);
  const idle = await accounts.login('Rita Reviewer', PASSWORD);
  clock = start + 11 * HOUR;
  await accounts.authenticate(used.token);
  clock = start + 22 * HOUR;
  assert.equal((await accounts.authenticate(used.token)).name, 'Rita Reviewer', 'used 11 hours ago: still on');
  await rejects(accounts.authenticate(idle.token), 'UNAUTHENTICATED', /sign in again/);
  clock = start + SESSION.maxHours * HOUR - 1;
  await accounts.authenticate(used.token);
  clock = start + SESSION.maxHours * HOUR;
  await rejects(accounts.authenticate(used.token), 'UNAUTHENTICATED');
  const signedOut = await accounts.login('Rita Reviewer', PASSWORD);
  await accounts.logout(signedOut.token);
  await rejects(accounts.authenticate(signedOut.token), 'UNAUTHENTICATED');
  // Signing in removes the sessions that have expired.
  const left = await db.query<{ n: string }>('SELECT count(*) AS n FROM holdfast_server.sessions WHERE expires_at <= $1', [clock]);
  assert.equal(Number(left.rows[0]!.n), 0);
});

test(`${LOCKOUT.failures} wrong passwords in a row lock the account for ${LOCKOUT.minutes} minutes; then it opens again`, async () => {
  await accounts.add('Operator', { name: 'Lee Locked', role: 'read-only', password: PASSWORD });
  const refusal = await rejects(accounts.login('Lee Locked', 'not the password at all'), 'UNAUTHENTICATED');
  assert.equal((await row('Lee Locked')).failed_logins, 1);
  // A success in between starts the count again.
  await accounts.login('Lee Locked', PASSWORD);
  assert.equal((await row('Lee Locked')).failed_logins, 0);
  for (let i = 1; i < LOCKOUT.failures; i++) await rejects(accounts.login('Lee Locked', `wrong password ${i}`), 'UNAUTHENTICATED');
  assert.equal((await row('Lee Locked')).failed_logins, LOCKOUT.failures - 1);
  await rejects(accounts.login('Lee Locked', 'wrong password again'), 'UNAUTHENTICATED');
  assert.equal(Number((await row('Lee Locked')).locked_until), clock + LOCKOUT.minutes * MINUTE);
  assert.equal((await accounts.list()).find((a) => a.name === 'Lee Locked')?.lockedUntil, new Date(clock + LOCKOUT.minutes * MINUTE).toISOString());
  // Locked: the right password is refused too, with the same words as a wrong one or an unknown name.
  const locked = await rejects(accounts.login('Lee Locked', PASSWORD), 'UNAUTHENTICATED');
  const unknown = await rejects(accounts.login('Nobody Here', PASSWORD), 'UNAUTHENTICATED');
  assert.equal(locked.message, refusal.message);
  assert.equal(unknown.message, refusal.message);
  clock += LOCKOUT.minutes * MINUTE - 1;
  await rejects(accounts.login('Lee Locked', PASSWORD), 'UNAUTHENTICATED');
  clock += 1;
  assert.equal((await accounts.login('Lee Locked', PASSWORD)).account.name, 'Lee Locked');
  const after = await row('Lee Locked');
  assert.equal(after.failed_logins, 0);
  assert.equal(after.locked_until, null);
});

test('wrong passwords tried at the same moment all count', async () => {
  await accounts.add('Operator', { name: 'Pat Parallel', role: 'read-only', password: PASSWORD });
  await Promise.all([1, 2, 3].map((i) => rejects(accounts.login('Pat Parallel', `wrong password ${i}`), 'UNAUTHENTICATED')));
  assert.equal((await row('Pat Parallel')).failed_logins, 3);
  // More at once than the lockout needs: one of them locks the account, the later ones leave the lock alone.
  await accounts.add('Operator', { name: 'Pia Parallel', role: 'read-only', password: PASSWORD });
  await Promise.all(Array.from({ length: LOCKOUT.failures + 3 }, (_, i) => rejects(accounts.login('Pia Parallel', `wrong password ${i}`), 'UNAUTHENTICATED')));
  assert.equal(Number((await row('Pia Parallel')).locked_until), clock + LOCKOUT.minutes * MINUTE);
  await rejects(accounts.login('Pia Parallel', PASSWORD), 'UNAUTHENTICATED');
});

test('an unknown name takes about as long to refuse as a wrong password (it is checked against a hash too)', async () => {
  // Tim's count is reset before each try (not timed), so every try is a counted wrong password, never a lockout.
  const reset = () => db.query('UPDATE holdfast_server.accounts SET failed_logins = 0, locked_until = NULL WHERE name = $1', ['Tim Timing']);
  const median = async (fn: () => Promise<unknown>) => {
    const times: number[] = [];
    for (let i = 0; i < 9; i++) {
      await reset();
      const t = performance.now();
      await fn().catch(() => {});
      times.push(performance.now() - t);
    }
    return times.sort((a, b) => a - b)[4]!;
  };
  await accounts.add('Operator', { name: 'Tim Timing', role: 'read-only', password: PASSWORD });
  const known = await median(() => accounts.login('Tim Timing', 'a wrong password here'));
  const unknown = await median(() => accounts.login('Tim Nobody', 'a wrong password here'));
  // Without the dummy hash an unknown name is refused about 50 times faster; a loaded machine blurs less than a factor of 4.
  assert.ok(unknown > known / 4, `unknown ${unknown.toFixed(1)} ms, known ${known.toFixed(1)} ms`);
});

test('disabling ends the account\'s sessions and refuses sign-in; a role change applies to the next call', async () => {
  await accounts.add('Operator', { name: 'Dana Disabled', role: 'producer', password: PASSWORD });
  const session = await accounts.login('Dana Disabled', PASSWORD);
  assert.equal((await accounts.setRole('Operator', 'dana disabled', 'read-only')).role, 'read-only');
  assert.deepEqual(await accounts.authenticate(session.token), { name: 'Dana Disabled', role: 'read-only' });
  await rejects(accounts.setRole('Operator', 'Dana Disabled', 'owner'), 'VALIDATION');
  await rejects(accounts.setRole('Operator', 'Nobody Here', 'admin'), 'NOT_FOUND');
  const disabled = await accounts.disable('Operator', 'Dana Disabled');
  assert.equal(disabled.disabled, true);
  await rejects(accounts.authenticate(session.token), 'UNAUTHENTICATED');
  await rejects(accounts.login('Dana Disabled', PASSWORD), 'UNAUTHENTICATED');
  const sessions = await db.query('SELECT 1 FROM holdfast_server.sessions s JOIN holdfast_server.accounts a ON a.id = s.account_id WHERE a.name = $1', ['Dana Disabled']);
  assert.equal(sessions.rowCount, 0);
  await rejects(accounts.disable('Operator', 'Nobody Here'), 'NOT_FOUND');
});

test('every account change is in the server audit log, a hash chain that refuses edits and shows one made around that', async () => {
  const { entries, problems } = await accounts.auditLog();
  assert.deepEqual(problems, []);
  assert.deepEqual(entries.map((e) => e.seq), entries.map((_, i) => i + 1));
  const of = (action: string) => entries.filter((e) => e.action === action);
  assert.deepEqual(of('account.create')[0]!.details, { account: 'Rita Reviewer', role: 'reviewer' });
  assert.equal(of('account.create')[0]!.actor, 'Operator');
  assert.deepEqual(of('account.role').map((e) => e.details), [{ account: 'Dana Disabled', before: { role: 'producer' }, after: { role: 'read-only' } }]);
  assert.deepEqual(of('account.disable').map((e) => e.details), [{ account: 'Dana Disabled', sessionsEnded: 1 }]);
  assert.deepEqual(of('account.lock').map((e) => e.actor), ['Lee Locked', 'Pia Parallel']);
  const lock = of('account.lock')[0];
  assert.deepEqual(lock!.details, { account: 'Lee Locked', failures: LOCKOUT.failures, lockedUntil: new Date(Date.parse(lock!.at) + LOCKOUT.minutes * MINUTE).toISOString() });
  assert.ok(of('session.login').every((e) => e.actor === (e.details as { account: string }).account));
  assert.equal(of('session.logout').length, 1);
  assert.ok(!JSON.stringify(entries).includes(PASSWORD));

  await assert.rejects(db.query(`UPDATE holdfast_server.audit_log SET actor = 'Someone else' WHERE seq = 1`), /append-only/);
  await assert.rejects(db.query('DELETE FROM holdfast_server.audit_log WHERE seq = 1'), /append-only/);
  await db.query('ALTER TABLE holdfast_server.audit_log DISABLE TRIGGER audit_log_append_only');
  await db.query(`UPDATE holdfast_server.audit_log SET actor = 'Someone else' WHERE seq = 1`);
  await db.query('ALTER TABLE holdfast_server.audit_log ENABLE TRIGGER audit_log_append_only');
  const tampered = await accounts.auditLog();
  assert.deepEqual(tampered.problems.map((p) => [p.id, p.field]), [[1, 'hash']]);
});

test('opening again finds the schema in place; a database a newer server upgraded is refused', async () => {
  const again = await Accounts.open(url, { now: () => clock });
  assert.ok((await again.list()).some((a) => a.name === 'Rita Reviewer'));
  await again.close();
  const newer = cluster.createDatabase('holdfast_newer');
  const first = await Accounts.open(newer);
  await first.close();
  const c = new pg.Client({ connectionString: newer });
  await c.connect();
  await c.query(`UPDATE holdfast_server.meta SET value = '99' WHERE key = 'schema_version'`);
  await c.end();
  await rejects(Accounts.open(newer), 'CASE_FROM_NEWER_VERSION', /newer Holdfast/);
});

test('a database address\'s password never appears in an error', async () => {
  const secret = 'Sup3r-s3cret-pw';
  const closed = `postgres://postgres:${secret}@127.0.0.1:1/holdfast`;
  const missing = `postgres://postgres:${secret}@127.0.0.1:${cluster.port}/no_such_database`;
  const wrongUser = `postgres://nobody:${secret}@127.0.0.1:${cluster.port}/postgres`;
  const inQuery = `postgres://postgres@127.0.0.1:1/holdfast?password=${secret}`;
  for (const address of [closed, missing, wrongUser, inQuery]) {
    const e = await rejects(Accounts.open(address), 'INTERNAL');
    assert.ok(!e.message.includes(secret), e.message);
    assert.match(e.message, /^Cannot use the server database postgres:\/\/(postgres|nobody)@127\.0\.0\.1:\d+\/\w+: \S/);
  }
  for (const address of [`postgres://postgres:${secret}@127.0.0.1:99999999/x`, `mysql://root:${secret}@127.0.0.1/x`, `not a url ${secret}`]) {
    const e = await rejects(Accounts.open(address), 'VALIDATION');
    assert.ok(!e.message.includes(secret), e.message);
  }
});
