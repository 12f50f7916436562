/** `holdfast serve [CASE] [--port N]` as a user runs it: prints the URL, answers with the token, stops on Ctrl+C. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { ROOT, PASSPHRASE, newCase, tempDir } from '../helpers/case.ts';

/** Where these runs keep the UI: empty at first, so the first serve has to build it. */
const UI_DIR = path.join(tempDir(), 'ui');

async function serve(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/holdfast.js'), 'serve', ...args], {
    env: { ...process.env, HOLDFAST_PASSPHRASE: PASSPHRASE, HOLDFAST_CONFIG_DIR: tempDir(), HOLDFAST_UI_DIR: UI_DIR, ...env },
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (c) => (err += String(c)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (c) => {
      out += String(c);
      const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(out);
      if (m) resolve(m[0]);
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
  const stop = async () => {
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    return exited;
  };
  return { url, out: () => out, err: () => err, stop };
}

/** A GET to the loopback server naming `host` in its Host header. */
function loopback(port: string, host: string, pathAndQuery: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: Number(port), path: pathAndQuery, headers: { Host: host, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
  });
}

async function current(url: string, token: string | null) {
  const u = new URL(url);
  const res = await fetch(new URL('/api/cases.current', u), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: '{}',
  });
  return { status: res.status, body: res.status === 200 ? ((await res.json()) as { result: { open: boolean; matter: string | null } }) : null };
}

test('serve builds the UI when it is missing (no npm run build first) and serves it', async () => {
  assert.equal(fs.existsSync(path.join(UI_DIR, 'index.html')), false);
  const server = await serve([]);
  assert.match(server.err(), /built the UI into/);
  const u = new URL(server.url);
  // The address with the token moves the browser to the app's own host name; there it gets a
  // cookie and a redirect, and the page itself comes with the cookie (asked of 127.0.0.1 with that
  // Host, as a browser resolving *.localhost does).
  const first = await fetch(u, { redirect: 'manual' });
  const appUrl = new URL(first.headers.get('location')!);
  assert.match(appUrl.hostname, /^[0-9a-f]+\.localhost$/);
  const onAppHost = (p: string, headers: Record<string, string> = {}) => loopback(u.port, appUrl.host, p, headers);
  const second = await onAppHost(`${appUrl.pathname}${appUrl.search}`);
  const cookie = String(second.headers['set-cookie']).split(';')[0]!;
  const page = await onAppHost('/', { Cookie: cookie });
  assert.equal(page.status, 200);
  assert.match(page.body, /<title>Holdfast<\/title>/);
  assert.equal(await server.stop(), 0);
  // Current now: the next serve does not build again.
  const again = await serve([]);
  assert.doesNotMatch(again.err(), /built the UI/);
  assert.equal(await again.stop(), 0);
});

test('serve CASE opens the case with HOLDFAST_PASSPHRASE and serves it until interrupted', async () => {
  const s = newCase();
  s.close();
  const server = await serve([s.path]);
  const token = new URL(server.url).searchParams.get('token')!;
  assert.equal((await current(server.url, null)).status, 401);
  const r = await current(server.url, token);
  assert.deepEqual([r.body?.result.open, r.body?.result.matter], [true, 'Test matter']);
  assert.equal(await server.stop(), 0);
});

test('serve without CASE starts at the open/create screen; --port is honoured', async () => {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const server = await serve(['--port', String(port)]);
  assert.equal(new URL(server.url).port, String(port));
  const r = await current(server.url, new URL(server.url).searchParams.get('token'));
  assert.equal(r.body?.result.open, false);
  assert.equal(await server.stop(), 0);
});

test('serve CASE with a wrong passphrase fails with BAD_PASSPHRASE', async () => {
  const s = newCase();
  s.close();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/holdfast.js'), 'serve', s.path], { env: { ...process.env, HOLDFAST_PASSPHRASE: 'wrong' } });
  let err = '';
  child.stderr.on('data', (c) => (err += String(c)));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(code, 1);
  assert.match(err, /^holdfast: BAD_PASSPHRASE: /);
});
