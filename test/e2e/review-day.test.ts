/**
 * A reviewer's day in Chromium over the loopback transport (issue 18): bulk coding asks first and
 * can be undone, single-choice groups, keys that act where focus is and code the message shown,
 * the shortcut sheet, "Back to results" at the same row. Every check here failed before the fix.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { currentBubbleId, NO_CHROMIUM, openSearch, reviewAppWithWhatsApp, screenshotDir, until } from './browser.ts';
import type { AppUnderTest } from './browser.ts';
import { searchMessages } from '../../src/search/search.ts';

let app: AppUnderTest;
let context: BrowserContext;
let page: Page;
let errors: string[];
const shots = screenshotDir();

async function shot(name: string): Promise<void> {
  await page.waitForTimeout(150);
  await page.screenshot({ path: path.join(shots, `${name}.png`) });
}

const db = () => app.ctx.session().db;
const tagsOf = (id: number): string[] =>
  db().prepare('SELECT t.name FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.message_id = ? ORDER BY t.name').pluck().all(id) as string[];
const tagged = (name: string): number =>
  db().prepare('SELECT count(*) FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE t.name = ?').pluck().get(name) as number;
const total = (query: string) => searchMessages(app.ctx.session(), { query, limit: 0 }).total;

/** Polls the page from Node (a string predicate in waitForFunction needs eval, which the app's CSP refuses). */
async function untilPage(ok: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(what);
}

before(async () => {
  if (NO_CHROMIUM) return;
  ({ app, context, page, errors } = await reviewAppWithWhatsApp('day.hfcase', 'a reviewer day passphrase'));
});

after(async () => {
  await context?.close();
  await app?.close();
});

test('coding every result asks first with the count; Undo in the toast puts it back, audited', { skip: NO_CHROMIUM }, async () => {
  const q = 'invoice OR shipment';
  const n = total(q);
  assert.ok(n > 25);
  await openSearch(page, q);
  await page.getByText(`Code all ${n} results`).click();
  await page.getByRole('button', { name: `Tag all ${n} results as Hot` }).click();
  const dialog = page.getByRole('dialog', { name: `Tag ${n} messages?` });
  await dialog.waitFor();
  await dialog.getByText('every result').waitFor();
  await shot('18-01-bulk-confirm');
  assert.equal(tagged('Hot'), 0, 'nothing is coded before the confirmation');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  assert.equal(tagged('Hot'), 0);
  await page.getByRole('button', { name: `Tag all ${n} results as Hot` }).click();
  await dialog.getByRole('button', { name: `Tag ${n} messages as Hot` }).click();
  await until(() => tagged('Hot') === n, 'all results tagged after confirming');
  const toast = page.getByRole('status', { name: 'Last action' });
  await toast.getByText(`Tagged ${n} messages as Hot.`).waitFor();
  await shot('18-02-undo-toast');
  await toast.getByRole('button', { name: 'Undo' }).click();
  await until(() => tagged('Hot') === 0, 'undo removed every tag it added');
  await toast.getByText(/^Undone: Tagged/).waitFor();
  const undo = db().prepare("SELECT details FROM audit_log WHERE action = 'tag.undo'").pluck().all() as string[];
  assert.equal(undo.length, 1);
  assert.equal(JSON.parse(undo[0]!).changed, n);
});

test('Ctrl+Z undoes the last coding action from the keyboard; a small selection codes at once', { skip: NO_CHROMIUM }, async () => {
  await openSearch(page, 'shipment');
  const grid = page.getByRole('grid', { name: 'Search results' });
  await grid.focus();
  await page.keyboard.press('x');
  await page.keyboard.press('j');
  await page.keyboard.press('x');
  await page.getByText('2 selected messages').waitFor();
  await page.keyboard.press('4');
  await until(() => tagged('Hot') === 2, 'the two selected tagged Hot without a question');
  assert.equal(await page.getByRole('dialog').count(), 0);
  // The app has the action to undo once it says so (the database may be written before the reply arrives).
  await page.getByRole('status', { name: 'Last action' }).getByText('Tagged 2 messages as Hot.').waitFor();
  await page.keyboard.press('Control+z');
  await until(() => tagged('Hot') === 0, 'Ctrl+Z undid it');
});

test('Responsive and Non-responsive are one single-choice, required group in the panel and in the core', { skip: NO_CHROMIUM }, async () => {
  await openSearch(page, 'shipment');
  const id = searchMessages(app.ctx.session(), { query: 'shipment', sort: 'time-asc', limit: 1 }).hits[0]!.messageId;
  // The same search as before: its selection is still there; Escape clears it, the first row stays current.
  await page.getByRole('grid', { name: 'Search results' }).focus();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Home');
  const group = page.getByRole('group', { name: 'Responsiveness' });
  await group.getByText('one choice · required').waitFor();
  await page.getByText('Still to code: Responsiveness (required).').waitFor();
  await group.getByRole('button', { name: 'Responsive', exact: true }).click();
  await until(() => tagsOf(id).includes('Responsive'), 'Responsive');
  await group.getByRole('button', { name: 'Non-responsive', exact: true }).click();
  await until(() => tagsOf(id).includes('Non-responsive'), 'Non-responsive');
  assert.deepEqual(tagsOf(id), ['Non-responsive'], 'never both');
  await page.getByText(/replacing 1 other choice/).waitFor();
  await shot('18-03-coding-groups');
  await page.keyboard.press('Control+z');
  await until(() => tagsOf(id).join() === 'Responsive', 'undo brings Responsive back');
});

test('after Enter opens the conversation, j moves and 1 codes the message shown as current', { skip: NO_CHROMIUM }, async () => {
  await openSearch(page, 'shipment');
  await page.getByRole('grid', { name: 'Search results' }).focus();
  await page.keyboard.press('Enter');
  const list = page.getByRole('listbox', { name: 'Messages' });
  await list.locator('.bubble.current').waitFor();
  const hit = await currentBubbleId(page);
  await page.keyboard.press('j');
  await untilPage(async () => (await currentBubbleId(page)) !== hit, 'j moved without clicking first');
  const shown = await currentBubbleId(page);
  assert.notEqual(shown, hit, 'j moved without clicking first');
  const before = tagsOf(hit);
  await page.keyboard.press('1');
  await until(() => tagsOf(shown).includes('Responsive'), 'the message shown as current was coded');
  assert.deepEqual(tagsOf(hit), before, 'not the hit the conversation opened at');
});

test('after the next-hit button, n and j still work and 1 codes the current message', { skip: NO_CHROMIUM }, async () => {
  await page.getByRole('button', { name: 'Next hit' }).click();
  await page.getByText(/^Hit \d+ of \d+$/).waitFor();
  const hitText = await page.getByText(/^Hit \d+ of \d+$/).textContent();
  await page.keyboard.press('n');
  await untilPage(async () => (await page.getByText(/^Hit \d+ of \d+$/).textContent()) !== hitText, 'n moved to the next hit');
  await page.keyboard.press('j');
  const shown = await currentBubbleId(page);
  await page.keyboard.press('2');
  await until(() => tagsOf(shown).includes('Non-responsive'), 'the current message was coded');
});

test('? shows every shortcut, including the tags on the number keys', { skip: NO_CHROMIUM }, async () => {
  await page.keyboard.press('?');
  const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await sheet.waitFor();
  for (const k of ['Ctrl+Z (⌘Z)', 'n, Shift+N (or p)', 'x or Space', 'Enter', '1 – 9', 'Backspace', '/']) await sheet.getByText(k, { exact: true }).first().waitFor();
  await sheet.getByText('Needs redaction').waitFor();
  await shot('18-04-shortcuts');
  await page.keyboard.press('Escape');
  await sheet.waitFor({ state: 'detached' });
});

test('Back to results returns to the same row, scroll position and selection', { skip: NO_CHROMIUM }, async () => {
  const q = 'ok OR thanks OR call OR lunch';
  assert.ok(total(q) > 80);
  await openSearch(page, q);
  const grid = page.getByRole('grid', { name: 'Search results' });
  await grid.focus();
  for (let i = 0; i < 40; i++) await page.keyboard.press('j');
  await page.keyboard.press('x');
  await grid.locator('#result-40.current').waitFor();
  const scrolled = Number(await grid.evaluate((el) => el.scrollTop));
  assert.ok(scrolled > 300);
  await page.keyboard.press('Enter');
  await page.getByRole('listbox', { name: 'Messages' }).locator('.bubble.current').waitFor();
  await page.getByRole('link', { name: 'Back to results' }).click();
  await grid.locator('#result-40.current').waitFor();
  assert.equal(await grid.locator('#result-40').getAttribute('aria-selected'), 'true');
  assert.equal(Number(await grid.evaluate((el) => el.scrollTop)), scrolled);
  await page.getByText('1 selected').waitFor();
  // Focus is back in the grid: k moves at once.
  await page.keyboard.press('k');
  await grid.locator('#result-39.current').waitFor();
  await shot('18-05-back-to-results');
});

test('a coding layout made in the app: a new single-choice group and custom tags, used at once by keys and buttons', { skip: NO_CHROMIUM }, async () => {
  await page.getByRole('link', { name: 'Coding layout' }).click();
  const groups = page.getByRole('form', { name: 'New group' });
  await groups.getByLabel('Group name').fill('Confidentiality');
  await groups.getByLabel('Group choice').selectOption('single');
  await groups.getByRole('button', { name: 'Add group' }).click();
  await page.getByRole('region', { name: 'Tag groups' }).getByRole('cell', { name: 'Confidentiality', exact: true }).waitFor();
  const tags = page.getByRole('form', { name: 'New tag' });
  for (const [name, key] of [['Confidential', '6'], ['Public', '7']] as const) {
    await tags.getByLabel('Tag name').fill(name);
    await tags.getByLabel('Tag key').selectOption(key);
    await tags.getByLabel('Tag group').selectOption({ label: 'Confidentiality' });
    await tags.getByRole('button', { name: 'Add tag' }).click();
    await page.getByLabel(`Name of ${name}`).waitFor();
  }
  await tags.getByLabel('Tag name').fill('Pricing');
  await tags.getByRole('button', { name: 'Add tag' }).click();
  await page.getByLabel('Name of Pricing').fill('Price talk');
  await page.getByLabel('Name of Pricing').blur();
  await until(() => db().prepare("SELECT count(*) FROM tags WHERE name = 'Price talk'").pluck().get() === 1, 'renamed in the app');
  await page.getByRole('button', { name: 'Delete tag Price talk' }).click();
  await page.getByRole('dialog', { name: 'Delete the tag “Price talk”?' }).getByRole('button', { name: 'Delete tag' }).click();
  await until(() => db().prepare("SELECT count(*) FROM tags WHERE name = 'Price talk'").pluck().get() === 0, 'deleted in the app');
  await shot('18-06-coding-layout');
  const actions = db().prepare("SELECT action FROM audit_log WHERE action LIKE 'tag.%' AND action NOT IN ('tag.apply', 'tag.remove', 'tag.undo', 'tag.basis') ORDER BY seq").pluck().all();
  assert.deepEqual(actions, ['tag.group.create', 'tag.create', 'tag.create', 'tag.create', 'tag.update', 'tag.delete'], 'every layout change audited');

  await openSearch(page, 'invoice');
  const id = searchMessages(app.ctx.session(), { query: 'invoice', sort: 'time-asc', limit: 1 }).hits[0]!.messageId;
  await page.getByRole('grid', { name: 'Search results' }).focus();
  await page.keyboard.press('7');
  await until(() => tagsOf(id).includes('Public'), 'key 7 is Public');
  await page.getByRole('group', { name: 'Confidentiality' }).getByRole('button', { name: 'Confidential', exact: true }).click();
  await until(() => tagsOf(id).includes('Confidential') && !tagsOf(id).includes('Public'), 'Confidential replaced Public');
});

test('no errors in the page', { skip: NO_CHROMIUM }, () => {
  assert.deepEqual(errors.filter((e) => !/favicon/.test(e)), []);
});
