/**
 * Text recognition started from the app (the Sources screen), by keyboard: the case's languages
 * ticked (its messages are German, so German then English), the job's progress, its result, and
 * the recognised text beside the image in the conversation, marked as not written by the sender;
 * a second run, reading again in English alone, cancelled from the same card.
 */
import { test, before, after } from 'node:test';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { builtRenderer, launch, NO_CHROMIUM, screenshotDir, serveApp } from './browser.ts';
import type { AppUnderTest } from './browser.ts';
import { cliJson, makeCaseFile, PASSPHRASE } from '../helpers/case.ts';
import { textPng } from '../helpers/text-image.ts';
import { writeExportZip } from '../review/corpus.ts';

let app: AppUnderTest;
let context: BrowserContext;
let page: Page;
let errors: string[];

before(async () => {
  if (NO_CHROMIUM) return;
  app = await serveApp(await builtRenderer());
  const file = path.join(app.dir, 'ocr.hfcase');
  makeCaseFile(file, { name: 'Scans', examiner: 'Sam Reviewer' });
  const at = Date.UTC(2024, 1, 2, 9);
  const zip = await writeExportZip(app.dir, 'Büro', [
    { at, author: 'Anna Keller', text: 'Hier ist die Rechnung, bitte schnell bezahlen.', media: { name: 'rechnung.png', data: await textPng(['Grüße aus München', 'Überweisung für Bäcker']) } },
    { at: at + 60_000, author: 'Jonas Weber', text: 'Ich habe die Überweisung heute Morgen gemacht.', media: { name: 'beleg.png', data: await textPng(['Beleg 4471 bezahlt']) } },
  ]);
  cliJson(['import', file, zip, '--custodian', 'Anna', '--tz', 'UTC', '--json']);
  await app.ctx.open(file, PASSPHRASE);
  ({ context, page, errors } = await launch());
});

after(async () => {
  await context?.close();
  await app?.close();
});

test('OCR runs from the Sources screen with the case\'s languages, shows progress, and its text sits beside the image, marked derived', { skip: NO_CHROMIUM }, async () => {
  await page.goto(app.server.url);
  await page.getByRole('link', { name: 'Sources' }).click();
  const card = page.getByRole('region', { name: 'Text in images' });
  await card.getByText('2 images not read yet').waitFor();
  for (const name of ['German', 'English']) if (!(await card.getByRole('checkbox', { name: new RegExp(`^${name}`) }).isChecked())) throw new Error(`${name} is not ticked`);
  if (await card.getByRole('checkbox', { name: /^French/ }).isChecked()) throw new Error('French is ticked');
  await card.getByText('(deu+eng; the first is the main one)').waitFor();

  // By keyboard: from the last language box, Tab reaches the redo box, then the start button.
  await card.getByRole('checkbox', { name: /^Spanish/ }).focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await card.getByRole('progressbar', { name: 'Text recognition progress' }).waitFor();
  await page.screenshot({ path: path.join(screenshotDir(), 'ocr-running.png'), fullPage: true });
  await card.getByRole('status').filter({ hasText: 'Recognised text in 2 of 2 images (deu+eng).' }).waitFor({ timeout: 180_000 });
  await card.getByText('0 images not read yet').waitFor();
  await page.screenshot({ path: path.join(screenshotDir(), 'ocr-done.png'), fullPage: true });

  await page.getByRole('link', { name: 'Conversations' }).click();
  await page.getByRole('link', { name: 'Büro' }).click();
  await page.getByRole('img', { name: 'rechnung.png' }).waitFor();
  await page.getByText(/^Grüße aus München\s+Überweisung für Bäcker$/).waitFor();
  await page.getByText(/^Beleg 4471 bezahlt$/).waitFor();
  const label = page.getByText(/Text recognised by OCR \(tesseract\.js \d+\.\d+\.\d+, deu\+eng, \d+% confidence\) — not written by the sender/).first();
  await label.waitFor();
  await page.screenshot({ path: path.join(screenshotDir(), 'ocr-beside-image.png'), fullPage: true });
  // The summary is reachable by keyboard and folds the text away.
  await label.focus();
  await page.keyboard.press('Enter');
  await page.getByText(/^Grüße aus München/).waitFor({ state: 'hidden' });
});

test('a run reading again in English alone is cancelled from the card; the German text stays', { skip: NO_CHROMIUM }, async () => {
  await page.getByRole('link', { name: 'Sources' }).click();
  const card = page.getByRole('region', { name: 'Text in images' });
  await card.getByRole('checkbox', { name: /^German/ }).uncheck();
  await card.getByText('(eng; the first is the main one)').waitFor();
  await card.getByRole('checkbox', { name: 'Also read again images read with other languages' }).check();
  await card.getByRole('button', { name: 'Recognise text in images' }).click();
  await card.getByRole('progressbar', { name: 'Text recognition progress' }).waitFor();
  await card.getByRole('button', { name: 'Cancel', exact: true }).click();
  await card.getByRole('status').filter({ hasText: 'Cancelled: the text recognised before is kept.' }).waitFor({ timeout: 120_000 });
  await page.getByRole('link', { name: 'Conversations' }).click();
  await page.getByRole('link', { name: 'Büro' }).click();
  await page.getByText(/deu\+eng, \d+% confidence/).first().waitFor();
  if (errors.length) throw new Error(errors.join('\n'));
});
