/**
 * The Gaps screen in Chromium: the span missing from one custodian's copy, linked to its messages, a
 * cluster of deletions tagged from its row (with one message either side: the cluster ends the chat, so one before it), and the report for
 * counsel exported with its SHA-256; a hole in a Telegram export's ids and the part of the matter its
 * custodian's source does not cover open the messages either side.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { builtRenderer, launch, NO_CHROMIUM, screenshotDir, serveApp } from './browser.ts';
import type { AppUnderTest } from './browser.ts';
import { cliJson, makeCaseFile, PASSPHRASE } from '../helpers/case.ts';
import { chatter, writeExport } from '../review/corpus.ts';
import { iterateMessages } from '../../src/case/messages.ts';

let app: AppUnderTest;
let context: BrowserContext;
let page: Page;
const deleted = Date.UTC(2024, 0, 5, 20);
const desk = [
  ...chatter({ start: Date.UTC(2024, 0, 2, 9), count: 30, stepMs: 3_600_000, authors: ['Alice Smith', 'Bob Jones'], seed: 9 }),
  ...[0, 10, 25].map((m) => ({ at: deleted + m * 60_000, author: 'Bob Jones', text: 'This message was deleted' })),
];

before(async () => {
  if (NO_CHROMIUM) return;
  app = await serveApp(await builtRenderer());
  const file = path.join(app.dir, 'gaps.hfcase');
  makeCaseFile(file, { name: 'Gaps matter', examiner: 'Sam Reviewer' });
  for (const [who, lines] of [['Bob', desk], ['Alice', desk.filter((_, i) => i < 10 || i > 14)]] as const) {
    const dir = path.join(app.dir, who);
    fs.mkdirSync(dir);
    cliJson(['import', file, writeExport(dir, 'Desk', lines), '--custodian', who, '--tz', 'UTC', '--json']);
  }
  // Carol's Telegram supergroup export, ids 13–16 missing.
  const tgStart = Date.UTC(2024, 0, 6, 10);
  const messages = Array.from({ length: 20 }, (_, i) => i + 1).filter((id) => id < 13 || id > 16).map((id, i) => {
    const at = tgStart + i * 3_600_000;
    return { id, type: 'message', date: new Date(at).toISOString().slice(0, 19), date_unixtime: String(at / 1000), from: 'Carol', from_id: 'user77', text: `update ${id}` };
  });
  const tg = path.join(app.dir, 'result.json');
  fs.writeFileSync(tg, JSON.stringify({ name: 'Rates desk', type: 'private_supergroup', id: 4242, messages }));
  cliJson(['import', file, tg, '--custodian', 'Carol', '--tz', 'UTC', '--json']);
  await app.ctx.open(file, PASSPHRASE);
  ({ context, page } = await launch());
});

after(async () => {
  await context?.close();
  await app?.close();
});

test('the Gaps screen lists what Alice\'s copy lacks and opens the first missing message', { skip: NO_CHROMIUM }, async () => {
  await page.goto(app.server.url);
  await page.getByRole('link', { name: 'Gaps' }).click();
  const missing = page.getByRole('region', { name: "Missing from a custodian's copy" });
  const row = missing.getByRole('row').filter({ hasText: '5 messages' });
  await row.waitFor();
  assert.deepEqual(await row.getByRole('cell').allInnerTexts().then((c) => c.slice(0, 4)), ['Desk', 'Alice', 'Bob', '5 messages']);
  const cluster = page.getByRole('region', { name: 'Deleted messages' }).getByRole('row').filter({ hasText: '3 messages' });
  assert.deepEqual(await cluster.getByRole('cell').allInnerTexts().then((c) => [c[0], c[1], c[3]]), ['Desk', '3 messages', 'Alice, Bob']);
  await page.getByRole('region', { name: 'Coverage' }).getByText('Alice').first().waitFor();

  await page.getByLabel('Tag for findings').selectOption('Hot');
  await page.getByLabel('Messages around each finding').fill('1');
  await cluster.getByRole('button', { name: 'Tag' }).click();
  await page.getByRole('status').filter({ hasText: 'Tagged 4 messages “Hot”' }).waitFor();
  const hot = [...iterateMessages(app.ctx.session(), {})].filter((m) => m.tags.includes('Hot')).map((m) => m.text);
  assert.deepEqual(hot, [desk[29]!.text, 'This message was deleted', 'This message was deleted', 'This message was deleted']);

  const out = path.join(app.dir, 'findings.pdf');
  const exporting = page.getByRole('region', { name: 'Report for counsel' });
  await exporting.getByLabel('Report file').fill(out);
  await exporting.getByRole('button', { name: 'Export report' }).click();
  const written = exporting.getByRole('status');
  await written.waitFor();
  assert.match(await written.innerText(), new RegExp(`SHA-256 ${crypto.createHash('sha256').update(fs.readFileSync(out)).digest('hex')}`));
  await page.screenshot({ path: path.join(screenshotDir(), 'gaps-screen.png'), fullPage: true });
  await row.getByRole('link', { name: 'Desk' }).click();
  await page.getByText(desk[10]!.text).first().waitFor();
  assert.match(new URL(page.url()).hash, /^#\/conversation\/\d+/);
});

test('a hole in source ids and a part not covered open the messages either side', { skip: NO_CHROMIUM }, async () => {
  await page.goto(app.server.url);
  await page.getByRole('link', { name: 'Gaps' }).click();
  const hole = page.getByRole('region', { name: 'Holes in source ids' }).getByRole('row').filter({ hasText: 'after 12, before 17' });
  await hole.waitFor();
  await hole.getByRole('link', { name: 'id 17' }).click();
  await page.getByText('update 17').first().waitFor();
  const update17 = [...iterateMessages(app.ctx.session(), {})].find((m) => m.text === 'update 17')!;
  assert.match(new URL(page.url()).hash, new RegExp(`^#/conversation/${update17.conversationId}\\b`));

  await page.goBack();
  const carol = page.getByRole('region', { name: 'Coverage' }).getByRole('listitem').filter({ hasText: 'not covered' }).filter({ hasText: 'first message after' });
  await carol.first().getByRole('link', { name: 'first message after' }).click();
  await page.getByText('update 1', { exact: true }).first().waitFor();
});
