/**
 * The audit screen in Chromium: sentences with local times and actors, the raw entry a click away,
 * the chain's head with a copy button, and earlier productions' anchors checked by themselves —
 * including the case where the log was rebuilt behind the application's back.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import Database from 'better-sqlite3-multiple-ciphers';
import { builtRenderer, launch, NO_CHROMIUM, screenshotDir, serveApp } from './browser.ts';
import type { AppUnderTest } from './browser.ts';
import { cliJson, makeCaseFile, PASSPHRASE } from '../helpers/case.ts';
import { chatter, writeExport } from '../review/corpus.ts';
import { auditHash, GENESIS_HASH } from '../../src/case/audit.ts';

let app: AppUnderTest;
let context: BrowserContext;
let page: Page;

before(async () => {
  if (NO_CHROMIUM) return;
  app = await serveApp(await builtRenderer());
  const file = path.join(app.dir, 'audit.hfcase');
  makeCaseFile(file, { name: 'Audit matter', examiner: 'Sam Reviewer' });
  cliJson(['import', file, writeExport(app.dir, 'Desk', chatter({ start: Date.UTC(2024, 0, 2, 9), count: 8, stepMs: 3_600_000, authors: ['Alice Smith', 'Bob Jones'] })), '--custodian', 'Alice', '--tz', 'UTC', '--json']);
  cliJson(['hold', file, 'create', '--name', 'SEC inquiry', '--custodian', 'Alice', '--json']);
  cliJson(['produce', file, '--format', 'xlsx', '--out', path.join(app.dir, 'production-001'), '--json']);
  await app.ctx.open(file, PASSPHRASE);
  ({ context, page } = await launch());
});

after(async () => {
  await context?.close();
  await app?.close();
});

test('sentences, raw JSON a click away, the head with a copy button, earlier productions\' anchors checked', { skip: NO_CHROMIUM }, async () => {
  await page.goto(app.server.url);
  await page.getByRole('link', { name: 'Audit log' }).click();
  await page.getByRole('cell', { name: /^Put legal hold “SEC inquiry” on 8 messages\./ }).waitFor();
  await page.getByRole('cell', { name: /^Imported 8 messages from .*Desk\.txt \(whatsapp-txt, custodian Alice\)\./ }).waitFor();
  const head = page.getByRole('region', { name: 'Audit head' });
  await head.getByText(/^\d+:[0-9a-f]{64}$/).waitFor();
  await head.getByText('The anchors of 1 earlier production hold.').waitFor();
  await head.getByRole('button', { name: 'Copy' }).click();
  await head.getByRole('button', { name: 'Copied' }).waitFor();
  const row = page.getByRole('row').filter({ hasText: 'Put legal hold' });
  await row.getByText('raw entry').click();
  await row.getByText(/"name": "SEC inquiry"/).waitFor();
  await page.screenshot({ path: path.join(screenshotDir(), 'audit-screen.png'), fullPage: true });
});

test('a log rebuilt behind the application is flagged by the earlier production\'s anchor', { skip: NO_CHROMIUM }, async () => {
  const file = app.ctx.session().path;
  await app.ctx.close();
  const db = new Database(file);
  db.pragma(`cipher='sqlcipher'`);
  db.pragma('legacy=4');
  db.key(Buffer.from(PASSPHRASE));
  db.exec('DROP TRIGGER audit_no_update');
  db.prepare("UPDATE audit_log SET actor = 'Someone else' WHERE action = 'hold.create'").run();
  let prev = GENESIS_HASH;
  for (const r of db.prepare('SELECT seq, at, actor, action, details FROM audit_log ORDER BY seq').all() as { seq: number; at: number; actor: string; action: string; details: string }[]) {
    const hash = auditHash(prev, r);
    db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?').run(prev, hash, r.seq);
    prev = hash;
  }
  db.close();
  await app.ctx.open(file, PASSPHRASE);
  await page.reload();
  await page.getByRole('link', { name: 'Audit log' }).click();
  const head = page.getByRole('region', { name: 'Audit head' });
  await head.getByText('1 earlier production recorded a different log: it was rewritten after them.').waitFor();
  assert.ok(await head.getByText(/the chain was rewritten after that anchor was taken/).isVisible());
  await page.screenshot({ path: path.join(screenshotDir(), 'audit-screen-rewritten.png'), fullPage: true });
});

test('in the browser, searches stay out of the address and its history; back and forward still work', { skip: NO_CHROMIUM }, async () => {
  await page.getByRole('link', { name: 'Search' }).click();
  const box = page.getByRole('searchbox', { name: 'Search' });
  await box.fill('falconsecretterm OR meeting');
  await box.press('Enter');
  await page.getByText(/\d+ messages?/).first().waitFor();
  await page.waitForFunction('location.hash.includes("ref=")');
  const url = page.url();
  assert.ok(!url.includes('falconsecretterm') && !url.includes('meeting'), url);
  assert.ok(!url.includes('token'), url);
  await page.getByRole('link', { name: 'Audit log' }).click();
  await page.goBack();
  assert.equal(await box.inputValue(), 'falconsecretterm OR meeting', 'back restores the search from memory');
  const history = (await page.evaluate('JSON.stringify([location.href, document.referrer])')) as string;
  assert.ok(!history.includes('falconsecretterm'), history);
});
