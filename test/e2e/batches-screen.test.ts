/** The Batches screen in Chromium: a set cut, a batch checked out, its units reviewed by key, checked in, sampled for QC and one unit overturned. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { builtRenderer, launch, NO_CHROMIUM, screenshotDir, serveApp } from './browser.ts';
import type { AppUnderTest } from './browser.ts';
import { cliJson, makeCaseFile, PASSPHRASE } from '../helpers/case.ts';
import { chatter, writeExport } from '../review/corpus.ts';
import { listAudit } from '../../src/case/audit.ts';
import { dataOf } from '../../src/case/data/index.ts';
import { actingAs } from '../../src/case/actor.ts';
import { openSession } from '../../src/app/open-session.ts';
import { readOfflineFile, writeOfflineFile } from '../../src/app/offline-file.ts';
import { getBatch, listBatchSets } from '../../src/review/batches/progress.ts';
import { checkInOffline } from '../../src/review/batches/offline/checkin.ts';
import { checkOutOffline } from '../../src/review/batches/offline/checkout.ts';
import { tagMessages } from '../../src/review/tags.ts';

let app: AppUnderTest;
let context: BrowserContext;
let page: Page;
let errors: string[];
const DAYS = 4;

before(async () => {
  if (NO_CHROMIUM) return;
  app = await serveApp(await builtRenderer());
  const file = path.join(app.dir, 'batches.hfcase');
  makeCaseFile(file, { name: 'Batches', examiner: 'Sam Reviewer' });
  const lines = Array.from({ length: DAYS }, (_, d) => chatter({ start: Date.UTC(2024, 2, 4 + d, 9), count: 3, stepMs: 30 * 60_000, authors: ['Alice Smith', 'Bob Jones'], seed: d + 1 })).flat();
  cliJson(['import', file, writeExport(app.dir, 'Desk', lines), '--custodian', 'Alice', '--tz', 'UTC', '--json']);
  await app.ctx.open(file, PASSPHRASE);
  ({ context, page, errors } = await launch());
});

after(async () => {
  await context?.close();
  await app?.close();
});

test('cut, check out, review by key, check in, sample for QC and overturn', { skip: NO_CHROMIUM }, async () => {
  await page.goto(app.server.url);
  await page.getByRole('link', { name: 'Batches' }).click();
  await page.getByRole('textbox', { name: 'Batch set name' }).fill('First pass');
  await page.getByRole('spinbutton', { name: 'Units a batch' }).fill('2');
  await page.getByRole('button', { name: 'Cut into batches' }).click();
  const set = page.getByRole('region', { name: 'Batch set First pass' });
  await set.getByRole('row', { name: 'Batch 2' }).waitFor();
  assert.equal(await set.getByRole('progressbar', { name: 'First pass units reviewed' }).getAttribute('aria-valuenow'), '0');

  await set.getByRole('row', { name: 'Batch 1' }).getByRole('button', { name: 'Check out' }).click();
  const units = page.getByRole('region', { name: 'Units' });
  await units.getByRole('row', { name: /^Unit \d/ }).nth(1).waitFor();
  assert.equal(await units.getByRole('row', { name: /^Unit \d/ }).count(), 2);
  await page.getByText('Checked out by Sam Reviewer').waitFor();
  await page.keyboard.press('r');
  await units.getByRole('row', { name: /^Unit \d/ }).nth(0).getByText('Reviewed', { exact: true }).waitFor();
  await page.keyboard.press('j');
  await page.keyboard.press('r');
  await units.getByRole('row', { name: /^Unit \d/ }).nth(1).getByText('Reviewed', { exact: true }).waitFor();
  await page.screenshot({ path: path.join(screenshotDir(), 'batch-view.png'), fullPage: true });
  await page.getByRole('button', { name: 'Check in', exact: true }).click();

  const batch1 = set.getByRole('row', { name: 'Batch 1' });
  await batch1.getByText('Checked in').waitFor();
  assert.equal(await batch1.getByRole('progressbar').getAttribute('aria-valuenow'), '100');
  assert.equal(await set.getByRole('progressbar', { name: 'First pass units reviewed' }).getAttribute('aria-valuenow'), '50');

  const qc = set.getByRole('region', { name: 'QC queue' });
  await qc.getByRole('spinbutton', { name: 'QC sample percent' }).fill('50');
  await qc.getByRole('textbox', { name: 'QC seed' }).fill('e2e-seed');
  await qc.getByRole('button', { name: 'Sample for QC' }).click();
  const sample = qc.getByRole('listitem');
  await sample.waitFor();
  assert.equal(await sample.count(), 1, '50% of 2 reviewed units');
  await sample.getByRole('button', { name: 'Overturn…' }).click();
  await sample.getByRole('combobox').selectOption('Non-responsive');
  await sample.getByRole('textbox').fill('small talk');
  await sample.getByRole('button', { name: 'Overturn', exact: true }).click();
  await sample.getByText('Overturned by Sam Reviewer').waitFor();
  const reviewers = set.getByRole('table', { name: 'Reviewers of First pass' });
  await reviewers.getByRole('cell', { name: '100%' }).waitFor();
  await page.screenshot({ path: path.join(screenshotDir(), 'batches-screen.png'), fullPage: true });

  const data = dataOf(app.ctx.session());
  const actions = listAudit(data).map((e) => e.action).filter((a) => a.startsWith('batch.') || a.startsWith('qc.'));
  assert.deepEqual(actions, ['batch.create', 'batch.checkout', 'batch.checkin', 'qc.sample', 'qc.overturn']);
  const overturn = listAudit(data, { action: 'qc.overturn' })[0]!.details as { after: { tags: Record<string, number[]> }; reason: string };
  assert.deepEqual(Object.keys(overturn.after.tags), ['Non-responsive']);
  assert.equal(overturn.reason, 'small talk');
  assert.deepEqual(errors, []);
});

test('an offline check-in that met the matter\'s coding lists the conflict under its set', { skip: NO_CHROMIUM }, async () => {
  const session = app.ctx.session();
  const set = listBatchSets(session).find((s) => s.name === 'First pass')!;
  const batchId = set.batches[1]!.batchId;
  const ids = getBatch(session, { batchId }).unitList.flatMap((u) => u.messageIds);
  const file = path.join(app.dir, 'batch-2.hfcase');
  writeOfflineFile(file, PASSPHRASE, checkOutOffline(session, { batchId }));
  actingAs('Pat Manager', () => tagMessages(session, { tag: 'Non-responsive', messageIds: [ids[0]!] }));
  await new Promise((r) => setTimeout(r, 20));
  const offline = openSession(file, PASSPHRASE);
  try {
    tagMessages(offline, { tag: 'Responsive', messageIds: ids });
  } finally {
    offline.close();
  }
  assert.equal(checkInOffline(session, readOfflineFile(file, PASSPHRASE)).conflicts, 1);

  await page.goto(app.server.url);
  await page.getByRole('link', { name: 'Batches' }).click();
  const region = page.getByRole('region', { name: 'Batch set First pass' }).getByRole('region', { name: 'Offline conflicts' });
  const row = region.getByRole('row').nth(1);
  await row.waitFor();
  assert.equal(await region.getByRole('row').count(), 2, 'a header and the one conflict');
  const cells = await row.getByRole('cell').allTextContents();
  assert.deepEqual([cells[0], cells[1], cells[2], cells[5]], [String(ids[0]), 'Responsiveness', '(none)', 'Offline']);
  assert.match(cells[3]!, /^Responsive \(Sam Reviewer, /);
  assert.match(cells[4]!, /^Non-responsive \(Pat Manager, /);
  await page.screenshot({ path: path.join(screenshotDir(), 'batches-conflicts.png'), fullPage: true });
  assert.deepEqual(errors, []);
});
