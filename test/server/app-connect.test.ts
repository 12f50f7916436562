/**
 * The app's own connection to a matter server (`matters.connect`), through dispatch as every
 * transport calls it: addresses as typed, typed refusals naming the server, the app's calls going to
 * the matter as the signed-in account while dialogs and the recent lists stay local, the server's
 * events (others' changes, who is connected) reaching the app's subscribers, no password kept, and
 * the server ending the connection.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createClient } from '../../src/api/client.ts';
import type { Envelope } from '../../src/api/contract.ts';
import type { EventName, Events } from '../../src/api/events.ts';
import { AppContext } from '../../src/app/app-context.ts';
import { dispatch } from '../../src/app/dispatch.ts';
import { openPostgresData } from '../../src/case/data/postgres/index.ts';
import { Accounts } from '../../src/server/auth/accounts.ts';
import { connectMatter } from '../../src/server/matter/client.ts';
import { connectFromApp, matterAddressOf } from '../../src/server/matter/connect.ts';
import { startMatterServer } from '../../src/server/matter/server.ts';
import type { RunningMatterServer } from '../../src/server/matter/server.ts';
import { fp, importRun } from '../case-data/backends.ts';
import { tempDir } from '../helpers/case.ts';
import { startPostgres } from '../helpers/postgres.ts';
import type { Postgres } from '../helpers/postgres.ts';
import { selfSignedCertificate } from '../helpers/tls.ts';
import type { SelfSigned } from '../helpers/tls.ts';

const PASSWORD = 'correct horse battery';
let pg: Postgres;
let url: string;
let cert: SelfSigned;
let accounts: Accounts;
let server: RunningMatterServer;
let dir: string;
let ctx: AppContext;
const logged: string[] = [];

const call = (method: string, args: unknown = {}): Promise<Envelope> => dispatch(ctx, method, args);
const result = async <T>(method: string, args: unknown = {}): Promise<T> => {
  const e = await call(method, args);
  assert.ok(e.ok, `${method}: ${JSON.stringify(e)}`);
  return e.result as T;
};
const errorOf = async (method: string, args: unknown = {}) => {
  const e = await call(method, args);
  assert.equal(e.ok, false, `${method} answered ${JSON.stringify(e)}`);
  return (e as Extract<Envelope, { ok: false }>).error;
};
const signIn = (user = 'rita', extra: Record<string, string> = {}) => ({ url: `holdfasts://127.0.0.1:${server.port}/alpha`, user, password: PASSWORD, caFile: cert.certFile, ...extra });

/** The next event of this kind the app context emits that satisfies `ok`. */
function nextEvent<E extends EventName>(event: E, ok: (p: Events[E]) => boolean = () => true): Promise<Events[E]> {
  return new Promise((resolve) => {
    const off = ctx.events.subscribe((e, p) => {
      if ((e as string) === event && ok(p as Events[E])) {
        off();
        resolve(p as Events[E]);
      }
    });
  });
}

before(async () => {
  pg = await startPostgres();
  url = pg.createDatabase('holdfast');
  const seed = openPostgresData(url, { matter: 'alpha' });
  importRun(seed, 'a'.repeat(64), 'Alice', [
    { conversation: 'team', text: 'the quarterly numbers', sentAt: 1_700_000_000_000, fingerprint: fp(1) },
    { conversation: 'team', text: 'numbers look fine', sentAt: 1_700_000_060_000, fingerprint: fp(2) },
  ]);
  seed.close();
  cert = selfSignedCertificate();
  accounts = await Accounts.open(url);
  await accounts.add('tester', { name: 'rita', role: 'reviewer', password: PASSWORD });
  await accounts.add('tester', { name: 'pat', role: 'project-manager', password: PASSWORD });
  server = await startMatterServer({ accounts, databaseUrl: url, host: '127.0.0.1', port: 0, tls: { cert: cert.cert, key: cert.key }, log: (l) => logged.push(l) });
  dir = tempDir('holdfast-app-connect-');
  ctx = new AppContext({ host: { kind: 'loopback', connectMatter: connectFromApp }, configDir: path.join(dir, 'config') });
});

after(async () => {
  await ctx?.shutdown();
  await server?.close();
  await accounts?.close();
  cert?.remove();
  pg?.stop();
});

test('addresses as a user types them', () => {
  const a = { origin: 'https://review.example:8443', matter: 'acme' };
  assert.deepEqual(matterAddressOf('holdfasts://review.example:8443/acme'), a);
  assert.deepEqual(matterAddressOf(' https://review.example:8443/matters/acme/ '), a);
  assert.deepEqual(matterAddressOf('https://review.example:8443', 'acme'), a);
  assert.deepEqual(matterAddressOf('http://127.0.0.1:8080/acme'), { origin: 'http://127.0.0.1:8080', matter: 'acme' });
  assert.throws(() => matterAddressOf('https://review.example:8443'), { code: 'VALIDATION' });
  assert.throws(() => matterAddressOf('holdfasts://review.example:8443/acme', 'other'), { code: 'VALIDATION' });
  assert.throws(() => matterAddressOf('holdfasts://ana:secret@review.example:8443/acme'), { code: 'VALIDATION' });
  assert.throws(() => matterAddressOf('review.example'), { code: 'VALIDATION' });
});

test('refusals are typed and name the server: wrong password, unknown matter, untrusted certificate, nobody listening, no CA file', async () => {
  assert.equal((await errorOf('matters.connect', signIn('rita', { password: 'not the password' }))).code, 'UNAUTHENTICATED');
  assert.equal((await errorOf('matters.connect', signIn('rita', { url: `holdfasts://127.0.0.1:${server.port}/nope` }))).code, 'NOT_FOUND');
  const untrusted = await errorOf('matters.connect', { ...signIn(), caFile: undefined });
  assert.equal(untrusted.code, 'CASE_NOT_OPEN');
  assert.match(untrusted.message, new RegExp(`https://127\\.0\\.0\\.1:${server.port} is not trusted`));
  const closed = await errorOf('matters.connect', signIn('rita', { url: 'holdfasts://127.0.0.1:1/alpha' }));
  assert.equal(closed.code, 'CASE_NOT_OPEN');
  assert.match(closed.message, /Cannot reach the matter server at https:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/);
  const noCa = await errorOf('matters.connect', signIn('rita', { caFile: path.join(dir, 'missing.pem') }));
  assert.equal(noCa.code, 'VALIDATION');
  assert.match(noCa.message, /missing\.pem/);
  assert.equal(ctx.remote, null);
  assert.deepEqual(await result('matters.current'), { connected: false, url: null, matter: null, account: null, problem: null });
});

test('connected, the app\'s calls run on the matter as the account; dialogs and recent lists stay local; no password is kept', async () => {
  const opened = nextEvent('case.changed', (p) => p.what === 'opened');
  const state = await result<{ connected: boolean; url: string; account: { name: string; role: string } }>('matters.connect', signIn());
  await opened;
  assert.deepEqual(state, { connected: true, url: `holdfasts://127.0.0.1:${server.port}/alpha`, matter: 'alpha', account: { name: 'rita', role: 'reviewer' }, problem: null });
  const current = await result<{ open: boolean; path: string }>('cases.current');
  assert.equal(current.open, true);
  assert.equal(current.path, 'matter alpha');
  const found = await result<{ total: number; hits: { messageId: number }[] }>('search.query', { query: 'numbers' });
  assert.equal(found.total, 2);
  // A reviewer may not create a tag: the server's refusal comes back as it is.
  assert.equal((await errorOf('tags.create', { name: 'Mine' })).code, 'FORBIDDEN');
  assert.equal((await errorOf('dialog.pickPath', { mode: 'open-file' })).message, 'Choosing files needs the desktop app; type the path instead.');
  assert.deepEqual(await result('cases.recent'), []);
  const info = await result<{ transport: string; account: { name: string; role: string; forbidden: string[] }; presence: { name: string }[] }>('app.info');
  assert.equal(info.transport, 'loopback');
  assert.equal(info.account.name, 'rita');
  assert.ok(info.account.forbidden.includes('tags.create') && !info.account.forbidden.includes('tags.apply'));
  assert.deepEqual(info.presence.map((p) => p.name), ['rita']);

  const remembered = fs.readFileSync(path.join(dir, 'config', 'recent-matters.json'), 'utf8');
  assert.deepEqual((await result<{ url: string; user: string }[]>('matters.recent')).map((r) => [r.url, r.user]), [[state.url, 'rita']]);
  for (const file of fs.readdirSync(path.join(dir, 'config'))) assert.ok(!fs.readFileSync(path.join(dir, 'config', file), 'utf8').includes(PASSWORD), file);
  assert.ok(remembered.includes('rita'));
  assert.ok(logged.every((l) => !l.includes(PASSWORD)));
});

test('the server\'s events reach the app: another account connecting and its changes', async () => {
  const joined = nextEvent('presence.changed', (p) => p.presence.some((x) => x.name === 'pat'));
  const pat = await connectMatter({ origin: server.url, matter: 'alpha' }, { user: 'pat', password: PASSWORD, ca: cert.cert });
  assert.deepEqual((await joined).presence.map((p) => [p.name, p.role]), [['pat', 'project-manager'], ['rita', 'reviewer']]);
  const tagged = nextEvent('case.changed', (p) => p.what === 'tags');
  await createClient(pat.transport).call('tags.create', { name: 'From pat' });
  await tagged;
  assert.ok((await result<{ name: string }[]>('tags.list')).some((t) => t.name === 'From pat'));
  const left = nextEvent('presence.changed', (p) => !p.presence.some((x) => x.name === 'pat'));
  await pat.close();
  await left;
});

test('disconnecting signs out on the server; a session ended on the server or the server ending the connection brings the app back with the reason', async () => {
  const closed = nextEvent('case.changed', (p) => p.what === 'closed');
  await result('matters.disconnect');
  await closed;
  assert.equal(ctx.remote, null);
  assert.ok(logged.includes('rita signed out'), logged.join('\n'));
  assert.equal((await result<{ open: boolean }>('cases.current')).open, false);

  // The session ended on the server (here: the account disabled): the next call is refused and the app is back.
  await accounts.add('tester', { name: 'dora', role: 'reviewer', password: PASSWORD });
  await result('matters.connect', signIn('dora'));
  await accounts.disable('tester', 'dora');
  const ended = nextEvent('case.changed', (p) => p.what === 'closed');
  assert.equal((await errorOf('search.query', { query: 'numbers' })).code, 'UNAUTHENTICATED');
  await ended;
  assert.equal(ctx.remote, null);
  // The server's own reason, as it refused the call (String(null) would have passed /./).
  assert.match((await result<{ problem: string | null }>('matters.current')).problem ?? '', /the session has ended/);

  await result('matters.connect', signIn());
  const dropped = nextEvent('case.changed', (p) => p.what === 'closed');
  await server.close();
  await dropped;
  const state = await result<{ connected: boolean; problem: string | null }>('matters.current');
  assert.equal(state.connected, false);
  assert.match(String(state.problem), /closed \(1001: server shutting down\)/);
  assert.equal((await errorOf('search.query', { query: 'numbers' })).code, 'CASE_NOT_OPEN');
});
