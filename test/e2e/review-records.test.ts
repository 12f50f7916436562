/**
 * What a reviewer saved shows again, and nothing vanishes without a word (issue 18), in Chromium
 * over the loopback transport against a real case: personal marking with a reason and a hold
 * warning, hidden hits counted, privilege basis, notes, renamed and merged identities, redaction
 * marks, time zone and clock, dashboard years and bars, hold scope in words, email thread kind,
 * long messages, empty states and the smaller items.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { builtRenderer, importInApp, launch, NO_CHROMIUM, screenshotDir, serveApp } from './browser.ts';
import type { AppUnderTest } from './browser.ts';
import { writeWhatsAppZip } from './fixture.ts';
import { writeExport } from '../review/corpus.ts';
import { searchMessages } from '../../src/search/search.ts';
import { createHold } from '../../src/review/holds.ts';
import { linkHandles } from '../../src/review/identities.ts';
import { tagMessages } from '../../src/review/tags.ts';

let app: AppUnderTest;
let context: BrowserContext;
let page: Page;
let errors: string[];
const shots = screenshotDir();
const db = () => app.ctx.session().db;
const LONG_LINES = 160;

async function shot(name: string): Promise<void> {
  await page.waitForTimeout(150);
  await page.screenshot({ path: path.join(shots, `${name}.png`) });
}

async function go(hash: string): Promise<void> {
  await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
}

async function importSource(source: string, custodian = 'Alex Morgan'): Promise<void> {
  await importInApp(app, { source, tz: 'UTC', custodian });
}

const MBOX = `From alex@example.com Mon Mar 11 09:00:00 2024
From: Alex Morgan <alex@example.com>
To: "D. Whitfield" <dana@example.com>
Subject: Falcon budget
Date: Mon, 11 Mar 2024 09:00:00 +0000
Message-ID: <m1@example.com>

Dana, the Falcon budget draft is below.

From dana@example.com Mon Mar 11 10:00:00 2024
From: "D. Whitfield" <dana@example.com>
To: Alex Morgan <alex@example.com>
Cc: Lee Chen <lee@example.com>, Sam Ortiz <sam@example.com>
Subject: Re: Falcon budget
Date: Mon, 11 Mar 2024 10:00:00 +0000
Message-ID: <m2@example.com>
In-Reply-To: <m1@example.com>
References: <m1@example.com>

Looping in Lee and Sam on the budget.
`;

before(async () => {
  if (NO_CHROMIUM) return;
  app = await serveApp(await builtRenderer());
  await app.ctx.create(path.join(app.dir, 'records.hfcase'), 'records passphrase 2024', { name: 'Falcon', displayTz: 'Europe/London' });
  await importSource(await writeWhatsAppZip(app.dir, 120));
  const t = Date.UTC(2024, 2, 9, 18);
  await importSource(writeExport(app.dir, 'Family', [0, 1, 2].map((i) => ({ at: t + i * 600_000, author: i % 2 ? 'Mum' : 'Alex Morgan', text: `Dinner on Sunday? number ${i}` }))));
  const long = Array.from({ length: LONG_LINES }, (_, i) => `Filler line ${i + 1} of the long memo`).join('\n');
  await importSource(writeExport(app.dir, 'Memo', [{ at: t, author: 'Alex Morgan', text: 'Start of my notes' }, { at: t + 60_000, author: 'Alex Morgan', text: `${long}\nThe zebracorn clause is at the very end` }]));
  const mbox = path.join(app.dir, 'mail.mbox');
  fs.writeFileSync(mbox, MBOX);
  await importSource(mbox);
  ({ context, page, errors } = await launch());
  await page.goto(app.server.url);
  await page.getByRole('searchbox', { name: 'Search' }).waitFor();
});

after(async () => {
  await context?.close();
  await app?.close();
});

const conversationId = (name: string) => db().prepare('SELECT id FROM conversations WHERE name = ?').pluck().get(name) as number;

test('marking a held conversation personal asks for a reason and warns about the hold', { skip: NO_CHROMIUM }, async () => {
  createHold(app.ctx.session(), { name: 'Family hold', conversations: [conversationId('Family')] });
  await go('#/conversations');
  await page.getByRole('button', { name: 'Mark Family as personal' }).click();
  const dialog = page.getByRole('dialog', { name: 'Mark “Family” as personal?' });
  await dialog.getByRole('alert').getByText('3 messages of this conversation are under legal hold').waitFor();
  assert.equal(await dialog.getByRole('button', { name: 'Mark as personal' }).isDisabled(), true, 'no reason, no marking');
  await dialog.getByLabel('Reason (kept in the audit log)').fill('The custodian’s family chat');
  await shot('18-10-personal-dialog');
  await dialog.getByRole('button', { name: 'Mark as personal' }).click();
  await dialog.waitFor({ state: 'detached' });
  const entry = JSON.parse(db().prepare("SELECT details FROM audit_log WHERE action = 'conversation.personal'").pluck().get() as string) as { reason: string };
  assert.equal(entry.reason, 'The custodian’s family chat');
  // The name filter says a personal conversation matched instead of "No conversations yet".
  await page.getByLabel('Filter conversations by name').fill('Family');
  await page.getByText('Only 1 personal conversation named like “Family”').waitFor();
  assert.equal(await page.getByText('No conversations yet').count(), 0);
});

test('a search says how many hits personal conversations hide and can include them', { skip: NO_CHROMIUM }, async () => {
  await go('#/search?q=dinner');
  await page.getByText('3 hits in personal conversations hidden').waitFor();
  await page.getByText('No messages match.').waitFor();
  await shot('18-11-personal-hidden');
  await page.getByRole('button', { name: 'Include them' }).click();
  await page.getByRole('grid', { name: 'Search results' }).getByRole('row').nth(3).waitFor();
  await page.getByText('personal conversations included').waitFor();
});

test('the privilege basis shows again, notes can be edited and deleted', { skip: NO_CHROMIUM }, async () => {
  const hit = searchMessages(app.ctx.session(), { query: 'settlement', limit: 1 }).hits[0]!;
  await go(`#/conversation/${hit.conversationId}?m=${hit.messageId}`);
  const coding = page.getByRole('region', { name: 'Coding' });
  await coding.getByRole('button', { name: 'Privileged', exact: true }).click();
  await coding.getByLabel('Privilege basis').fill('Advice from outside counsel');
  await coding.getByRole('button', { name: 'Save basis' }).click();
  await coding.getByText(/Tagged 1 message as Privileged/).waitFor();
  await go('#/dashboard');
  await page.getByRole('img', { name: /Messages per week/ }).waitFor();
  await go(`#/conversation/${hit.conversationId}?m=${hit.messageId}`);
  await page.getByLabel('Privilege basis').waitFor();
  for (let i = 0; i < 50 && (await page.getByLabel('Privilege basis').inputValue()) === ''; i++) await page.waitForTimeout(100);
  assert.equal(await page.getByLabel('Privilege basis').inputValue(), 'Advice from outside counsel');

  await coding.getByRole('textbox', { name: 'New note' }).fill('Ask counsel about the settlment');
  await coding.getByRole('button', { name: 'Add note' }).click();
  await coding.getByRole('button', { name: /^Edit note: Ask counsel/ }).click();
  await coding.getByLabel('Edit note').fill('Ask counsel about the settlement');
  await coding.getByRole('button', { name: 'Save note' }).click();
  await coding.getByRole('list', { name: 'Notes' }).getByText('Ask counsel about the settlement', { exact: true }).waitFor();
  assert.deepEqual(db().prepare('SELECT text FROM notes').pluck().all(), ['Ask counsel about the settlement']);
  await shot('18-12-basis-and-notes');
  await coding.getByRole('button', { name: /^Delete note: Ask counsel/ }).click();
  await page.getByRole('dialog', { name: 'Delete this note?' }).getByRole('button', { name: 'Delete note' }).click();
  await coding.getByRole('list', { name: 'Notes' }).waitFor({ state: 'detached' });
  assert.equal(db().prepare('SELECT count(*) FROM notes').pluck().get(), 0);
});

test('a redacted message is marked in the timeline', { skip: NO_CHROMIUM }, async () => {
  const side = page.getByRole('region', { name: 'Redactions' });
  await side.getByLabel('Redaction reason').fill('Personal data');
  await side.getByRole('button', { name: 'Redact whole message' }).click();
  await page.getByRole('listbox', { name: 'Messages' }).locator('.bubble.current.redacted .badge', { hasText: 'redacted' }).waitFor();
  await shot('18-13-redacted');
});

test('merged and renamed identities are relabelled in the bubbles', { skip: NO_CHROMIUM }, async () => {
  const s = app.ctx.session();
  const email = s.db.prepare("SELECT id FROM handles WHERE value = 'dana@example.com'").pluck().get() as number;
  const wa = s.db.prepare("SELECT participant_id FROM handles WHERE kind <> 'email' AND coalesce(display, value) = 'Dana Whitfield'").pluck().get() as number;
  linkHandles(s, { handleIds: [email], participantId: wa });
  await go('#/identities');
  await page.getByRole('button', { name: 'Rename Dana Whitfield' }).click();
  await page.getByLabel('New name for Dana Whitfield').fill('Dana Whitfield (Finance)');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('button', { name: 'Rename Dana Whitfield (Finance)' }).waitFor();
  await go(`#/conversation/${conversationId('Falcon budget')}`);
  const list = page.getByRole('listbox', { name: 'Messages' });
  await list.locator('.sender', { hasText: 'Dana Whitfield (Finance)' }).waitFor();
  assert.equal(await list.getByText('D. Whitfield', { exact: true }).count(), 0);
  await go('#/search?q=looping');
  await page.getByRole('grid', { name: 'Search results' }).getByRole('gridcell', { name: 'Dana Whitfield (Finance)' }).waitFor();
  await shot('18-14-relabelled');
});

test('an email thread that copies in more people is a group; headers name the zone and count participants', { skip: NO_CHROMIUM }, async () => {
  await go(`#/conversation/${conversationId('Falcon budget')}`);
  const head = page.getByRole('region', { name: 'Conversation' }).locator('header');
  await head.getByText(/email · group · 2 messages/).waitFor();
  await head.getByText(/4 participants/).waitFor();
  await head.getByText(/^\(Europe\/London \(GMT[+−-]?\d*\)\)$/).waitFor();
  await go(`#/conversation/${conversationId('Memo')}`);
  await head.getByText(/1 participant:/).waitFor();
});

test('jumping to a hit deep in a long message shows the hit', { skip: NO_CHROMIUM }, async () => {
  await go('#/search?q=zebracorn');
  await page.getByRole('grid', { name: 'Search results' }).locator('mark', { hasText: 'zebracorn' }).waitFor();
  await page.getByRole('grid', { name: 'Search results' }).focus();
  await page.keyboard.press('Enter');
  const mark = page.getByRole('listbox', { name: 'Messages' }).locator('mark', { hasText: 'zebracorn' });
  await mark.waitFor();
  await page.waitForTimeout(600);
  const inView = async () => {
    const box = await mark.boundingBox();
    const view = await page.getByRole('listbox', { name: 'Messages' }).boundingBox();
    return !!box && !!view && box.y >= view.y && box.y + box.height <= view.y + view.height;
  };
  assert.ok(await inView(), 'the highlighted hit is on screen');
  await shot('18-15-long-message');
});

test('the 12-hour clock setting applies everywhere; the search header names the zone', { skip: NO_CHROMIUM }, async () => {
  await go('#/case');
  await page.getByLabel('Clock').selectOption('12');
  await go('#/search?q=shipment&sort=time-asc');
  await page.getByText(/^Times in Europe\/London \(GMT[+−-]?\d*\)$/).waitFor();
  const grid = page.getByRole('grid', { name: 'Search results' });
  await grid.getByText(/^2024-03-04 0?9:02 AM$/).waitFor();
  await grid.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('listbox', { name: 'Messages' }).locator('.bubble.current time', { hasText: /AM|PM/ }).waitFor();
  await go('#/case');
  await page.getByLabel('Clock').selectOption('24');
});

test('dashboard dates carry years; a bar opens its messages', { skip: NO_CHROMIUM }, async () => {
  await go('#/dashboard');
  await page.getByText(/Mar 0\d, 2024 – .*2024/).waitFor();
  const bar = page.getByRole('link', { name: /^2024-03-04: \d+ messages — show them$/ });
  const n = Number(/: (\d+) messages/.exec((await bar.getAttribute('aria-label'))!)![1]);
  await bar.click();
  await page.getByRole('grid', { name: 'Search results' }).waitFor();
  assert.equal(await page.locator('.result-meta strong').first().textContent(), String(n));
  await shot('18-16-dashboard-bar');
});

test('a hold says in words what it will hold, with the count, before it is created; conversations are found by typing', { skip: NO_CHROMIUM }, async () => {
  await go('#/holds');
  const form = page.getByRole('form', { name: 'New hold' });
  await form.getByLabel('Name').fill('Email hold');
  await form.getByLabel('Custodians').fill('Alex Morgan');
  await form.getByLabel('Find conversations').fill('budg');
  await form.getByRole('checkbox', { name: /Falcon budget/ }).check();
  await form.getByLabel('Query').fill('zebracorn');
  const total = db().prepare("SELECT count(*) FROM messages m WHERE m.id IN (SELECT message_id FROM message_occurrences o JOIN custodians c ON c.id = o.custodian_id WHERE c.name = 'Alex Morgan')").pluck().get() as number;
  const status = form.getByRole('status', { name: 'What the hold will cover' });
  await status.getByText(`Holds custodian Alex Morgan (${total.toLocaleString('en')} messages), plus conversation Falcon budget (2 messages), plus 1 message matching “zebracorn”, personal conversations included: ${total.toLocaleString('en')} messages now`, { exact: false }).waitFor();
  await shot('18-17-hold-scope');
  await form.getByRole('button', { name: 'Put on hold' }).click();
  await page.getByRole('region', { name: 'Holds' }).getByRole('row', { name: /Email hold/ }).getByText(total.toLocaleString('en'), { exact: true }).waitFor();
});

test('smaller items: "1 result", chips that do not fit are counted, a missing file is not found', { skip: NO_CHROMIUM }, async () => {
  const id = searchMessages(app.ctx.session(), { query: 'zebracorn', limit: 1 }).hits[0]!.messageId;
  for (const tag of ['Hot', 'Responsive', 'Needs redaction']) tagMessages(app.ctx.session(), { tag, messageIds: [id] });
  await go('#/search?q=zebracorn');
  await page.getByText('Code all 1 result', { exact: true }).waitFor();
  const row = page.getByRole('grid', { name: 'Search results' }).locator('#result-0');
  await row.getByText('+1').waitFor();
  assert.equal(await row.locator('.tag-chip').count(), 2);
  await shot('18-18-chips');

  await go('#/import');
  await page.getByLabel('Source').fill(path.join(app.dir, 'no-such-export.zip'));
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('alert').getByText(/File not found/).waitFor();
  assert.equal(await page.getByText(/not a format Holdfast recognises/).count(), 0);
});

test('search term report: per-term hits, unique hits, conversations, custodians; CSV; a term opens its results', { skip: NO_CHROMIUM }, async () => {
  await page.getByRole('link', { name: 'Term report' }).click();
  await page.getByLabel('Terms').fill('shipment\ninvoice\n# a comment\nzebracorn\n"unclosed');
  await page.getByRole('button', { name: 'Run report' }).click();
  const report = page.getByRole('region', { name: 'Term report' });
  await report.waitFor();
  const s = app.ctx.session();
  const hits = (q: string) => searchMessages(s, { query: q, limit: 0 }).total;
  const row = (q: string) => report.getByRole('row').filter({ has: page.getByText(q, { exact: true }) });
  await row('shipment').getByRole('cell', { name: String(hits('shipment')), exact: true }).first().waitFor();
  await row('zebracorn').getByRole('cell', { name: '1', exact: true }).first().waitFor();
  await row('"unclosed').locator('.notice.error').waitFor();
  await shot('18-19-term-report');
  const [file] = await Promise.all([page.waitForEvent('download'), report.getByRole('button', { name: 'Export CSV' }).click()]);
  const csv = fs.readFileSync((await file.path())!, 'utf8').replace(/^\ufeff/, '').split('\r\n');
  assert.equal(csv[0], 'Line,Term,Hits,Unique hits,Conversations,Custodians,Error');
  assert.match(csv[1]!, new RegExp(`^1,shipment,${hits('shipment')},`));
  await report.getByRole('link', { name: 'zebracorn' }).click();
  await page.getByRole('grid', { name: 'Search results' }).getByText('zebracorn').first().waitFor();
});

test('search results export to CSV with full text, display-zone times and tags', { skip: NO_CHROMIUM }, async () => {
  await go('#/search?q=invoice&sort=time-asc');
  await page.getByRole('grid', { name: 'Search results' }).locator('.grid-row.current').waitFor();
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  const lines = fs.readFileSync((await file.path())!, 'utf8').replace(/^\ufeff/, '').trim().split('\r\n');
  const total = searchMessages(app.ctx.session(), { query: 'invoice', limit: 0 }).total;
  assert.equal(lines.length, total + 1);
  assert.equal(lines[0], 'Message id,Sent (Europe/London),Conversation,Sender,Text,Tags');
  assert.match(lines[1]!, /^\d+,2024-03-04 09:02,Dana Whitfield,Alex Morgan,Morning Dana — did the revised invoice for the Falcon shipment go out\?,/);
});

test('facets beside the results count by custodian, platform, conversation, sender, tag and month; a click narrows', { skip: NO_CHROMIUM }, async () => {
  const s = app.ctx.session();
  const count = (q: string) => searchMessages(s, { query: q, limit: 0 }).total;
  await go('#/search?q=budget');
  const facets = page.getByRole('region', { name: 'Narrow by' });
  const platform = facets.getByRole('group', { name: 'Platform' });
  await platform.getByText('email').waitFor();
  await platform.getByText(String(count('budget in:"Falcon budget"')), { exact: true }).waitFor();
  await facets.getByRole('group', { name: 'Month' }).getByRole('button', { name: /^2024-03/ }).waitFor();
  await shot('18-20-facets');
  await facets.getByRole('group', { name: 'Conversation' }).getByRole('button', { name: /^Falcon budget/ }).click();
  await page.getByRole('combobox', { name: 'Conversation' }).waitFor();
  for (let i = 0; i < 50 && (await page.getByRole('combobox', { name: 'Conversation' }).inputValue()) === ''; i++) await page.waitForTimeout(100);
  assert.equal(await page.getByRole('combobox', { name: 'Conversation' }).inputValue(), 'Falcon budget');
  await page.locator('.result-meta strong').first().getByText(String(count('budget in:"Falcon budget"')), { exact: true }).waitFor();
});

test('search inside a conversation: its hits, moved through with n', { skip: NO_CHROMIUM }, async () => {
  const id = conversationId('Dana Whitfield');
  const expected = searchMessages(app.ctx.session(), { query: `invoice in:"Dana Whitfield"`, limit: 0 }).total;
  await go(`#/conversation/${id}`);
  await page.getByLabel('Find in this conversation').fill('invoice');
  await page.getByLabel('Find in this conversation').press('Enter');
  await page.getByText(`${expected} hits`, { exact: true }).waitFor();
  await page.keyboard.press('n');
  await page.getByText(`Hit 1 of ${expected}`, { exact: true }).waitFor();
  await page.getByRole('listbox', { name: 'Messages' }).locator('.bubble.current mark', { hasText: /invoice/i }).first().waitFor();
  await shot('18-21-find-in-conversation');
});

test('recent searches are offered on an empty search', { skip: NO_CHROMIUM }, async () => {
  await go('#/search');
  await page.getByRole('searchbox', { name: 'Search' }).fill('pallet');
  await page.getByRole('searchbox', { name: 'Search' }).press('Enter');
  await page.locator('.result-meta strong').first().waitFor();
  await go('#/search');
  await page.getByRole('group', { name: 'Recent searches' }).getByRole('button', { name: 'pallet' }).click();
  await page.getByRole('grid', { name: 'Search results' }).locator('mark').first().waitFor();
});

test('jump to a date in a conversation', { skip: NO_CHROMIUM }, async () => {
  await go(`#/conversation/${conversationId('Dana Whitfield')}`);
  await page.getByRole('listbox', { name: 'Messages' }).locator('.bubble').first().waitFor();
  await page.getByLabel('Jump to date').fill('2024-03-06');
  await page.getByRole('listbox', { name: 'Messages' }).locator('.bubble.current', { hasText: 'Shipment left Rotterdam this morning' }).waitFor();
  // Focus is on the messages: j moves on from there.
  await page.keyboard.press('j');
  await page.getByRole('listbox', { name: 'Messages' }).locator('.bubble.current', { hasText: 'Let’s not mention the discount' }).waitFor();
});

test('no errors in the page', { skip: NO_CHROMIUM }, () => {
  assert.deepEqual(errors.filter((e) => !/favicon/.test(e)), []);
});
