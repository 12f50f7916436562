/**
 * The browser-mode credential stays with the app (security review finding 1): after the app has
 * loaded in Chromium, what the same browser sends to another loopback port carries nothing the
 * server accepts, and a page on another port cannot make the browser fetch from the app.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { builtRenderer, launch, NO_CHROMIUM, serveApp } from './browser.ts';
import type { AppUnderTest } from './browser.ts';

let app: AppUnderTest;
let context: BrowserContext;
let page: Page;
let foreign: http.Server;
const seen: http.IncomingHttpHeaders[] = [];

before(async () => {
  if (NO_CHROMIUM) return;
  app = await serveApp(await builtRenderer());
  ({ context, page } = await launch());
  // Another local service the user visits: it records everything the browser sends it.
  foreign = http.createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>elsewhere</title><p>another local service</p>');
  });
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
});

after(async () => {
  await context?.close();
  await app?.close();
  await new Promise<void>((resolve) => (foreign ? foreign.close(() => resolve()) : resolve()));
});

/** The status the app server gives a request from Node carrying exactly `headers`. */
function status(port: number, host: string, path: string, headers: http.OutgoingHttpHeaders): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, headers: { Host: host, ...headers } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

test('after the app loads, requests to another loopback port carry no credential the server accepts', { skip: NO_CHROMIUM }, async () => {
  await page.goto(app.server.url);
  await page.getByRole('heading', { name: 'Create a case' }).waitFor();
  const appUrl = new URL(page.url());
  assert.equal(appUrl.host, app.server.appHost, 'the app runs on its own random localhost name');
  assert.equal(appUrl.search, '', 'the token left the address');
  const cookies = await context.cookies();
  assert.ok(cookies.some((c) => c.value === app.server.token), 'the app holds its credential as a cookie');
  assert.ok(cookies.every((c) => c.domain === appUrl.hostname), `cookies only for ${appUrl.hostname}: ${JSON.stringify(cookies.map((c) => c.domain))}`);

  const port = (foreign.address() as AddressInfo).port;
  for (const host of ['127.0.0.1', 'localhost']) {
    await page.goto(`http://${host}:${port}/`);
    await page.getByText('another local service').waitFor();
  }
  assert.equal(seen.length >= 2, true);
  for (const headers of seen) {
    assert.ok(!JSON.stringify(headers).includes(app.server.token), `the token reached another port: ${JSON.stringify(headers)}`);
    // Whatever the browser did send, replayed to the app under any of its names, is no credential.
    const replay: http.OutgoingHttpHeaders = {};
    if (headers.cookie) replay.Cookie = headers.cookie;
    if (headers.authorization) replay.Authorization = headers.authorization;
    for (const host of [`127.0.0.1:${app.server.port}`, `localhost:${app.server.port}`, app.server.appHost]) {
      assert.notEqual(await status(app.server.port, host, '/api/cases.current', replay), 200, host);
      assert.equal(await status(app.server.port, host, '/', replay), 401, host);
    }
  }
});

test('a page on another port cannot make the browser fetch from the app, even knowing its name', { skip: NO_CHROMIUM }, async () => {
  const port = (foreign.address() as AddressInfo).port;
  await page.goto(`http://127.0.0.1:${port}/`);
  const target = `http://${app.server.appHost}/attachments/1?download=1`;
  const response = page.waitForResponse((r) => r.url() === target);
  // A link the foreign page makes and follows (as script in that page: this file has no DOM types).
  await page.evaluate(`(() => { const a = document.createElement('a'); a.href = ${JSON.stringify(target)}; document.body.append(a); a.click(); })()`);
  assert.equal((await response).status(), 403, 'refused: the request is not same-origin');
  // The app itself still works for the user who opened it (in a tab of its own: the refused
  // navigation may still be settling in this one).
  const own = await page.context().newPage();
  await own.goto(`http://${app.server.appHost}/`);
  await own.getByRole('heading', { name: 'Create a case' }).waitFor();
  await own.close();
});
