/**
 * The app on a matter server, in Chromium: a throwaway PostgreSQL cluster, a case file server-imported
 * into the matter "falcon", accounts made through the engine, and `holdfast server` over HTTPS with a
 * self-signed certificate.
 * (a) The app in browser mode (the loopback server's app context) connects from the open screen with
 *     the certificate as CA file: a wrong password is UNAUTHENTICATED on the form, then it searches,
 *     tags as the reviewer (audited on the matter as the reviewer), shows who else is working as a
 *     second account comes and goes, and disconnects.
 * (b) A browser straight at the matter server: the sign-in page, an HttpOnly session cookie the page
 *     cannot read, calls working, a WebSocket from another origin refused, signing out ending it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { createClient } from '../../src/api/client.ts';
import { Accounts } from '../../src/server/auth/accounts.ts';
import { importCaseFile } from '../../src/server/matter/case-import.ts';
import { connectMatter, postJson } from '../../src/server/matter/client.ts';
import type { MatterConnection } from '../../src/server/matter/client.ts';
import { startMatterServer } from '../../src/server/matter/server.ts';
import type { RunningMatterServer } from '../../src/server/matter/server.ts';
import { startPostgres } from '../helpers/postgres.ts';
import type { Postgres } from '../helpers/postgres.ts';
import { selfSignedCertificate } from '../helpers/tls.ts';
import type { SelfSigned } from '../helpers/tls.ts';
import { NO_CHROMIUM, builtRenderer, importInApp, launch, openSearch, screenshotDir, serveApp } from './browser.ts';
import type { AppUnderTest } from './browser.ts';
import { writeWhatsAppZip } from './fixture.ts';

const PASSWORD = 'correct horse battery';
const PASSPHRASE = 'a matter connect passphrase';
let pg: Postgres;
let tls: SelfSigned;
let accounts: Accounts;
let server: RunningMatterServer;
let app: AppUnderTest;
let context: BrowserContext;
let page: Page;
let errors: string[];
const shots = screenshotDir();

async function shot(p: Page, name: string): Promise<void> {
  await p.waitForTimeout(150);
  await p.screenshot({ path: path.join(shots, `${name}.png`) });
}

const address = () => ({ origin: server.url, matter: 'falcon' });
const connect = (user: string, password = PASSWORD): Promise<MatterConnection> => connectMatter(address(), { user, password, ca: tls.cert });

before(async () => {
  if (NO_CHROMIUM) return;
  pg = await startPostgres();
  const url = pg.createDatabase('holdfast');
  tls = selfSignedCertificate();
  const renderer = await builtRenderer();
  app = await serveApp(renderer);
  // The standard WhatsApp case, made in the app and copied into the matter as server-import does.
  const file = path.join(app.dir, 'falcon.hfcase');
  await app.ctx.create(file, PASSPHRASE, { name: 'Falcon', displayTz: 'Europe/London' });
  await importInApp(app, { source: await writeWhatsAppZip(app.dir), tz: 'Europe/London', custodian: 'Alex Morgan' });
  await app.ctx.close();
  importCaseFile({ file, passphrase: PASSPHRASE, databaseUrl: url, matter: 'falcon', actor: 'tester' });
  accounts = await Accounts.open(url);
  await accounts.add('tester', { name: 'rita', role: 'reviewer', password: PASSWORD });
  await accounts.add('tester', { name: 'pat', role: 'project-manager', password: PASSWORD });
  await accounts.add('tester', { name: 'otto', role: 'read-only', password: PASSWORD });
  server = await startMatterServer({ accounts, databaseUrl: url, host: '127.0.0.1', port: 0, tls: { cert: tls.cert, key: tls.key }, rendererDir: renderer });
  ({ context, page, errors } = await launch());
});

after(async () => {
  await context?.close();
  await app?.close();
  await server?.close();
  await accounts?.close();
  tls?.remove();
  pg?.stop();
});

test('the app connects to the matter from the open screen, tags as its account, shows who else is working, and disconnects', { skip: NO_CHROMIUM }, async () => {
  await page.goto(app.server.url);
  const card = page.getByRole('region', { name: 'Connect to a matter server' });
  await card.getByLabel('Server address').fill(`holdfasts://127.0.0.1:${server.port}/falcon`);
  await card.getByLabel('Account').fill('rita');
  await card.getByLabel('Password').fill('not the password at all');
  await card.getByLabel('CA certificate (optional)').fill(tls.certFile);
  await card.getByRole('button', { name: 'Connect' }).click();
  await card.getByRole('alert').getByText('UNAUTHENTICATED').waitFor();
  assert.equal(await card.getByLabel('Password').inputValue(), '', 'the password is not kept after a try');
  await shot(page, '22-connect-10-wrong-password');

  // A server whose certificate is not trusted is named with its host.
  await card.getByLabel('CA certificate (optional)').fill('');
  await card.getByLabel('Password').fill(PASSWORD);
  await card.getByRole('button', { name: 'Connect' }).click();
  await card.getByRole('alert').getByText(`https://127.0.0.1:${server.port} is not trusted`).waitFor();

  await card.getByLabel('CA certificate (optional)').fill(tls.certFile);
  await card.getByLabel('Password').fill(PASSWORD);
  await shot(page, '22-connect-20-form');
  await card.getByRole('button', { name: 'Connect' }).click();
  await page.getByRole('searchbox', { name: 'Search' }).waitFor();
  const who = page.getByTestId('who-is-working');
  await who.getByText('rita').waitFor();
  await who.getByText('· reviewer').waitFor();
  await who.getByText('nobody else here').waitFor();
  // A reviewer does not manage the coding layout or import.
  const nav = page.getByRole('navigation', { name: 'Sections' });
  await nav.getByRole('link', { name: /Search/ }).waitFor();
  assert.equal(await nav.getByRole('link', { name: /Coding layout/ }).count(), 0);
  assert.equal(await nav.getByRole('link', { name: /Import/ }).count(), 0);

  // Search and tag the first result with its shortcut: on the matter, as rita.
  await openSearch(page, 'shipment');
  const grid = page.getByRole('grid', { name: 'Search results' });
  assert.ok((await grid.locator('.grid-row').count()) >= 3);
  await grid.focus();
  await page.keyboard.press('1');
  await page.getByTestId('coding-status').getByText('Tagged 1 message as Responsive').waitFor();
  const manager = await connect('pat');
  const asManager = createClient(manager.transport);
  assert.equal((await asManager.call('search.query', { query: 'tag:Responsive' })).total, 1);
  const entry = (await asManager.call('audit.list', {})).items.find((e) => e.action === 'tag.apply');
  assert.equal(entry?.actor, 'rita');

  // pat is now connected: the top bar shows it (presence event), and its tag shows in rita's lists.
  await who.getByRole('list', { name: 'Also working on this matter' }).getByText('pat').waitFor();
  await who.getByText('project-manager').waitFor();
  await shot(page, '22-connect-30-presence');
  const second = (await asManager.call('search.query', { query: 'shipment', sort: 'time-asc' })).hits[1]!;
  await asManager.call('tags.apply', { tag: (await asManager.call('tags.list', {})).find((t) => t.name === 'Responsive')!.id, target: { messageIds: [second.messageId] } });
  await openSearch(page, 'tag:Responsive');
  await grid.locator('.grid-row').nth(1).waitFor();
  // The photo streams from the matter through the app's own attachment URL, with its hash intact.
  const pallet = (await asManager.call('search.query', { query: 'pallet' })).hits[0]!;
  const photo = (await asManager.call('messages.get', { ids: [pallet.messageId] }))[0]!.attachments[0]!;
  const fetched = await page.evaluate(async (url) => {
    const r = await fetch(url);
    const bytes = new Uint8Array(await r.arrayBuffer());
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    return { status: r.status, type: r.headers.get('content-type'), sha256: [...digest].map((b) => b.toString(16).padStart(2, '0')).join('') };
  }, `attachments/${photo.id}`);
  assert.deepEqual(fetched, { status: 200, type: 'image/jpeg', sha256: photo.sha256 });
  await manager.close();
  await who.getByText('nobody else here').waitFor();

  await who.getByRole('button', { name: 'Disconnect' }).click();
  await page.getByRole('region', { name: 'Connect to a matter server' }).waitFor();
  const recent = page.getByRole('list', { name: 'Recent matter servers' });
  await recent.getByText('falcon', { exact: true }).waitFor();
  await recent.getByText(`holdfasts://127.0.0.1:${server.port}`, { exact: true }).waitFor();
  await recent.getByText(/^as rita/).waitFor();
  await shot(page, '22-connect-60-recent');
  assert.equal(app.ctx.remote, null);
  assert.deepEqual(errors.filter((e) => !e.startsWith('HTTP')), []);
});

test('a read-only account sees the matter but no coding; a refused call is shown as FORBIDDEN', { skip: NO_CHROMIUM }, async () => {
  await app.ctx.connect({ url: `https://127.0.0.1:${server.port}/matters/falcon`, user: 'otto', password: PASSWORD, caFile: tls.certFile });
  await page.getByRole('searchbox', { name: 'Search' }).waitFor();
  await openSearch(page, 'shipment');
  const coding = page.getByRole('region', { name: 'Coding' });
  await coding.getByText('Your role may view the coding here, not change it.').waitFor();
  assert.equal(await coding.getByRole('button', { name: 'Responsive', exact: true }).isDisabled(), true);
  // What needs code, manage or produce is not offered; reading and the CSV of the results are.
  await page.getByRole('button', { name: 'Export CSV' }).waitFor();
  for (const name of ['Save this search…', 'Export XLSX', 'Add note']) assert.equal(await page.getByRole('button', { name }).count(), 0, name);
  assert.equal(await coding.getByText(/^Code all/).count(), 0);
  await shot(page, '22-connect-35-read-only');
  // Around the UI, the server still refuses.
  const refused = await page.evaluate(async () => {
    const r = await fetch('/api/tags.create', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'Sneaky' }) });
    return ((await r.json()) as { error: { code: string } }).error.code;
  });
  assert.equal(refused, 'FORBIDDEN');
  await app.ctx.disconnect();
  await page.getByRole('region', { name: 'Connect to a matter server' }).waitFor();
});

test('a browser signs in to the matter server itself with an HttpOnly cookie; another origin cannot open its WebSocket; signing out ends it', { skip: NO_CHROMIUM }, async () => {
  const browser = await launch({ trustCertificates: true });
  const other = http.createServer((_req, res) => res.end('<!doctype html><title>another site</title>'));
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  try {
    const p = browser.page;
    await p.goto(`${server.url}/matters/falcon/`);
    await p.waitForURL(`${server.url}/signin?matter=falcon`);
    const form = p.getByRole('region', { name: 'Sign in' });
    assert.equal(await form.getByLabel('Matter').inputValue(), 'falcon');
    await form.getByLabel('Account').fill('rita');
    await form.getByLabel('Password').fill('wrong wrong wrong');
    await form.getByRole('button', { name: 'Sign in' }).click();
    await form.getByRole('alert').getByText('UNAUTHENTICATED').waitFor();
    assert.deepEqual(await browser.context.cookies(server.url), []);
    await form.getByLabel('Password').fill(PASSWORD);
    await shot(p, '22-connect-40-sign-in');
    await form.getByRole('button', { name: 'Sign in' }).click();
    await p.waitForURL(`${server.url}/matters/falcon/`);
    await p.getByRole('searchbox', { name: 'Search' }).waitFor();

    const [cookie] = await browser.context.cookies(server.url);
    assert.equal(cookie?.name, '__Host-holdfast_session');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.secure, true);
    assert.equal(cookie.sameSite, 'Strict');
    assert.equal(await p.evaluate('document.cookie'), '', 'the page script cannot read the session');
    assert.match(String((await p.request.get(`${server.url}/matters/falcon/`)).headers()['content-security-policy']), /script-src 'self'/);

    // Calls work: a search over the WebSocket, an attachment over HTTPS with the cookie.
    await openSearch(p, 'shipment');
    await p.getByTestId('who-is-working').getByText('rita').waitFor();
    const sameOrigin = await p.evaluate(async (ws) => new Promise<string>((resolve) => {
      const s = new WebSocket(ws);
      s.onopen = () => (s.close(), resolve('open'));
      s.onerror = () => resolve('refused');
    }), `${server.url.replace('https', 'wss')}/matters/falcon/ws`);
    assert.equal(sameOrigin, 'open');

    // Another origin on the same host (another port: same site, so the cookie would go along).
    const q = await browser.context.newPage();
    await q.goto(`http://127.0.0.1:${(other.address() as { port: number }).port}/`);
    const crossOrigin = await q.evaluate(async (ws) => new Promise<string>((resolve) => {
      const s = new WebSocket(ws);
      s.onopen = () => resolve('open');
      s.onerror = () => resolve('refused');
    }), `${server.url.replace('https', 'wss')}/matters/falcon/ws`);
    assert.equal(crossOrigin, 'refused');
    await q.close();

    await shot(p, '22-connect-50-browser-on-matter');
    const token = cookie.value;
    assert.equal((await postJson(server.url, '/matters/falcon/api/cases.info', {}, { ca: tls.cert, token })).status, 200);
    await p.getByTestId('who-is-working').getByRole('button', { name: 'Sign out' }).click();
    await p.waitForURL(`${server.url}/signin?matter=falcon`);
    assert.deepEqual(await browser.context.cookies(server.url), []);
    assert.equal((await postJson(server.url, '/matters/falcon/api/cases.info', {}, { ca: tls.cert, token })).status, 401, 'the session ended on the server');
    await p.goto(`${server.url}/matters/falcon/`);
    await p.waitForURL(`${server.url}/signin?matter=falcon`);
    assert.deepEqual(browser.errors.filter((e) => !e.startsWith('HTTP 401')), []);
  } finally {
    other.close();
    await browser.context.close();
  }
});
