/**
 * The matter server over real HTTPS with a self-signed certificate: sign-in, the session check on
 * every call (expiry included), each role refused exactly what it does not grant, calls running as
 * the account on the matter's PostgreSQL data, who is connected, and what the UI is told the account cannot call.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from '../../src/api/client.ts';
import type { ApiError } from '../../src/api/client.ts';
import { METHODS } from '../../src/api/methods/index.ts';
import type { MethodName } from '../../src/api/methods/index.ts';
import { openPostgresData } from '../../src/case/data/postgres/index.ts';
import { Accounts, SESSION } from '../../src/server/auth/accounts.ts';
import { ROLES, mayCall } from '../../src/server/auth/roles.ts';
import { connectMatter, postJson } from '../../src/server/matter/client.ts';
import type { MatterAddress, MatterConnection } from '../../src/server/matter/client.ts';
import { startMatterServer } from '../../src/server/matter/server.ts';
import type { RunningMatterServer } from '../../src/server/matter/server.ts';
import { fp, importRun } from '../case-data/backends.ts';
import { startPostgres } from '../helpers/postgres.ts';
import type { Postgres } from '../helpers/postgres.ts';
import { selfSignedCertificate } from '../helpers/tls.ts';
import type { SelfSigned } from '../helpers/tls.ts';

const PASSWORD = 'correct horse battery';
let pg: Postgres;
let tls: SelfSigned;
let accounts: Accounts;
let server: RunningMatterServer;
let address: MatterAddress;
let clock = Date.now();
const logged: string[] = [];

before(async () => {
  pg = await startPostgres();
  const url = pg.createDatabase('holdfast');
  const seed = openPostgresData(url, { matter: 'alpha' });
  importRun(seed, 'a'.repeat(64), 'Alice', [
    { conversation: 'team', text: 'the quarterly numbers', sentAt: 1_700_000_000_000, fingerprint: fp(1) },
    { conversation: 'team', text: 'numbers look fine', sentAt: 1_700_000_060_000, fingerprint: fp(2) },
  ]);
  seed.close();
  tls = selfSignedCertificate();
  accounts = await Accounts.open(url, { now: () => clock });
  for (const role of ROLES) await accounts.add('tester', { name: role, role, password: PASSWORD });
  server = await startMatterServer({ accounts, databaseUrl: url, host: '127.0.0.1', port: 0, tls: { cert: tls.cert, key: tls.key }, log: (l) => logged.push(l) });
  address = { origin: server.url, matter: 'alpha' };
});

after(async () => {
  await server?.close();
  await accounts?.close();
  tls?.remove();
  pg?.stop();
});

const connect = (user: string, password = PASSWORD) => connectMatter(address, { user, password, ca: tls.cert });
const codeOf = async (p: Promise<unknown>): Promise<string> => p.then(() => 'ok', (e: ApiError) => e.code);

test('plain HTTP is refused on an address that is not loopback', async () => {
  await assert.rejects(startMatterServer({ accounts, databaseUrl: 'postgres://x@127.0.0.1/x', host: '0.0.0.0', port: 0 }), { code: 'VALIDATION' });
});

test('the self-signed certificate is trusted only when given as the CA', async () => {
  await assert.rejects(connectMatter(address, { user: 'admin', password: PASSWORD }), /certificate/);
  const c = await connect('admin');
  await c.close();
});

test('sign-in: a wrong password and an unknown matter are refused; calls need a session', async () => {
  await assert.rejects(connect('reviewer', 'wrong password here'), { code: 'UNAUTHENTICATED' });
  await assert.rejects(connectMatter({ ...address, matter: 'nope' }, { user: 'reviewer', password: PASSWORD, ca: tls.cert }), { code: 'NOT_FOUND' });
  const anonymous = await postJson(server.url, '/matters/alpha/api/tags.list', {}, { ca: tls.cert });
  assert.equal(anonymous.status, 401);
  assert.equal((anonymous.body as { error: { code: string } }).error.code, 'UNAUTHENTICATED');
  const forged = await postJson(server.url, '/matters/alpha/api/tags.list', {}, { ca: tls.cert, token: 'x'.repeat(43) });
  assert.equal(forged.status, 401);
  assert.ok(logged.every((l) => !l.includes(PASSWORD)));
});

test('each role is refused exactly the methods its role does not grant, over HTTPS and the WebSocket', async () => {
  for (const role of ROLES) {
    const c = await connect(role);
    try {
      const api = createClient(c.transport);
      for (const method of Object.keys(METHODS) as MethodName[]) {
        // An unknown key fails validation, so an allowed call is answered without running.
        const code = await codeOf(api.call(method, { notAnArgument: 1 } as never));
        assert.equal(code === 'FORBIDDEN', !mayCall(role, method), `${role} ${method}: ${code}`);
      }
      const http = await postJson(server.url, '/matters/alpha/api/tags.create', { name: 'Hot' }, { ca: tls.cert, token: c.token });
      assert.equal(http.status === 403, !mayCall(role, 'tags.create'), `${role} tags.create over HTTP: ${http.status}`);
    } finally {
      await c.close();
    }
  }
});

test('calls run on the matter as the signed-in account; app.info shows who is connected', async () => {
  const reviewer = await connect('reviewer');
  const manager = await connect('project-manager');
  try {
    const asReviewer = createClient(reviewer.transport);
    const found = await asReviewer.call('search.query', { query: 'numbers' });
    assert.equal(found.total, 2);
    const tag = await createClient(manager.transport).call('tags.create', { name: 'Relevant' });
    await asReviewer.call('tags.apply', { tag: tag.id, target: { messageIds: found.hits.map((h) => h.messageId) } });
    const audit = await asReviewer.call('audit.list', {});
    const applied = audit.items.find((e) => e.action === 'tag.apply');
    assert.equal(applied?.actor, 'reviewer');
    assert.equal(audit.items.find((e) => e.action === 'tag.create')?.actor, 'project-manager');
    const info = await asReviewer.call('app.info', {});
    assert.equal(info.transport, 'matter-server');
    assert.deepEqual(info.presence.map((p) => [p.name, p.role, p.connections]), [['project-manager', 'project-manager', 1], ['reviewer', 'reviewer', 1]]);
    const admin = await connect('admin');
    const asAdmin = createClient(admin.transport);
    assert.equal(await codeOf(asAdmin.call('cases.close', {})), 'VALIDATION');
    // Jobs run on the matter (test/server/matter-jobs.test.ts); this server has no --output-root, so it writes no
    // production, and no --import-root, so it reads no source.
    assert.equal(await codeOf(asAdmin.call('productions.start', { format: 'pdf', out: 'REG-001', query: 'numbers' })), 'VALIDATION');
    assert.equal(await codeOf(asAdmin.call('imports.start', { source: '/etc/hostname', custodian: 'X' })), 'VALIDATION');
    assert.equal(await codeOf(asAdmin.call('imports.detect', { path: '/etc/hostname' })), 'VALIDATION');
    assert.equal(await codeOf(asAdmin.call('search.query', { query: 'numbers' })), 'ok');
    // What the UI hides: for an admin only what the server does not serve; for a reviewer its role's refusals too.
    const adminSees = (await asAdmin.call('app.info', {})).account;
    assert.equal(adminSees?.name, 'admin');
    assert.ok(adminSees.forbidden.includes('cases.rekey') && !adminSees.forbidden.includes('holds.create'), adminSees.forbidden.join());
    const reviewerSees = (await asReviewer.call('app.info', {})).account;
    assert.deepEqual([reviewerSees?.role, reviewerSees?.forbidden.includes('holds.create'), reviewerSees?.forbidden.includes('tags.apply')], ['reviewer', true, false]);
    await admin.close();
  } finally {
    await reviewer.close();
    await manager.close();
  }
});

test('a session ends after its idle time: the next call on the open WebSocket is UNAUTHENTICATED', async () => {
  const c: MatterConnection = await connect('read-only');
  try {
    const api = createClient(c.transport);
    assert.equal(await codeOf(api.call('tags.list', {})), 'ok');
    clock += (SESSION.idleHours * 60 + 1) * 60_000;
    assert.equal(await codeOf(api.call('tags.list', {})), 'UNAUTHENTICATED');
  } finally {
    await c.close();
  }
});
