/**
 * The whole app in Debian's Chromium over the loopback transport against a real encrypted case:
 * create, import a WhatsApp export, search, open a hit in its conversation, tag it, put a hold,
 * see the dashboard and the audit log — with a screenshot of each screen.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { builtRenderer, launch, NO_CHROMIUM, screenshotDir, serveApp } from './browser.ts';
import type { AppUnderTest } from './browser.ts';
import { chatText, CONTACT, CUSTODIAN, PHOTO, writeWhatsAppZip } from './fixture.ts';
import { searchMessages } from '../../src/search/search.ts';

let app: AppUnderTest;
let context: BrowserContext;
let page: Page;
let errors: string[];
let source: string;
const shots = screenshotDir();
const casePath = () => path.join(app.dir, 'falcon.hfcase');

async function shot(name: string): Promise<void> {
  await page.waitForTimeout(150);
  await page.screenshot({ path: path.join(shots, `${name}.png`) });
}

/** Independent count: lines of the export mentioning the word (case-insensitive). */
function linesWith(word: string): number {
  return chatText(400).split('\n').filter((l) => new RegExp(`\\b${word}\\b`, 'i').test(l.replace(/^[^-]+- [^:]+: /, ''))).length;
}

before(async () => {
  if (NO_CHROMIUM) return;
  app = await serveApp(await builtRenderer());
  source = await writeWhatsAppZip(app.dir);
  ({ context, page, errors } = await launch());
});

after(async () => {
  await context?.close();
  await app?.close();
});

test('create a case from the open/create screen', { skip: NO_CHROMIUM }, async () => {
  await page.goto(app.server.url);
  await page.getByRole('heading', { name: 'Create a case' }).waitFor();
  await shot('01-cases');
  const create = page.getByRole('region', { name: 'Create a case' });
  await create.getByLabel('New case file').fill(casePath());
  await create.getByLabel('Matter').fill('Falcon investigation');
  await create.getByLabel('Examiner').fill('Sam Reviewer');
  await create.getByLabel('Display time zone').fill('Europe/London');
  await create.getByLabel('Passphrase', { exact: true }).fill('falcon passphrase 2024');
  await create.getByLabel('Repeat passphrase').fill('falcon passphrase 2024');
  await create.getByRole('button', { name: 'Create case' }).click();
  await page.getByRole('searchbox', { name: 'Search' }).waitFor();
  assert.ok(fs.existsSync(casePath()));
  assert.notEqual(fs.readFileSync(casePath()).subarray(0, 15).toString('latin1'), 'SQLite format 3');
  assert.equal(app.ctx.state().matter, 'Falcon investigation');
});

test('import the WhatsApp export through the wizard', { skip: NO_CHROMIUM }, async () => {
  await page.getByRole('link', { name: 'Import' }).click();
  await page.getByLabel('Source').fill(source);
  await page.getByRole('button', { name: 'Next' }).click();
  const detected = page.getByRole('region', { name: 'Detected source' });
  await detected.getByText('WhatsApp', { exact: false }).first().waitFor();
  // Before importing: the zone zone-less times will be read in, and why (the case's matter zone unless one is named).
  await detected.getByText(/the case's matter time zone/).waitFor();
  await page.getByLabel('Custodian').fill(CUSTODIAN);
  await page.getByLabel('Time zone of the source').fill('Europe/London');
  await page.getByLabel('Device owner').fill(CUSTODIAN);
  await detected.getByText('Europe/London — named for this import').waitFor();
  await shot('02-import-details');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const report = page.getByRole('region', { name: 'Import report' });
  await report.waitFor({ timeout: 60_000 });
  await report.getByText(/412 messages/).waitFor();
  await report.getByText(/Europe\/London — named for this import/).waitFor();
  await shot('03-import-report');
  assert.equal(app.ctx.session().db.prepare("SELECT count(*) FROM messages WHERE kind = 'message'").pluck().get(), 412);
  // The device owner's messages are outgoing, the contact's incoming.
  const directions = app.ctx.session().db.prepare("SELECT h.display, m.direction, count(*) AS n FROM messages m JOIN handles h ON h.id = m.sender_handle_id WHERE m.kind = 'message' GROUP BY 1, 2 ORDER BY 1").all() as { display: string; direction: string }[];
  assert.deepEqual(directions.map((d) => [d.display, d.direction]), [[CUSTODIAN, 'out'], [CONTACT, 'in']].sort((a, b) => a[0]!.localeCompare(b[0]!)));
});

test('search: the exact total and highlighted snippets in the results table', { skip: NO_CHROMIUM }, async () => {
  await page.getByRole('link', { name: 'Search' }).click();
  const box = page.getByRole('searchbox', { name: 'Search' });
  await box.fill('shipment');
  await page.getByLabel('Order of results').selectOption('time-asc');
  await box.press('Enter');
  const expected = linesWith('shipment');
  await page.getByText(new RegExp(`^${expected}$`)).first().waitFor();
  const grid = page.getByRole('grid', { name: 'Search results' });
  await grid.locator('mark').first().waitFor();
  assert.equal((await grid.locator('mark').first().textContent())?.toLowerCase(), 'shipment');
  // Virtualised: far fewer rows in the DOM than results when there are many.
  assert.ok((await grid.getByRole('row').count()) <= expected + 1);
  await shot('04-search');
});

test('search: the query help lists proximity, fuzzy, stem and regex; a fuzzy query shows the terms it was expanded to', { skip: NO_CHROMIUM }, async () => {
  await page.getByText('Query language').click();
  for (const example of ['price w/5 fix*', 'kickbak~   kickbak~2', 'stem:run   stem.fr:courir']) await page.getByText(example, { exact: true }).waitFor();
  const box = page.getByRole('searchbox', { name: 'Search' });
  await box.fill('shipmant~');
  await box.press('Enter');
  const expected = searchMessages(app.ctx.session(), { query: 'shipmant~', limit: 0 });
  assert.ok(expected.total > 0);
  const terms = page.getByLabel('Terms searched');
  await terms.getByText('shipment', { exact: true }).waitFor();
  assert.match((await terms.textContent()) ?? '', /shipmant~ matched/);
  await page.getByText(new RegExp(`^${expected.total}$`)).first().waitFor();
  // A malformed proximity is an error naming the place, not an empty result.
  await box.fill('w/3 shipment');
  await box.press('Enter');
  await page.getByText(/Query problem at character 1: w\/3 needs a word/).waitFor();
  await page.getByText('Query language').click();
  await box.fill('shipment');
  await box.press('Enter');
  await page.getByRole('grid', { name: 'Search results' }).locator('mark').first().waitFor();
});

test('open the first hit in its conversation, highlighted, with the photo inline', { skip: NO_CHROMIUM }, async () => {
  const grid = page.getByRole('grid', { name: 'Search results' });
  await grid.focus();
  await page.keyboard.press('Enter');
  const list = page.getByRole('listbox', { name: 'Messages' });
  await list.waitFor();
  const current = list.locator('.bubble.current');
  await current.waitFor();
  assert.match((await current.textContent()) ?? '', /Falcon shipment/);
  assert.equal(await current.locator('mark').first().textContent(), 'shipment');
  const img = list.getByRole('img', { name: PHOTO });
  await img.waitFor();
  // Browser-side expressions are strings: this file is type-checked without the DOM library.
  await page.waitForFunction(`(() => { const el = document.querySelector('img[alt="${PHOTO}"]'); return !!el && el.complete && el.naturalWidth === 320; })()`);
  await list.getByText('This message was deleted').waitFor();
  await shot('05-conversation');
});

test('tag the hit Hot from the coding panel; search finds it by tag', { skip: NO_CHROMIUM }, async () => {
  const coding = page.getByRole('region', { name: 'Coding' });
  await coding.getByRole('button', { name: /Hot/ }).click();
  await page.getByRole('listbox', { name: 'Messages' }).locator('.bubble.current .tag-chip', { hasText: 'Hot' }).waitFor();
  assert.equal(searchMessages(app.ctx.session(), { query: 'tag:Hot', limit: 0 }).total, 1);
  // Number keys are the tag shortcuts: 1 is Responsive.
  await page.getByRole('listbox', { name: 'Messages' }).focus();
  await page.keyboard.press('j');
  await page.keyboard.press('1');
  await page.getByRole('listbox', { name: 'Messages' }).locator('.bubble.current .tag-chip', { hasText: 'Responsive' }).waitFor();
  assert.equal(searchMessages(app.ctx.session(), { query: 'tag:Responsive', limit: 0 }).total, 1);
  await shot('06-coded');
});

test('put a legal hold by query', { skip: NO_CHROMIUM }, async () => {
  await page.getByRole('link', { name: 'Legal holds' }).click();
  const form = page.getByRole('form', { name: 'New hold' });
  await form.getByLabel('Name').fill('Falcon hold');
  await form.getByLabel('Matter').fill('Falcon investigation');
  await form.getByLabel('Reason').fill('Litigation reasonably anticipated');
  await form.getByLabel('Query').fill('shipment OR invoice');
  await form.getByRole('button', { name: 'Put on hold' }).click();
  const expected = searchMessages(app.ctx.session(), { query: 'shipment OR invoice', limit: 0 }).total;
  const holds = page.getByRole('region', { name: 'Holds' });
  await holds.getByRole('row', { name: /Falcon hold/ }).getByText(String(expected), { exact: true }).waitFor();
  await shot('07-holds');
});

test('produce a Bates-stamped PDF of the coded messages', { skip: NO_CHROMIUM }, async () => {
  await page.getByRole('link', { name: 'Productions' }).click();
  const form = page.getByRole('form', { name: 'New production' });
  await form.getByLabel('Format').selectOption('pdf');
  await form.getByLabel('Name').fill('Production 001');
  await form.getByLabel('Query').fill('tag:Hot OR tag:Responsive');
  await form.getByLabel('Prefix').fill('FALCON');
  // Before the button: what will be produced, counted by the engine, and the first number.
  const counts = form.getByTestId('production-counts');
  await counts.getByText('FALCON0000001').waitFor();
  const facts = async () => (await counts.locator('dd').allTextContents()).slice(0, 4).map((t) => t.split(' ')[0]);
  assert.deepEqual(await facts(), ['2', '1', String(app.ctx.session().db.prepare("SELECT count(*) FROM attachments WHERE sha256 IS NOT NULL AND message_id IN (SELECT message_id FROM message_tags)").pluck().get()), '0']);
  assert.equal(await form.getByTestId('next-bates').textContent(), 'FALCON0000001');
  // Work product is off by default; switching it on warns.
  const picker = form.getByRole('group', { name: 'Work-product fields' });
  assert.equal(await picker.getByLabel('Reviewer tags').isChecked(), false);
  await picker.getByLabel('Reviewer tags').check();
  await form.getByRole('alert').getByText(/Work product will leave the firm/).waitFor();
  await counts.scrollIntoViewIfNeeded();
  await shot('08a-production-form-warning');
  await picker.getByLabel('Reviewer tags').uncheck();
  assert.equal(await form.getByRole('alert').count(), 0);
  const out = path.join(app.dir, 'production-001');
  await form.getByLabel('Output folder').fill(out);
  await form.getByRole('button', { name: 'Produce' }).click();
  const result = page.getByRole('region', { name: 'Production result' });
  await result.waitFor({ timeout: 60_000 });
  await result.getByText(/2 messages/).waitFor();
  await result.getByRole('button', { name: /Verify the files/ }).click();
  await result.getByText(/^verified/).waitFor();
  const pdfs = fs.readdirSync(out, { recursive: true }).map(String).filter((f) => f.endsWith('.pdf'));
  assert.ok(pdfs.length >= 1);
  assert.equal(fs.readFileSync(path.join(out, pdfs[0]!)).subarray(0, 5).toString('latin1'), '%PDF-');
  // The next production with the prefix continues after this one.
  const last = Number((await result.getByText(/Bates FALCON\d+ – FALCON\d+/).textContent())!.match(/– FALCON(\d+)/)![1]);
  await form.getByTestId('next-bates').getByText(`FALCON${String(last + 1).padStart(7, '0')}`).waitFor();
  await page.evaluate(`document.querySelector('.page').scrollTo(0, 0)`);
  await shot('08-production');
});

test('dashboard and audit log', { skip: NO_CHROMIUM }, async () => {
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await page.getByRole('img', { name: /Messages per week/ }).waitFor();
  await shot('09-dashboard');
  await page.getByRole('link', { name: 'Audit log' }).click();
  await page.getByRole('cell', { name: /^Put legal hold “.+” on \d+ messages?\./ }).waitFor();
  await page.getByRole('cell', { name: /^Tagged \d+ messages? “/ }).first().waitFor();
  await page.getByRole('region', { name: 'Audit head' }).waitFor();
  await shot('10-audit');
  await page.getByRole('cell', { name: /^Produced \d+ messages? as / }).first().waitFor();
});

test('conversations, identities and a retention dry run', { skip: NO_CHROMIUM }, async () => {
  await page.getByRole('link', { name: 'Conversations' }).click();
  await page.getByRole('link', { name: 'Dana Whitfield' }).waitFor();
  await page.getByRole('cell', { name: /held 1\d\d/ }).waitFor();
  await shot('12-conversations');
  await page.getByRole('link', { name: 'Identities' }).click();
  await page.getByRole('cell', { name: 'Dana Whitfield', exact: true }).waitFor();
  await shot('13-identities');
  await page.getByRole('link', { name: 'Retention' }).click();
  await page.getByLabel('Keep messages for').fill('30d');
  await page.getByRole('button', { name: 'Preview (dry run)' }).click();
  const dry = page.getByRole('region', { name: 'Dry run' });
  await dry.waitFor();
  const held = searchMessages(app.ctx.session(), { query: 'shipment OR invoice', limit: 0 }).total;
  await dry.getByText(String(412 - held), { exact: true }).waitFor();
  await shot('14-retention');
  assert.equal(app.ctx.session().db.prepare("SELECT count(*) FROM messages WHERE kind = 'message'").pluck().get(), 412, 'a dry run removes nothing');
});

test('change the passphrase, close the case, open it again from recent cases', { skip: NO_CHROMIUM }, async () => {
  await page.getByRole('link', { name: 'Case & passphrase' }).click();
  const form = page.getByRole('form', { name: 'Change the passphrase' });
  await form.getByLabel('Current passphrase').fill('falcon passphrase 2024');
  await form.getByLabel('New passphrase', { exact: true }).fill('new falcon passphrase');
  await form.getByLabel('Repeat new passphrase').fill('new falcon passphrase');
  await form.getByRole('button', { name: 'Change passphrase' }).click();
  await form.getByText('The passphrase was changed.').waitFor();
  await shot('15-case');
  await page.getByRole('button', { name: 'Close case' }).click();
  const open = page.getByRole('region', { name: 'Open a case' });
  // The recent list keeps no matter names outside the case: it shows the file's name.
  await open.getByRole('button', { name: 'Open falcon' }).click();
  assert.equal(await open.getByLabel('Case file').inputValue(), casePath());
  await open.getByLabel('Passphrase').fill('falcon passphrase 2024');
  await open.getByRole('button', { name: 'Open case' }).click();
  await open.getByRole('alert').getByText('BAD_PASSPHRASE').waitFor();
  await shot('16-bad-passphrase');
  await open.getByLabel('Passphrase').fill('new falcon passphrase');
  await open.getByRole('button', { name: 'Open case' }).click();
  await page.getByRole('searchbox', { name: 'Search' }).waitFor();
});

test('dark theme', { skip: NO_CHROMIUM }, async () => {
  await page.getByRole('button', { name: /^Theme/ }).click();
  await page.getByRole('button', { name: /^Theme: light/ }).click();
  assert.equal(await page.evaluate(`document.documentElement.dataset.theme`), 'dark');
  await page.evaluate(`location.hash = '#/conversation/1?m=2&q=shipment'`);
  await page.getByRole('listbox', { name: 'Messages' }).waitFor();
  await shot('11-conversation-dark');
});

test('no errors in the page', { skip: NO_CHROMIUM }, () => {
  assert.deepEqual(errors.filter((e) => !/favicon/.test(e)), []);
});
