/**
 * The loopback server refuses what a hostile page or another local user could send: no token,
 * a wrong token, a foreign Host (DNS rebinding) or Origin, paths outside the renderer; it listens
 * on 127.0.0.1 only; attachments stream with safe headers.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { AppContext } from '../../src/app/app-context.ts';
import { startServer } from '../../src/server/server.ts';
import type { RunningServer } from '../../src/server/server.ts';
import { tempDir } from '../helpers/case.ts';
import { makePng } from '../helpers/images.ts';
import { writeSmsBackup } from '../helpers/sms-backup.ts';
import { upgradeStatus } from '../helpers/ws-handshake.ts';

let dir: string;
let renderer: string;
let ctx: AppContext;
let server: RunningServer;
const IMAGE = makePng(8, 6, (x, y) => [x * 30, y * 40, 200]);
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function request(pathname: string, opts: { method?: string; headers?: Record<string, string>; body?: string; token?: string | null } = {}): Promise<Reply> {
  const headers: Record<string, string> = { Host: `127.0.0.1:${server.port}`, ...opts.headers };
  const token = opts.token === undefined ? server.token : opts.token;
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  return new Promise((resolve, reject) => {
    // http.request sends the path exactly as given: no client-side normalisation of "..".
    const req = http.request({ host: '127.0.0.1', port: server.port, path: pathname, method: opts.method ?? 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** The status line the server answers a WebSocket handshake with. */
function upgrade(pathname: string, headers: Record<string, string>): Promise<string> {
  return upgradeStatus((ready) => net.connect(server.port, '127.0.0.1', ready), `127.0.0.1:${server.port}`, pathname, headers);
}

before(async () => {
  dir = tempDir('holdfast-server-');
  renderer = path.join(dir, 'renderer');
  fs.mkdirSync(path.join(renderer, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Holdfast</title>');
  fs.writeFileSync(path.join(renderer, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'TOP SECRET');
  fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(renderer, 'assets', 'link.txt'));
  ctx = new AppContext({ host: { kind: 'loopback' }, configDir: path.join(dir, 'config') });
  await ctx.create(path.join(dir, 'case.hfcase'), 'server test passphrase', { name: 'Server test' });
  const source = writeSmsBackup(path.join(dir, 'sms.xml'), [{ address: '+15551234567', contact: 'Pat', date: Date.UTC(2024, 0, 2, 10), body: 'see the photo' }], [
    {
      address: '+15551234567', contact: 'Pat', date: Date.UTC(2024, 0, 2, 11), text: 'photo and drawing',
      parts: [
        { name: 'Büro café photo.png', ct: 'image/png', data: IMAGE },
        { name: 'drawing.svg', ct: 'image/svg+xml', data: SVG },
      ],
    },
  ]);
  const job = ctx.jobs.start('import', 'import', { source, tz: 'UTC' }, ctx.jobTarget());
  await new Promise<void>((resolve) => ctx.events.subscribe((e, p) => e === 'job.finished' && (p as { id: string }).id === job.id && resolve()));
  assert.equal(ctx.jobs.get(job.id).state, 'succeeded', JSON.stringify(ctx.jobs.get(job.id).error));
  server = await startServer({ ctx, rendererDir: renderer });
});

after(async () => {
  await server.close();
  await ctx.shutdown();
});

test('listens on 127.0.0.1 only and prints a URL with a long random token', async () => {
  assert.match(server.url, new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[A-Za-z0-9_-]{43}$`));
  const other = await startServer({ ctx });
  assert.notEqual(other.token, server.token);
  await other.close();
  const external = Object.values(os.networkInterfaces()).flat().filter((i) => i && !i.internal && i.family === 'IPv4');
  for (const iface of external) {
    const refused = await new Promise<boolean>((resolve) => {
      const s = net.connect(server.port, iface!.address);
      s.on('connect', () => { s.destroy(); resolve(false); });
      s.on('error', () => resolve(true));
    });
    assert.ok(refused, `reachable on ${iface!.address}`);
  }
});

test('no token is 401, a wrong token 403, everywhere', async () => {
  for (const p of ['/', '/assets/app.js', '/attachments/1', '/api/cases.current']) {
    assert.equal((await request(p, { token: null })).status, 401, p);
    assert.equal((await request(p, { token: 'x'.repeat(43) })).status, 403, p);
    assert.equal((await request(p, { token: server.token.slice(0, -1) })).status, 403, p);
  }
  assert.equal((await request('/api/cases.current', { method: 'POST', token: null, headers: { 'Content-Type': 'application/json' }, body: '{}' })).status, 401);
  assert.equal((await request(`/?token=wrong`, { token: null })).status, 403);
  assert.equal((await request('/', { token: null, headers: { Host: server.appHost, Cookie: `holdfast_${server.port}=wrong` } })).status, 403);
});

test('the token in the address moves to our own random host, becomes an HttpOnly SameSite cookie there and leaves the address', async () => {
  assert.match(server.appHost, new RegExp(`^[0-9a-f]{24}\\.localhost:${server.port}$`));
  const moved = await request(`/?token=${server.token}`, { token: null });
  assert.equal(moved.status, 303);
  assert.equal(moved.headers.location, `http://${server.appHost}/?token=${server.token}`);
  assert.equal(moved.headers['set-cookie'], undefined, 'no cookie for 127.0.0.1: every other local port would receive it');
  const first = await request(`/?token=${server.token}`, { token: null, headers: { Host: server.appHost } });
  assert.equal(first.status, 303);
  assert.equal(first.headers.location, '/');
  const cookie = first.headers['set-cookie']![0]!;
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  assert.doesNotMatch(cookie, /Domain=/i, 'host-only');
  const page = await request('/', { token: null, headers: { Host: server.appHost, Cookie: cookie.split(';')[0]! } });
  assert.equal(page.status, 200);
  // The same cookie presented to any other name of this server is no credential.
  assert.equal((await request('/', { token: null, headers: { Cookie: cookie.split(';')[0]! } })).status, 401);
  assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
  assert.equal(page.headers['x-frame-options'], 'DENY');
});

test('a foreign Host or Origin is refused even with the token (DNS rebinding)', async () => {
  for (const host of [`evil.example:${server.port}`, `127.0.0.1:${server.port + 1}`, '127.0.0.1', `0.0.0.0:${server.port}`]) {
    assert.equal((await request('/', { headers: { Host: host } })).status, 403, host);
  }
  assert.equal((await request('/', { headers: { Host: `localhost:${server.port}` } })).status, 200);
  for (const origin of ['http://evil.example', `http://127.0.0.1:${server.port + 1}`, 'null']) {
    assert.equal((await request('/api/cases.current', { method: 'POST', headers: { Origin: origin, 'Content-Type': 'application/json' }, body: '{}' })).status, 403, origin);
  }
  for (const site of ['cross-site', 'same-site']) assert.equal((await request('/', { headers: { 'Sec-Fetch-Site': site } })).status, 403, site);
  for (const site of ['same-origin', 'none']) assert.equal((await request('/', { headers: { 'Sec-Fetch-Site': site } })).status, 200, site);
});

test('WebSocket handshakes need the token and our Origin', async () => {
  assert.match(await upgrade('/ws', {}), / 401 /);
  assert.match(await upgrade('/ws?token=nope', {}), / 403 /);
  assert.match(await upgrade(`/ws?token=${server.token}`, { Origin: 'http://evil.example' }), / 403 /);
  assert.match(await upgrade(`/ws?token=${server.token}`, { Host: `attacker.example:${server.port}` }), / 403 /);
  assert.match(await upgrade(`/ws?token=${server.token}`, { Origin: `http://127.0.0.1:${server.port}` }), / 101 /);
});

test('paths outside the renderer are never served', async () => {
  assert.equal((await request('/assets/app.js')).body.toString(), 'console.log(1)');
  for (const p of [
    '/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/%2E%2E%2Fsecret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/..%5csecret.txt', '/assets/link.txt', '/%00index.html', '/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/%', '//etc/passwd',
  ]) {
    const r = await request(p);
    // Refused, or (for a path without an extension) the app's own page.
    assert.ok(r.status === 404 || r.status === 400 || r.body.toString() === '<!doctype html><title>Holdfast</title>', `${p} → ${r.status}`);
    assert.ok(!r.body.toString().includes('TOP SECRET') && !r.body.toString().includes('root:'), p);
  }
});

test('the JSON API needs POST with a JSON body', async () => {
  assert.equal((await request('/api/cases.current', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{}' })).status, 415);
  assert.equal((await request('/api/cases.current')).status, 405);
  const ok = await request('/api/cases.current', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  assert.equal(ok.status, 200);
  assert.equal(JSON.parse(ok.body.toString()).result.matter, 'Server test');
  const bad = await request('/api/cases.open', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"path":1}' });
  assert.equal(bad.status, 400);
  assert.equal(JSON.parse(bad.body.toString()).error.code, 'VALIDATION');
});

test('attachments stream by id with their type and a safe Content-Disposition', async () => {
  const rows = ctx.session().db.prepare('SELECT id, name FROM attachments ORDER BY id').all() as { id: number; name: string }[];
  const photo = rows.find((r) => r.name.endsWith('.png'))!;
  const svg = rows.find((r) => r.name.endsWith('.svg'))!;
  const img = await request(`/attachments/${photo.id}`);
  assert.equal(img.status, 200);
  assert.equal(img.headers['content-type'], 'image/png');
  assert.equal(createHash('sha256').update(img.body).digest('hex'), createHash('sha256').update(IMAGE).digest('hex'));
  assert.equal(img.headers['content-length'], String(IMAGE.length));
  assert.equal(img.headers['content-disposition'], `inline; filename="B_ro caf_ photo.png"; filename*=UTF-8''B%C3%BCro%20caf%C3%A9%20photo.png`);
  assert.equal(img.headers['x-content-type-options'], 'nosniff');
  const download = await request(`/attachments/${photo.id}?download=1`);
  assert.match(String(download.headers['content-disposition']), /^attachment;/);
  // Active content never renders inline, and runs sandboxed if opened.
  const s = await request(`/attachments/${svg.id}`);
  assert.match(String(s.headers['content-disposition']), /^attachment;/);
  assert.match(String(s.headers['content-security-policy']), /sandbox/);
  assert.equal((await request('/attachments/999999')).status, 404);
  assert.equal((await request('/attachments/abc')).status, 404);
  assert.equal((await request('/attachments/-1')).status, 404);
});

test('a WebSocket frame that is not a call (binary, not JSON, another shape) closes the socket with 1003; a call is answered', async () => {
  const { WebSocket } = await import('ws');
  const open = () =>
    new Promise<InstanceType<typeof WebSocket>>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, { headers: { Authorization: `Bearer ${server.token}` } });
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    });
  const closeCode = (ws: InstanceType<typeof WebSocket>) => new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  for (const bad of [Buffer.from([1, 2, 3]), 'not json', JSON.stringify({ type: 'call', id: 1.5, method: 'app.info' }), JSON.stringify({ type: 'event', id: 1, method: 'app.info' }), 'null']) {
    const ws = await open();
    const closed = closeCode(ws);
    ws.send(bad, { binary: Buffer.isBuffer(bad) });
    assert.equal(await closed, 1003, String(bad));
  }
  const ws = await open();
  const reply = new Promise<{ type: string; id: number; envelope: { ok: boolean } }>((resolve) => ws.on('message', (d) => {
    const frame = JSON.parse(String(d)) as { type: string; id: number; envelope: { ok: boolean } };
    if (frame.type === 'result') resolve(frame);
  }));
  ws.send(JSON.stringify({ type: 'call', id: 7, method: 'app.info', args: {} }));
  const frame = await reply;
  assert.equal(frame.id, 7);
  assert.equal(frame.envelope.ok, true);
  ws.close();
});
