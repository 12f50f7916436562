/**
 * What a search lights up comes from the core: in the results table and in the conversation view the marks sit
 * on the characters written, also where folding changes the length (ß, a ligature, a skin tone, İ), on a lone CJK
 * character inside its run, and never on a negated proximity operand.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { builtRenderer, launch, NO_CHROMIUM, screenshotDir, serveApp } from './browser.ts';
import type { AppUnderTest } from './browser.ts';
import { cliJson, makeCaseFile, PASSPHRASE } from '../helpers/case.ts';
import { writeExport } from '../review/corpus.ts';

const TEXTS = [
  'Die Straße ist gesperrt, sagt der Bote',
  'the ﬁnance team met at noon',
  'great 👍🏽 job, thanks',
  '見積もりを確認してください',
  'İstanbul office, not the Ankara desk',
  'nothing to see here',
];
const QUERY = 'strasse OR finance OR 👍 OR 確 OR (istanbul not w/1 ankara)';
/** What lights up in each text, as written. */
const LIT = [['Straße'], ['ﬁnance'], ['👍🏽'], ['確'], ['İstanbul'], []];

let app: AppUnderTest;
let context: BrowserContext;
let page: Page;
let errors: string[];

before(async () => {
  if (NO_CHROMIUM) return;
  app = await serveApp(await builtRenderer());
  const file = path.join(app.dir, 'highlights.hfcase');
  makeCaseFile(file, { name: 'Highlights', examiner: 'Sam Reviewer' });
  const lines = TEXTS.map((text, i) => ({ at: Date.UTC(2024, 2, 15, 9, i), author: i % 2 ? 'Alice Smith' : 'Bob Jones', text }));
  cliJson(['import', file, writeExport(app.dir, 'Desk', lines), '--tz', 'UTC', '--json']);
  await app.ctx.open(file, PASSPHRASE);
  ({ context, page, errors } = await launch());
  await page.goto(app.server.url);
});

after(async () => {
  await context?.close();
  await app?.close();
});

test('the results table marks what the core found, on the characters written', { skip: NO_CHROMIUM }, async () => {
  await page.evaluate(`location.hash = ${JSON.stringify(`#/search?q=${encodeURIComponent(QUERY)}&sort=time-asc`)}`);
  const grid = page.getByRole('grid', { name: 'Search results' });
  await grid.locator('.grid-row.current').waitFor();
  await grid.locator('mark', { hasText: 'İstanbul' }).waitFor();
  const rows = grid.locator('[role=row]:has(mark)');
  assert.equal(await rows.count(), 5);
  const marks: string[][] = [];
  for (let i = 0; i < 5; i++) marks.push(await rows.nth(i).locator('mark').allTextContents());
  assert.deepEqual(marks, LIT.slice(0, 5));
  await page.screenshot({ path: path.join(screenshotDir(), 'highlights-results.png') });
});

test('the conversation view paints the ranges the core gives for each hit', { skip: NO_CHROMIUM }, async () => {
  const grid = page.getByRole('grid', { name: 'Search results' });
  await grid.focus();
  await page.keyboard.press('Enter');
  const list = page.getByRole('listbox', { name: 'Messages' });
  await list.locator('.bubble.current mark', { hasText: 'Straße' }).waitFor();
  await list.locator('mark', { hasText: 'İstanbul' }).waitFor();
  const marks: string[][] = [];
  for (const text of TEXTS) marks.push(await list.locator('.msg-row', { hasText: text.slice(-8) }).locator('.text mark').allTextContents());
  assert.deepEqual(marks, LIT);
  assert.equal(await list.locator('.bubble.hit').count(), 5);
  await page.screenshot({ path: path.join(screenshotDir(), 'highlights-conversation.png') });
  // Another query typed in the view: the marks follow it.
  await page.getByLabel('Find in this conversation').fill('ankara OR gesperrt');
  await page.getByLabel('Find in this conversation').press('Enter');
  await list.locator('mark', { hasText: 'Ankara' }).waitFor();
  assert.deepEqual(await list.locator('.text mark').allTextContents(), ['gesperrt', 'Ankara']);
  assert.deepEqual(errors, []);
});
