/** Text recognised in an image is shown beside it in the conversation, marked derived with how it was made. */
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

before(async () => {
  if (NO_CHROMIUM) return;
  app = await serveApp(await builtRenderer());
  const file = path.join(app.dir, 'ocr.hfcase');
  makeCaseFile(file, { name: 'Scans', examiner: 'Sam Reviewer' });
  const png = await textPng(['Invoice 4471 paid in cash']);
  const zip = await writeExportZip(app.dir, 'Desk', [{ at: Date.UTC(2024, 1, 2, 9), author: 'Alice Smith', text: 'here', media: { name: 'scan.png', data: png } }]);
  cliJson(['import', file, zip, '--custodian', 'Alice', '--tz', 'UTC', '--json']);
  cliJson(['ocr', file, '--json']);
  await app.ctx.open(file, PASSPHRASE);
  ({ context, page } = await launch());
});

after(async () => {
  await context?.close();
  await app?.close();
});

test('the recognised text sits beside the image, marked derived', { skip: NO_CHROMIUM }, async () => {
  await page.goto(app.server.url);
  await page.getByRole('link', { name: 'Conversations' }).click();
  await page.getByRole('link', { name: 'Desk' }).click();
  await page.getByRole('img', { name: 'scan.png' }).waitFor();
  await page.getByText(/Invoice 4471 paid in cash/).waitFor();
  await page.getByText(/Text recognised by OCR \(tesseract\.js \d+\.\d+\.\d+, eng, \d+% confidence\) — not written by the sender/).waitFor();
  await page.screenshot({ path: path.join(screenshotDir(), 'image-text.png'), fullPage: true });
});
