/**
 * What the matter server shows browsers, checked on the wire over real HTTPS: a sign-in that asks for
 * a cookie gets it HttpOnly, Secure, SameSite=Strict and `__Host-` (and no token in the body), the
 * cookie is accepted like the bearer header, requests and WebSocket upgrades from another origin are
 * refused even with a valid session, signing out clears the cookie and ends the session, the app's
 * pages carry the strict CSP, a matter's page without a session goes to the sign-in page, and no path
 * reaches outside the renderer's folder.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import tls from 'node:tls';
import { RENDERER_CSP } from '../../src/api/wire.ts';
import { openPostgresData } from '../../src/case/data/postgres/index.ts';
import { Accounts } from '../../src/server/auth/accounts.ts';
import { startMatterServer } from '../../src/server/matter/server.ts';
import type { RunningMatterServer } from '../../src/server/matter/server.ts';
import { fp, importRun } from '../case-data/backends.ts';
import { tempDir } from '../helpers/case.ts';
import { startPostgres } from '../helpers/postgres.ts';
import type { Postgres } from '../helpers/postgres.ts';
import { selfSignedCertificate } from '../helpers/tls.ts';
import type { SelfSigned } from '../helpers/tls.ts';
import { upgradeStatus } from '../helpers/ws-handshake.ts';

const PASSWORD = 'correct horse battery';
const COOKIE = '__Host-holdfast_session';
let pg: Postgres;
let cert: SelfSigned;
let accounts: Accounts;
let server: RunningMatterServer;
let origin: string;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function request(pathname: string, opts: { method?: string; headers?: Record<string, string>; json?: unknown } = {}): Promise<Reply> {
  const body = opts.json === undefined ? undefined : JSON.stringify(opts.json);
  const headers = { ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...opts.headers };
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port: server.port, path: pathname, method: opts.method ?? (body ? 'POST' : 'GET'), headers, ca: cert.cert }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The status line the server answers a WebSocket handshake with. */
function upgrade(pathname: string, headers: Record<string, string>): Promise<string> {
  const connect = (ready: () => void) => tls.connect({ host: '127.0.0.1', port: server.port, ca: cert.cert, servername: 'localhost' }, ready);
  return upgradeStatus(connect, `127.0.0.1:${server.port}`, pathname, headers);
}

/** Signs in as a browser does; returns the Set-Cookie header and the session cookie's value. */
async function browserSignIn(): Promise<{ setCookie: string; session: string; reply: Reply }> {
  const reply = await request('/login', { json: { user: 'rita', password: PASSWORD, matter: 'alpha', cookie: true }, headers: { Origin: origin } });
  assert.equal(reply.status, 200, reply.body);
  const setCookie = String(reply.headers['set-cookie']);
  const session = new RegExp(`^${COOKIE}=([A-Za-z0-9_-]+);`).exec(setCookie)?.[1];
  assert.ok(session, setCookie);
  return { setCookie, session, reply };
}

before(async () => {
  pg = await startPostgres();
  const url = pg.createDatabase('holdfast');
  const seed = openPostgresData(url, { matter: 'alpha' });
  importRun(seed, 'a'.repeat(64), 'Alice', [{ conversation: 'team', text: 'the quarterly numbers', sentAt: 1_700_000_000_000, fingerprint: fp(1) }]);
  seed.close();
  cert = selfSignedCertificate();
  accounts = await Accounts.open(url);
  await accounts.add('tester', { name: 'rita', role: 'reviewer', password: PASSWORD });
  const dir = tempDir('holdfast-matter-ui-');
  const renderer = path.join(dir, 'renderer');
  fs.mkdirSync(renderer);
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Holdfast</title><script type="module" src="app.js"></script>');
  fs.writeFileSync(path.join(renderer, 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'TOP SECRET');
  server = await startMatterServer({ accounts, databaseUrl: url, host: '127.0.0.1', port: 0, tls: { cert: cert.cert, key: cert.key }, rendererDir: renderer });
  origin = `https://127.0.0.1:${server.port}`;
});

after(async () => {
  await server?.close();
  await accounts?.close();
  cert?.remove();
  pg?.stop();
});

test('a browser sign-in sets an HttpOnly, Secure, SameSite=Strict __Host- cookie and never shows the token; without cookie: true the token comes in the body and no cookie', async () => {
  const { setCookie, reply } = await browserSignIn();
  const attributes = setCookie.split(';').slice(1).map((a) => a.trim());
  assert.deepEqual(attributes.sort(), ['HttpOnly', 'Path=/', 'SameSite=Strict', 'Secure']);
  assert.equal((JSON.parse(reply.body) as { token?: string }).token, undefined);
  const cli = await request('/login', { json: { user: 'rita', password: PASSWORD, matter: 'alpha' } });
  assert.equal(cli.headers['set-cookie'], undefined);
  assert.match((JSON.parse(cli.body) as { token: string }).token, /^[A-Za-z0-9_-]{43}$/);
  const wrong = await request('/login', { json: { user: 'rita', password: 'not it at all', matter: 'alpha', cookie: true }, headers: { Origin: origin } });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.headers['set-cookie'], undefined);
});

test('the cookie is a session like the bearer header; from another origin nothing is accepted, WebSocket upgrades included', async () => {
  const { session } = await browserSignIn();
  const cookie = `${COOKIE}=${session}`;
  const call = (headers: Record<string, string>) => request('/matters/alpha/api/search.query', { json: { query: 'numbers' }, headers });
  const same = await call({ Cookie: cookie, Origin: origin, 'Sec-Fetch-Site': 'same-origin' });
  assert.equal(same.status, 200, same.body);
  assert.equal((JSON.parse(same.body) as { result: { total: number } }).result.total, 1);
  assert.equal((await call({})).status, 401);
  assert.equal((await call({ Cookie: `${COOKIE}=${'x'.repeat(43)}` })).status, 401);
  const foreigners: Record<string, string>[] = [{ Origin: 'https://evil.example' }, { Origin: `http://127.0.0.1:${server.port}` }, { Origin: 'null' }, { 'Sec-Fetch-Site': 'same-site' }, { 'Sec-Fetch-Site': 'cross-site' }];
  for (const foreign of foreigners) {
    const r = await call({ Cookie: cookie, ...foreign });
    assert.equal(r.status, 403, JSON.stringify(foreign));
    assert.equal((JSON.parse(r.body) as { error: { code: string } }).error.code, 'FORBIDDEN');
  }
  assert.equal((await request('/login', { json: { user: 'rita', password: PASSWORD, matter: 'alpha', cookie: true }, headers: { Origin: 'https://evil.example' } })).status, 403);

  assert.match(await upgrade('/matters/alpha/ws', { Cookie: cookie, Origin: origin }), / 101 /);
  assert.match(await upgrade('/matters/alpha/ws', { Cookie: cookie, Origin: 'https://evil.example' }), / 403 /);
  assert.match(await upgrade('/matters/alpha/ws', { Cookie: cookie, Origin: `http://127.0.0.1:${server.port}` }), / 403 /);
  assert.match(await upgrade('/matters/alpha/ws', { Origin: origin }), / 401 /);
});

test('signing out clears the cookie and ends the session on the server', async () => {
  const { session } = await browserSignIn();
  const cookie = `${COOKIE}=${session}`;
  const out = await request('/logout', { json: {}, headers: { Cookie: cookie, Origin: origin } });
  assert.equal(out.status, 200);
  assert.match(String(out.headers['set-cookie']), new RegExp(`^${COOKIE}=; .*Max-Age=0`));
  assert.match(String(out.headers['set-cookie']), /Secure/);
  assert.equal((await request('/matters/alpha/api/cases.info', { json: {}, headers: { Cookie: cookie } })).status, 401);
  // Signing out again (a stale tab): refused, and the cookie is cleared all the same.
  const again = await request('/logout', { json: {}, headers: { Cookie: cookie, Origin: origin } });
  assert.equal(again.status, 401);
  assert.match(String(again.headers['set-cookie']), new RegExp(`^${COOKIE}=; .*Max-Age=0`));
  assert.match(await upgrade('/matters/alpha/ws', { Cookie: cookie, Origin: origin }), / 401 /);
});

test('the app\'s pages: the sign-in page and a signed-in matter carry the strict CSP; without a session a matter goes to the sign-in page; nothing outside the renderer is served', async () => {
  const root = await request('/');
  assert.equal(root.status, 303);
  assert.equal(root.headers.location, '/signin');
  const signIn = await request('/signin');
  assert.equal(signIn.status, 200);
  assert.equal(signIn.headers['content-security-policy'], RENDERER_CSP);
  assert.equal(signIn.headers['x-frame-options'], 'DENY');
  assert.match(String(signIn.headers['strict-transport-security']), /max-age=\d+/);
  const anonymous = await request('/matters/alpha/');
  assert.equal(anonymous.status, 303);
  assert.equal(anonymous.headers.location, '/signin?matter=alpha');
  const { session } = await browserSignIn();
  const page = await request('/matters/alpha/', { headers: { Cookie: `${COOKIE}=${session}` } });
  assert.equal(page.status, 200);
  assert.equal(page.headers['content-security-policy'], RENDERER_CSP);
  assert.match(page.body, /<title>Holdfast<\/title>/);
  assert.equal((await request('/matters/alpha/app.js')).status, 200);
  assert.equal((await request('/app.js')).status, 200);
  for (const escape of ['/../secret.txt', '/%2e%2e/secret.txt', '/matters/alpha/..%2fsecret.txt', '/matters/alpha/%2e%2e%2f%2e%2e%2fsecret.txt', '/elsewhere']) {
    const r = await request(escape);
    assert.ok(r.status === 404 || r.status === 400, `${escape}: ${r.status}`);
    assert.doesNotMatch(r.body, /TOP SECRET/);
  }
  assert.equal((await request('/signin', { method: 'POST' })).status, 405);
});
