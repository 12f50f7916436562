/**
 * Review coding beyond tags, in Chromium over the loopback transport against a real case: custom
 * coding fields made in the coding layout, filled in the coding panel and shown again after a
 * reload (off in productions unless picked); the reviewed mark on each row of the results grid,
 * following `r` and coding as they happen; review units of the length the reviewer picks in the
 * conversation view.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { NO_CHROMIUM, openSearch, reviewAppWithWhatsApp, screenshotDir, until } from './browser.ts';
import type { AppUnderTest } from './browser.ts';
import { searchMessages } from '../../src/search/search.ts';
import { listReviewSlices } from '../../src/review/slices.ts';

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
const valueOf = (messageId: number, field: string): string | undefined =>
  db().prepare('SELECT v.value FROM message_field_values v JOIN coding_fields f ON f.id = v.field_id WHERE v.message_id = ? AND f.name = ?').pluck().get(messageId, field) as string | undefined;
const firstHit = (q: string) => searchMessages(app.ctx.session(), { query: q, sort: 'time-asc', limit: 1 }).hits[0]!.messageId;

/** Waits for an input to show `want` (its value arrives after the panel). */
async function untilValue(input: Locator, want: string): Promise<void> {
  for (let i = 0; i < 50 && (await input.inputValue()) !== want; i++) await page.waitForTimeout(100);
  assert.equal(await input.inputValue(), want);
}

before(async () => {
  if (NO_CHROMIUM) return;
  ({ app, context, page, errors } = await reviewAppWithWhatsApp('fields.hfcase', 'a coding fields passphrase'));
});

after(async () => {
  await context?.close();
  await app?.close();
});

test('a custom field made in the coding layout is filled in the coding panel, audited, and shown again after a reload', { skip: NO_CHROMIUM }, async () => {
  await page.getByRole('link', { name: 'Coding layout' }).click();
  const form = page.getByRole('form', { name: 'New field' });
  await form.getByLabel('Field name').fill('Issue');
  await form.getByRole('button', { name: 'Add field' }).click();
  await form.getByLabel('Field name').fill('Stage');
  await form.getByLabel('Field type').selectOption('choice');
  await form.getByLabel('Choices').fill('Draft, Final');
  await form.getByRole('button', { name: 'Add field' }).click();
  const card = page.getByRole('region', { name: 'Coding fields' });
  await card.getByRole('cell', { name: 'one of: Draft, Final' }).waitFor();
  await card.getByRole('cell', { name: 'Issue', exact: true }).waitFor();
  await shot('18-20-coding-fields-layout');

  const id = firstHit('invoice');
  await openSearch(page, 'invoice');
  const panel = page.getByRole('region', { name: 'Coding fields' });
  await panel.getByLabel('Issue', { exact: true }).fill('Pricing dispute');
  await panel.getByRole('button', { name: 'Save Issue' }).click();
  await until(() => valueOf(id, 'Issue') === 'Pricing dispute', 'the value is in the case');
  await panel.getByLabel('Stage', { exact: true }).selectOption('Final');
  await panel.getByRole('button', { name: 'Save Stage' }).click();
  await until(() => valueOf(id, 'Stage') === 'Final', 'the choice is in the case');
  await page.getByTestId('fields-status').getByText('Set Stage to “Final” on 1 message.').waitFor();
  await shot('18-21-coding-fields-panel');
  const entry = JSON.parse(db().prepare("SELECT details FROM audit_log WHERE action = 'field.set' ORDER BY seq LIMIT 1").pluck().get() as string) as { field: { name: string }; after: string; changes: unknown[] };
  assert.deepEqual([entry.field.name, entry.after, entry.changes], ['Issue', 'Pricing dispute', [{ messageId: id, before: null }]]);

  // Typing a value never codes: the number keys stay in the input.
  await panel.getByLabel('Issue', { exact: true }).fill('1 2 r');
  assert.equal(valueOf(id, 'Issue'), 'Pricing dispute');

  await page.reload();
  await page.getByRole('searchbox', { name: 'Search' }).waitFor();
  await openSearch(page, 'invoice');
  const again = page.getByRole('region', { name: 'Coding fields' });
  await untilValue(again.getByLabel('Issue', { exact: true }), 'Pricing dispute');
  await untilValue(again.getByLabel('Stage', { exact: true }), 'Final');

  // Off by default in a production.
  await page.getByRole('link', { name: 'Productions' }).click();
  const pick = page.getByRole('group', { name: 'Work-product fields' }).getByLabel('Custom coding fields');
  await pick.waitFor();
  assert.equal(await pick.isChecked(), false);
});

test('the results grid marks each row reviewed or not, and follows r and coding at once', { skip: NO_CHROMIUM }, async () => {
  await openSearch(page, 'shipment');
  const grid = page.getByRole('grid', { name: 'Search results' });
  const mark = (row: number) => grid.locator(`#result-${row} .reviewed-mark`);
  await mark(0).waitFor();
  assert.equal(await mark(0).getAttribute('aria-label'), 'Not reviewed');
  await grid.focus();
  await page.keyboard.press('r');
  await grid.locator('#result-0 .reviewed-mark[data-reviewed="yes"]').waitFor();
  assert.equal(await mark(0).getAttribute('aria-label'), 'Reviewed');
  assert.equal(await mark(1).getAttribute('data-reviewed'), 'no', 'only the current row');
  // The next row coded Responsive (key 1) is reviewed by its coding.
  await page.keyboard.press('j');
  await page.keyboard.press('1');
  await grid.locator('#result-1 .reviewed-mark[data-reviewed="yes"]').waitFor();
  await shot('18-22-reviewed-column');
  // r again on the first row takes its mark off.
  await page.keyboard.press('k');
  await page.getByTestId('review-status').getByText('✓ Reviewed', { exact: true }).waitFor();
  await page.keyboard.press('r');
  await grid.locator('#result-0 .reviewed-mark[data-reviewed="no"]').waitFor();
  assert.equal(await mark(1).getAttribute('data-reviewed'), 'yes');
});

test('the conversation view slices by the unit length picked: 6 hours, a custom 3 hours, 7 days; a slice opens and selects its messages', { skip: NO_CHROMIUM }, async () => {
  await openSearch(page, 'shipment');
  await page.getByRole('grid', { name: 'Search results' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('listbox', { name: 'Messages' }).locator('.bubble.current').waitFor();
  const conversationId = searchMessages(app.ctx.session(), { query: 'shipment', sort: 'time-asc', limit: 1 }).hits[0]!.conversationId;
  const slices = (hours: number) => listReviewSlices(app.ctx.session(), { conversationId, hours });
  const units = page.getByRole('group', { name: 'Review units' });
  await units.getByLabel('Review unit (day)').waitFor();

  await units.getByLabel('Review unit length').selectOption('6');
  const six = units.getByLabel('Review unit (6 h)');
  const expected = slices(6);
  assert.ok(expected.length > slices(24).length, 'more 6-hour units than days');
  await six.getByRole('option', { name: `Units (${expected.length})…` }).waitFor({ state: 'attached' });
  assert.equal(await six.locator('option').count(), expected.length + 1);
  // The third slice with more than one event: it opens at its first message and selects exactly its events.
  const pick = expected.filter((s) => s.events > 1)[2] ?? expected.find((s) => s.events > 1)!;
  await six.selectOption({ index: expected.indexOf(pick) + 1 });
  await page.getByRole('listbox', { name: 'Messages' }).locator('.bubble.current').waitFor();
  await units.getByRole('button', { name: 'Select unit' }).click();
  await page.getByText(`${pick.events} selected messages`).waitFor();
  await shot('18-23-review-unit-length');

  await units.getByLabel('Review unit length').selectOption('custom');
  await units.getByLabel('Unit length in hours').fill('3');
  const three = units.getByLabel('Review unit (3 h)');
  await three.getByRole('option', { name: `Units (${slices(3).length})…` }).waitFor({ state: 'attached' });
  await units.getByLabel('Review unit length').selectOption('168');
  await units.getByLabel('Review unit (168 h)').getByRole('option', { name: `Units (${slices(168).length})…` }).waitFor({ state: 'attached' });
  await units.getByLabel('Review unit length').selectOption('24');
  await units.getByRole('button', { name: 'Select day' }).waitFor();
});

test('no errors in the page', { skip: NO_CHROMIUM }, () => {
  assert.deepEqual(errors.filter((e) => !/favicon/.test(e)), []);
});
