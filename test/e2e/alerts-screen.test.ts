/** The Surveillance screen in Chromium: an import's alert with its context, closed as a false positive with a reason. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { builtRenderer, launch, NO_CHROMIUM, screenshotDir, serveApp } from './browser.ts';
import type { AppUnderTest } from './browser.ts';
import { cliJson, makeCaseFile, PASSPHRASE } from '../helpers/case.ts';
import { writeExport } from '../review/corpus.ts';

let app: AppUnderTest;
let context: BrowserContext;
let page: Page;
const texts = ['morning all', 'can you call me on signal later', 'sure, after the close', 'thanks'];

before(async () => {
  if (NO_CHROMIUM) return;
  app = await serveApp(await builtRenderer());
  const file = path.join(app.dir, 'alerts.hfcase');
  makeCaseFile(file, { name: 'Supervision', examiner: 'Sam Reviewer' });
  cliJson(['policy', file, 'add', '--name', 'Off-channel', '--term', 'call w/3 signal', '--json']);
  const lines = texts.map((text, i) => ({ at: Date.UTC(2024, 2, 4, 9) + i * 60_000, author: i % 2 ? 'Bob Jones' : 'Alice Smith', text }));
  cliJson(['import', file, writeExport(app.dir, 'Desk', lines), '--custodian', 'Alice', '--tz', 'UTC', '--json']);
  await app.ctx.open(file, PASSPHRASE);
  ({ context, page } = await launch());
});

after(async () => {
  await context?.close();
  await app?.close();
});

test('an alert shows its message in context and is closed as a false positive with a reason', { skip: NO_CHROMIUM }, async () => {
  await page.goto(app.server.url);
  await page.getByRole('link', { name: 'Surveillance' }).click();
  const alert = page.getByRole('article').filter({ hasText: 'Off-channel' });
  await alert.getByText(texts[1]!).waitFor();
  assert.deepEqual((await alert.getByRole('listitem').allInnerTexts()).map((t) => t.replace(/^.*?: /, '')), texts.slice(0, 4));
  const policies = page.getByRole('region', { name: 'Policies' });
  assert.deepEqual((await policies.getByRole('row').nth(1).getByRole('cell').allInnerTexts()).slice(0, 4), ['Off-channel', 'call w/3 signal', '1', '1']);
  await page.screenshot({ path: path.join(screenshotDir(), 'alerts-screen.png'), fullPage: true });
  await alert.getByRole('button', { name: 'False positive…' }).click();
  await alert.getByRole('textbox', { name: 'Reason it is a false positive' }).fill('a friend named Signal');
  await alert.getByRole('button', { name: 'Close as false positive' }).click();
  await page.getByText('No alerts here.').waitFor();
  await page.getByRole('combobox', { name: 'Show alerts' }).selectOption('false-positive');
  await page.getByText(/False positive by Sam Reviewer .*: a friend named Signal/).waitFor();
  await policies.getByRole('cell', { name: '0%' }).waitFor();
});
