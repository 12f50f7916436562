/**
 * A /regular expression/ over every message in Chromium: the app shows how far the scan is with a
 * progress bar and a cancel button, the exact total when it ends, and stays usable after a cancel.
 * The messages are long (~1.5 KB) and the patterns slow for RE2 (tens of words, then the number), and
 * `\pL` keeps them off the fast path (V8's engine) on RE2's own: the scan lasts seconds on any machine,
 * long enough to be watched and stopped.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { builtRenderer, launch, NO_CHROMIUM, screenshotDir, serveApp } from './browser.ts';
import type { AppUnderTest } from './browser.ts';
import { cliJson, makeCaseFile, PASSPHRASE } from '../helpers/case.ts';
import { rng } from '../helpers/generate.ts';
import { writeExport } from '../review/corpus.ts';
import type { Line } from '../review/corpus.ts';

const WORDS = ['meeting', 'price', 'contract', 'shipment', 'invoice', 'bonus', 'client', 'report', 'settlement', 'call', 'tomorrow', 'deal', 'falcon'];
const COUNT = 30_000;

let app: AppUnderTest;
let context: BrowserContext;
let page: Page;
let lines: Line[];

before(async () => {
  if (NO_CHROMIUM) return;
  app = await serveApp(await builtRenderer());
  const r = rng(23);
  lines = Array.from({ length: COUNT }, (_, i) => ({
    at: Date.UTC(2024, 0, 1) + i * 60_000,
    author: i % 2 ? 'Alice Smith' : 'Bob Jones',
    text: `${Array.from({ length: 180 }, () => WORDS[Math.floor(r() * WORDS.length)]!).join(' ')} #${i}`,
  }));
  const file = path.join(app.dir, 'regex.hfcase');
  makeCaseFile(file, { name: 'Regex matter', examiner: 'Sam Reviewer' });
  cliJson(['import', file, writeExport(app.dir, 'Desk', lines), '--tz', 'UTC', '--json']);
  await app.ctx.open(file, PASSPHRASE);
  ({ context, page } = await launch());
});

after(async () => {
  await context?.close();
  await app?.close();
});


test('a regular expression over every message shows its progress, then the exact total', { skip: NO_CHROMIUM }, async () => {
  await page.goto(app.server.url);
  await page.getByRole('link', { name: 'Search' }).click();
  const box = page.getByRole('searchbox', { name: 'Search' });
  await box.fill('/(?:\\pL+ ){20}#\\d*42$/');
  await box.press('Enter');
  const bar = page.getByRole('progressbar', { name: 'Regular expression search' });
  await bar.waitFor();
  await page.getByRole('button', { name: 'Cancel search' }).waitFor();
  await page.screenshot({ path: path.join(screenshotDir(), 'regex-progress.png') });
  const total = lines.filter((l) => /(?:\w+ ){20}#\d*42$/.test(l.text)).length;
  assert.ok(total > 100);
  await page.locator('.result-meta strong').getByText(total.toLocaleString('en-US'), { exact: true }).waitFor({ timeout: 120_000 });
  assert.equal(await bar.count(), 0, 'the progress bar is gone once the total is in');
  await page.getByRole('grid', { name: 'Search results' }).locator('mark').first().waitFor();
});

test('cancel stops the scan with a clear message; the app keeps working and the next search runs', { skip: NO_CHROMIUM }, async () => {
  const box = page.getByRole('searchbox', { name: 'Search' });
  await box.fill('/(?:\\pL+ ){150}#\\d*43$/');
  await box.press('Enter');
  await page.getByRole('progressbar', { name: 'Regular expression search' }).waitFor();
  await page.getByRole('button', { name: 'Cancel search' }).click();
  await page.getByRole('alert').getByText(new RegExp(`The regular expression /\\(\\?:\\\\pL\\+ \\)\\{150\\}#\\\\d\\*43\\$/ was cancelled after \\d+ of ${COUNT} messages`)).waitFor();
  assert.equal(await page.getByRole('progressbar', { name: 'Regular expression search' }).count(), 0);
  await page.screenshot({ path: path.join(screenshotDir(), 'regex-cancelled.png') });
  await box.fill('falcon /(?:\\pL+ ){20}#\\d*42$/');
  await box.press('Enter');
  // What the first scan read is kept: the narrower query answers from it.
  const both = lines.filter((l) => /\bfalcon\b/.test(l.text) && /(?:\w+ ){20}#\d*42$/.test(l.text)).length;
  assert.ok(both > 0);
  await page.locator('.result-meta strong').getByText(both.toLocaleString('en-US'), { exact: true }).waitFor();
});
