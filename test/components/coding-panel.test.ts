/** The coding panel in Chromium against the real core: tag buttons and number keys, privilege basis, notes, selections, bulk coding. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { NO_CHROMIUM } from '../e2e/browser.ts';
import { pageUnderTest, smsCase } from './harness.ts';
import type { PageUnderTest } from './harness.ts';

/**
 * Polls the page's #tags text from Node. A string predicate in waitForFunction is evaluated inside
 * the page, which the component page's CSP (no 'unsafe-eval') refuses whenever it has to poll.
 */
async function tagsUntil(page: { textContent(selector: string): Promise<string | null> }, ok: (text: string) => boolean): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const text = (await page.textContent('#tags')) ?? '';
    if (ok(text)) return;
    if (Date.now() > deadline) throw new Error(`#tags never matched; it reads: ${text}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let p: PageUnderTest;
let ids: number[];

before(async () => {
  if (NO_CHROMIUM) return;
  p = await pageUnderTest('test/components/pages/coding-panel.tsx');
  ids = (await smsCase(p.app)).messageIds;
  assert.equal(ids.length, 3);
});
after(() => p?.close());

const tagsOf = (id: number): string[] =>
  p.app.ctx.session().db.prepare('SELECT t.name FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.message_id = ? ORDER BY t.name').pluck().all(id) as string[];

/** Polls a condition on the case (the UI's call is asynchronous) for up to 10 s. */
async function until(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !ok(); i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(ok(), 'condition not reached');
}

test('tag buttons toggle a tag on the message and show its state', { skip: NO_CHROMIUM }, async () => {
  await p.open({ m: ids[0]! });
  const hot = p.page.getByRole('group', { name: 'Tags' }).getByRole('button', { name: /Hot/ });
  await hot.waitFor();
  assert.deepEqual(await p.page.getByRole('group', { name: 'Tags' }).getByRole('button').allTextContents(), ['1Responsive', '2Non-responsive', '3Privileged', '4Hot', '5Needs redaction']);
  assert.equal(await hot.getAttribute('aria-pressed'), 'false');
  await hot.click();
  await tagsUntil(p.page, (t) => t.includes(':Hot'));
  assert.deepEqual(tagsOf(ids[0]!), ['Hot']);
  assert.equal(await hot.getAttribute('aria-pressed'), 'true');
  await hot.click();
  await tagsUntil(p.page, (t) => !t.includes('Hot'));
  assert.deepEqual(tagsOf(ids[0]!), []);
});

test('number keys are the tags’ shortcuts, but not while typing', { skip: NO_CHROMIUM }, async () => {
  await p.open({ m: ids[0]! });
  await p.page.getByRole('group', { name: 'Tags' }).waitFor();
  await p.page.getByRole('textbox', { name: 'New note' }).waitFor();
  await p.page.locator('body').click({ position: { x: 600, y: 400 } });
  await p.page.keyboard.press('1');
  await tagsUntil(p.page, (t) => t.includes('Responsive'));
  assert.deepEqual(tagsOf(ids[0]!), ['Responsive']);
  await p.page.getByRole('textbox', { name: 'New note' }).fill('');
  await p.page.getByRole('textbox', { name: 'New note' }).press('4');
  assert.equal(await p.page.getByRole('textbox', { name: 'New note' }).inputValue(), '4');
  assert.deepEqual(tagsOf(ids[0]!), ['Responsive']);
});

test('a privilege tag asks for its basis, which is stored for the privilege log', { skip: NO_CHROMIUM }, async () => {
  await p.open({ m: ids[1]! });
  await p.page.getByRole('group', { name: 'Tags' }).getByRole('button', { name: /Privileged/ }).click();
  const basis = p.page.getByLabel('Privilege basis');
  await basis.waitFor();
  await basis.fill('Advice of outside counsel on the invoice dispute');
  await p.page.getByRole('button', { name: 'Save basis' }).click();
  const basisOf = () =>
    (p.app.ctx.session().db.prepare("SELECT basis FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE t.name = 'Privileged' AND mt.message_id = ?").get(ids[1]!) as { basis: string | null } | undefined)?.basis;
  await until(() => basisOf() === 'Advice of outside counsel on the invoice dispute');
});

test('notes are added to the message and listed', { skip: NO_CHROMIUM }, async () => {
  await p.open({ m: ids[2]! });
  await p.page.getByRole('textbox', { name: 'New note' }).fill('Check the total against the ledger');
  await p.page.getByRole('button', { name: 'Add note' }).click();
  await p.page.getByRole('listitem').getByText('Check the total against the ledger').waitFor();
  assert.deepEqual(p.app.ctx.session().db.prepare('SELECT text FROM notes WHERE message_id = ?').pluck().all(ids[2]!), ['Check the total against the ledger']);
});

test('a selection is coded at once; − removes from the selection', { skip: NO_CHROMIUM }, async () => {
  await p.open({ m: ids.join(',') });
  await p.page.getByText('3 selected messages').waitFor();
  await p.page.getByRole('group', { name: 'Tags' }).getByRole('button', { name: 'Non-responsive', exact: true }).click();
  await tagsUntil(p.page, (t) => (t.match(/Non-responsive/g) ?? []).length === 3);
  for (const id of ids) assert.ok(tagsOf(id).includes('Non-responsive'));
  await p.page.getByRole('button', { name: 'Remove Non-responsive from the selection' }).click();
  await tagsUntil(p.page, (t) => !t.includes('Non-responsive'));
  for (const id of ids) assert.ok(!tagsOf(id).includes('Non-responsive'));
});

test('every result of a query is coded in bulk', { skip: NO_CHROMIUM }, async () => {
  await p.open({ m: ids[0]!, bulk: 'invoice' });
  await p.page.getByText('Code all 3 results').click();
  await p.page.getByRole('button', { name: 'Tag all 3 results as Hot' }).click();
  // A whole result set is coded only once confirmed, with its count.
  await p.page.getByRole('dialog', { name: 'Tag 3 messages?' }).getByRole('button', { name: 'Tag 3 messages as Hot' }).click();
  await p.page.getByText(/Tagged 3 messages as Hot/).waitFor();
  for (const id of ids) assert.ok(tagsOf(id).includes('Hot'));
  assert.deepEqual(p.errors, []);
});
