/** The Entities screen in Chromium: which entity appears in which conversations, with counts, and a click through to its messages. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { builtRenderer, launch, NO_CHROMIUM, screenshotDir, serveApp } from './browser.ts';
import type { AppUnderTest } from './browser.ts';
import { cliJson, makeCaseFile, PASSPHRASE } from '../helpers/case.ts';
import { chatter, writeExport } from '../review/corpus.ts';
import type { Line } from '../review/corpus.ts';

let app: AppUnderTest;
let context: BrowserContext;
let page: Page;
const H = 3_600_000;
const mention = (lines: Line[], every: number, address: string) => lines.map((l, i) => (i % every === 0 ? { ...l, text: `${l.text} write to ${address}` } : l));
// Desk: desk@example.com in messages 0, 5, 10 (3). Ops: desk@example.com in 0 (1), ops@example.org in 0, 7 (2).
const desk = mention(chatter({ start: Date.UTC(2024, 0, 2, 9), count: 12, stepMs: H, authors: ['Alice Smith', 'Bob Jones'], seed: 2 }), 5, 'desk@example.com');
const ops = mention(chatter({ start: Date.UTC(2024, 0, 3, 9), count: 10, stepMs: H, authors: ['Bob Jones', 'Dan Ops'], seed: 3 }), 7, 'ops@example.org').map((l, i) =>
  i === 0 ? { ...l, text: `${l.text} cc desk@example.com` } : l,
);
const expected = [
  ['email', 'desk@example.com', '4 messages', 'Desk (3), Ops (1)'],
  ['email', 'ops@example.org', '2 messages', 'Ops (2)'],
];

before(async () => {
  if (NO_CHROMIUM) return;
  app = await serveApp(await builtRenderer());
  const file = path.join(app.dir, 'entities.hfcase');
  makeCaseFile(file, { name: 'Entities matter', examiner: 'Sam Reviewer' });
  for (const [chat, lines] of [['Desk', desk], ['Ops', ops]] as const) {
    const dir = path.join(app.dir, chat);
    fs.mkdirSync(dir);
    cliJson(['import', file, writeExport(dir, chat, lines), '--custodian', 'Bob', '--tz', 'UTC', '--json']);
  }
  await app.ctx.open(file, PASSPHRASE);
  ({ context, page } = await launch());
});

after(async () => {
  await context?.close();
  await app?.close();
});

test('the Entities screen lists each entity with its conversations and opens its messages in one of them', { skip: NO_CHROMIUM }, async () => {
  await page.goto(app.server.url);
  await page.getByRole('link', { name: 'Entities', exact: true }).click();
  const found = page.getByRole('region', { name: 'Entities found' });
  await found.getByRole('row').filter({ hasText: 'ops@example.org' }).waitFor();
  const rows = await found.getByRole('row').all();
  const cells = await Promise.all(rows.slice(1).map((r) => r.getByRole('cell').allInnerTexts()));
  assert.deepEqual(cells, expected);
  await page.screenshot({ path: path.join(screenshotDir(), 'entities-screen.png'), fullPage: true });
  await found.getByRole('row').filter({ hasText: 'desk@example.com' }).getByRole('link', { name: 'Ops' }).click();
  await page.getByText(ops[0]!.text).first().waitFor();
  assert.equal(await page.getByText(desk[5]!.text).count(), 0);
});
