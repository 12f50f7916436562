/**
 * `holdfast server-user` as a child process on a real PostgreSQL: accounts it adds can sign in; weak
 * passwords, unknown roles and unknown names are refused with their codes (exit 1); the password comes
 * from the environment only; the database address's password never reaches the terminal.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { Accounts } from '../../src/server/auth/accounts.ts';
import type { AccountDTO, ServerAuditEntry } from '../../src/server/auth/accounts.ts';
import { cli } from '../helpers/case.ts';
import { startPostgres } from '../helpers/postgres.ts';
import type { Postgres } from '../helpers/postgres.ts';

const PASSWORD = 'granite orchard seventeen';

let cluster: Postgres;
let url: string;

before(async () => {
  cluster = await startPostgres();
  url = cluster.createDatabase('holdfast_cli');
});

after(() => cluster?.stop());

function serverUser(args: string[], env: Record<string, string> = {}) {
  return cli(['server-user', ...args, '--db', url], env);
}

function json<T>(args: string[], env: Record<string, string> = {}): T {
  const r = serverUser([...args, '--json'], env);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as T;
}

test('add takes the password from HOLDFAST_NEW_PASSWORD; the account can sign in with it', async () => {
  const added = json<AccountDTO>(['add', '--name', 'Ada Admin', '--role', 'admin'], { HOLDFAST_NEW_PASSWORD: PASSWORD });
  assert.equal(added.name, 'Ada Admin');
  assert.equal(added.role, 'admin');
  assert.equal(added.disabled, false);
  const text = serverUser(['add', '--name', 'Rita Reviewer', '--role', 'reviewer'], { HOLDFAST_NEW_PASSWORD: PASSWORD });
  assert.equal(text.status, 0, text.stderr);
  assert.equal(text.stdout, 'Added Rita Reviewer (reviewer).\n');
  const accounts = await Accounts.open(url);
  try {
    assert.deepEqual((await accounts.login('Rita Reviewer', PASSWORD)).account, { name: 'Rita Reviewer', role: 'reviewer' });
  } finally {
    await accounts.close();
  }
  assert.deepEqual(json<AccountDTO[]>(['list']).map((a) => [a.name, a.role]), [['Ada Admin', 'admin'], ['Rita Reviewer', 'reviewer']]);
});

test('a weak password is WEAK_PASSPHRASE and an unknown role VALIDATION, exit 1; nothing is added', () => {
  const weak = serverUser(['add', '--name', 'Sam', '--role', 'reviewer'], { HOLDFAST_NEW_PASSWORD: 'password' });
  assert.equal(weak.status, 1);
  assert.match(weak.stderr, /^holdfast: WEAK_PASSPHRASE: A passphrase needs at least 12 characters \(this one has 8\)/);
  const role = serverUser(['add', '--name', 'Sam', '--role', 'boss'], { HOLDFAST_NEW_PASSWORD: PASSWORD });
  assert.equal(role.status, 1);
  assert.equal(role.stderr, 'holdfast: VALIDATION: There is no role "boss": one of admin, project-manager, reviewer, qc-reviewer, producer, read-only.\n');
  assert.ok(!json<AccountDTO[]>(['list']).some((a) => a.name === 'Sam'));
});

test('without HOLDFAST_NEW_PASSWORD (and no terminal) add is a usage error; the password is never an argument', () => {
  const r = cli(['server-user', 'add', '--db', url, '--name', 'Sam', '--role', 'reviewer'], { HOLDFAST_NEW_PASSWORD: '' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /set HOLDFAST_NEW_PASSWORD/);
  const extra = cli(['server-user', 'add', '--db', url, '--name', 'Sam', '--role', 'reviewer', '--password', PASSWORD]);
  assert.equal(extra.status, 2);
});

test('role and disable change the account and are audited as the operating-system user', () => {
  assert.equal(json<AccountDTO>(['role', '--name', 'rita reviewer', '--role', 'qc-reviewer']).role, 'qc-reviewer');
  assert.equal(json<AccountDTO>(['disable', '--name', 'Rita Reviewer']).disabled, true);
  const missing = serverUser(['disable', '--name', 'Nobody']);
  assert.equal(missing.status, 1);
  assert.equal(missing.stderr, 'holdfast: NOT_FOUND: There is no account named "Nobody".\n');
  const log = json<{ entries: ServerAuditEntry[]; problems: unknown[] }>(['audit']);
  assert.deepEqual(log.problems, []);
  const changes = log.entries.filter((e) => e.action.startsWith('account.'));
  assert.deepEqual(changes.map((e) => [e.action, e.actor]), [
    ['account.create', os.userInfo().username],
    ['account.create', os.userInfo().username],
    ['account.role', os.userInfo().username],
    ['account.disable', os.userInfo().username],
  ]);
  const list = serverUser(['list']);
  assert.match(list.stdout, /^Rita Reviewer {2}qc-reviewer {2}\(since [^)]+\) {2}disabled$/m);
});

test('the database address\'s password is never printed', () => {
  const secret = 'Hunter2-but-longer';
  const r = cli(['server-user', 'list', '--db', `postgres://postgres:${secret}@127.0.0.1:1/holdfast`]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^holdfast: INTERNAL: Cannot use the server database postgres:\/\/postgres@127\.0\.0\.1:1\/holdfast: /);
  const bad = cli(['server-user', 'list', '--db', `postgres://postgres:${secret}@127.0.0.1:99999999/holdfast`]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^holdfast: VALIDATION: /);
  for (const out of [r.stdout, r.stderr, bad.stdout, bad.stderr]) assert.ok(!out.includes(secret), out);
});
