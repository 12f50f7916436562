/**
 * Review status and the team's shared tools in Chromium over the loopback transport (issue 18):
 * reviewed / unreviewed per message with progress per search and per conversation, saved
 * searches, the sources (chain of custody) screen, exports, the thread panel and day slices, and
 * the jobs tray's cancel confirmation. Every check here failed before these were built.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import XLSX from 'xlsx';
import { currentBubbleId, importInApp, NO_CHROMIUM, openSearch, reviewAppWithWhatsApp, screenshotDir, until } from './browser.ts';
import type { AppUnderTest } from './browser.ts';
import { PHOTO } from './fixture.ts';
import { searchMessages } from '../../src/search/search.ts';
import { FIXTURES } from '../helpers/case.ts';
import { writeWhatsAppExport } from '../helpers/app.ts';
import { getThread } from '../../src/review/threads.ts';
import { listReviewUnits } from '../../src/review/units.ts';
import { loadRedactions, redactedPlain } from '../../src/production/redactions.ts';

let app: AppUnderTest;
let context: BrowserContext;
let page: Page;
let errors: string[];
let source: string;
const shots = screenshotDir();

async function shot(name: string): Promise<void> {
  await page.waitForTimeout(150);
  await page.screenshot({ path: path.join(shots, `${name}.png`) });
}

const db = () => app.ctx.session().db;
const total = (query: string) => searchMessages(app.ctx.session(), { query, limit: 0 }).total;
const marked = (): number[] => db().prepare('SELECT message_id FROM message_reviews ORDER BY message_id').pluck().all() as number[];

before(async () => {
  if (NO_CHROMIUM) return;
  ({ app, source, context, page, errors } = await reviewAppWithWhatsApp('team.hfcase', 'a review team passphrase'));
});

after(async () => {
  await context?.close();
  await app?.close();
});

test('r marks the current message reviewed; the search and the conversation count their progress; reviewed:no finds the rest', { skip: NO_CHROMIUM }, async () => {
  const n = total('shipment');
  await openSearch(page, 'shipment');
  const progress = page.getByTestId('search-progress');
  await progress.getByText(`0 of ${n} reviewed`).waitFor();
  await page.getByTestId('review-status').getByText('Not reviewed').waitFor();
  const first = searchMessages(app.ctx.session(), { query: 'shipment', sort: 'time-asc', limit: 1 }).hits[0]!.messageId;
  await page.getByRole('grid', { name: 'Search results' }).focus();
  await page.keyboard.press('r');
  await until(() => marked().join() === String(first), 'r marked the current result');
  await progress.getByText(`1 of ${n} reviewed`).waitFor();
  await page.getByTestId('review-status').getByText('✓ Reviewed').waitFor();
  const entry = db().prepare("SELECT details FROM audit_log WHERE action = 'review.mark'").pluck().get() as string;
  assert.deepEqual(JSON.parse(entry).messageIds, [first], 'audited with the message');
  await shot('18-team-10-reviewed-search');

  // Coding counts as reviewed too: 1 on the next row.
  await page.keyboard.press('j');
  await page.keyboard.press('1');
  await progress.getByText(`2 of ${n} reviewed`).waitFor();
  assert.equal(total('shipment reviewed:no'), n - 2);

  // In the conversation: its own count, and r on the message shown as current.
  await page.keyboard.press('Enter');
  await page.getByRole('listbox', { name: 'Messages' }).locator('.bubble.current').waitFor();
  const all = total('reviewed:yes OR reviewed:no');
  const conv = page.getByTestId('conversation-progress');
  await conv.getByText(`2 of ${all} reviewed`).waitFor();
  await page.keyboard.press('j');
  const shown = await currentBubbleId(page);
  await page.keyboard.press('r');
  await until(() => marked().includes(shown), 'r marked the message shown as current');
  await conv.getByText(`3 of ${all} reviewed`).waitFor();
  await page.getByRole('listbox', { name: 'Messages' }).locator(`.msg-row[data-message-id="${shown}"] [aria-label="Reviewed"]`).waitFor();
  await shot('18-team-11-reviewed-conversation');
  // r again takes the mark off (audited).
  await page.keyboard.press('r');
  await until(() => !marked().includes(shown), 'r toggled the mark off');
  await conv.getByText(`2 of ${all} reviewed`).waitFor();
  assert.equal(db().prepare("SELECT count(*) FROM audit_log WHERE action = 'review.unmark'").pluck().get(), 1);
  await page.keyboard.press('?');
  const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  // The batch view has its own r; the review one is the row that says so.
  await sheet.getByRole('row').filter({ hasText: /Mark the highlighted message \(or the selection\) reviewed/ }).getByText('r', { exact: true }).waitFor();
  await page.keyboard.press('Escape');
  await sheet.waitFor({ state: 'detached' });
});

test('a saved search is named, stored in the case for everyone, audited, listed and run with a click', { skip: NO_CHROMIUM }, async () => {
  const q = 'price OR invoice';
  await openSearch(page, q);
  const saved = page.getByRole('group', { name: 'Saved searches' });
  await saved.getByText('none yet').waitFor();
  await saved.getByRole('button', { name: 'Save this search…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Save this search' });
  await dialog.getByLabel('Saved search name').fill('Falcon pricing');
  await dialog.getByRole('button', { name: 'Save search' }).click();
  await saved.getByRole('button', { name: 'Falcon pricing', exact: true }).waitFor();
  const row = db().prepare('SELECT name, query, sort FROM saved_searches').get();
  assert.deepEqual(row, { name: 'Falcon pricing', query: q, sort: 'time-asc' }, 'stored in the case file with its order');
  const audit = db().prepare("SELECT details FROM audit_log WHERE action = 'search.save'").pluck().get() as string;
  assert.equal(JSON.parse(audit).after.query, q);
  // A second name for the same words is refused with the case's error style.
  await saved.getByRole('button', { name: 'Save this search…' }).click();
  await dialog.getByLabel('Saved search name').fill('falcon PRICING');
  await dialog.getByRole('button', { name: 'Save search' }).click();
  await dialog.getByText(/already a saved search named "Falcon pricing"/).waitFor();
  await shot('18-team-12-saved-search-duplicate');
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // From a fresh search screen: listed, and a click runs it in its saved order.
  await page.evaluate(`location.hash = '#/search'`);
  await saved.getByRole('button', { name: 'Falcon pricing', exact: true }).click();
  await page.getByRole('grid', { name: 'Search results' }).locator('.grid-row.current').waitFor();
  assert.equal(await page.getByRole('searchbox', { name: 'Search' }).inputValue(), q);
  await page.locator('.result-meta strong').getByText(String(total(q))).waitFor();
  await shot('18-team-13-saved-searches');

  await saved.getByRole('button', { name: 'Delete saved search Falcon pricing' }).click();
  await page.getByRole('dialog', { name: 'Delete the saved search “Falcon pricing”?' }).getByRole('button', { name: 'Delete saved search' }).click();
  await saved.getByText('none yet').waitFor();
  assert.equal(db().prepare('SELECT count(*) FROM saved_searches').pluck().get(), 0);
  const unsave = db().prepare("SELECT details FROM audit_log WHERE action = 'search.unsave'").pluck().get() as string;
  assert.equal(JSON.parse(unsave).before.name, 'Falcon pricing');
});

test('the sources screen shows each source\'s SHA-256, importer and version, time-zone decision, report and hashed inner files', { skip: NO_CHROMIUM }, async () => {
  // A second source whose import warns: a chat whose name the file name does not give, dates that could be d/m or m/d.
  const bare = path.join(app.dir, 'chat.txt');
  fs.writeFileSync(bare, '01/05/2024, 10:00 - Lee Chan: Parcel collected\n01/05/2024, 10:05 - Lee Chan: On my way\n');
  await importInApp(app, { source: bare, tz: 'UTC', custodian: 'Lee Chan' });
  await page.getByRole('link', { name: 'Sources' }).click();
  const card = page.getByRole('region', { name: `Source ${path.basename(source)}` });
  const sha = crypto.createHash('sha256').update(fs.readFileSync(source)).digest('hex');
  await card.getByText(sha, { exact: true }).waitFor();
  const row = db().prepare('SELECT id, format, importer_version, tz_reason FROM sources WHERE sha256 = ?').get(sha) as { id: number; format: string; importer_version: string; tz_reason: string };
  await card.getByText(`version ${row.importer_version}`).waitFor();
  await card.getByText(row.format, { exact: true }).waitFor();
  await card.getByText(`— ${row.tz_reason}`).waitFor();
  await card.getByText('Europe/London').waitFor();
  await card.getByText('Alex Morgan').waitFor();
  const messages = db().prepare('SELECT count(*) FROM messages WHERE source_id = ?').pluck().get(row.id) as number;
  await card.getByRole('group', { name: 'Import report' }).getByText(new RegExp(`${messages} read, ${messages} imported, 0 duplicates`)).waitFor();
  await card.getByText(/files? read inside it, each hashed/).click();
  const files = card.getByRole('table', { name: `Files in ${path.basename(source)}` });
  const photo = db().prepare('SELECT sha256 FROM source_files WHERE inner_path = ?').pluck().get(PHOTO) as string;
  assert.match(photo, /^[0-9a-f]{64}$/);
  await files.getByRole('row', { name: new RegExp(PHOTO) }).getByText(photo).waitFor();
  const warned = page.getByRole('region', { name: 'Source chat.txt' });
  await warned.getByText('2 warnings', { exact: true }).last().click();
  const listed = warned.getByRole('list', { name: 'Warnings of chat.txt' });
  await listed.getByText('BAD_RECORD').waitFor();
  await listed.getByText('AMBIGUOUS_DATE').waitFor();
  await warned.getByText(/chat's name could not be read from the file name/).waitFor();
  await shot('18-team-14-sources');
});

test('the results export to XLSX (display-zone times, tags, review status) and the audit log to CSV, from the app', { skip: NO_CHROMIUM }, async () => {
  await openSearch(page, 'invoice');
  await shot('18-team-15-export-buttons');
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export XLSX' }).click()]);
  assert.equal(file.suggestedFilename(), 'search-results.xlsx');
  const wb = XLSX.read(fs.readFileSync((await file.path())!));
  const rows = XLSX.utils.sheet_to_json<string[]>(wb.Sheets.Results!, { header: 1, raw: false, defval: '' });
  assert.deepEqual(rows[0], ['Message id', 'Sent (Europe/London)', 'Conversation', 'Sender', 'Text', 'Tags', 'Reviewed']);
  assert.equal(rows.length - 1, total('invoice'));
  const first = searchMessages(app.ctx.session(), { query: 'invoice', sort: 'time-asc', limit: 1 }).hits[0]!.messageId;
  assert.deepEqual(rows[1]!.slice(0, 5), [String(first), '2024-03-04 09:02:00', 'Dana Whitfield', 'Alex Morgan', 'Morning Dana — did the revised invoice for the Falcon shipment go out?']);
  const reviewedRows = rows.slice(1).filter((r) => r[6] === 'yes').length;
  assert.equal(reviewedRows, total('invoice reviewed:yes'));
  assert.ok(reviewedRows > 0, 'the first test reviewed some of these');
  const about = XLSX.utils.sheet_to_json<string[]>(wb.Sheets.Search!, { header: 1, raw: false });
  assert.deepEqual(about[0], ['Query', 'invoice']);

  await page.getByRole('link', { name: 'Audit log' }).click();
  const [log] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  const lines = fs.readFileSync((await log.path())!, 'utf8').replace(/^\ufeff/, '').trim().split('\r\n');
  assert.equal(lines[0], 'seq,time_utc,time_local,actor,action,description,details_json,hash');
  assert.equal(lines.length - 1, db().prepare('SELECT count(*) FROM audit_log').pluck().get());
  assert.ok(lines.some((l) => l.includes(',review.mark,Marked 1 message reviewed.,')), 'review marks read as sentences');
  assert.ok(lines.some((l) => l.includes(',search.save,')), 'saved searches are in the log');
});

async function importSource(source: string, custodian: string): Promise<void> {
  await importInApp(app, { source, tz: 'UTC', custodian });
}

test('a Slack thread reads as one exchange in the thread panel; a click goes to that reply in the conversation', { skip: NO_CHROMIUM }, async () => {
  await importSource(path.join(FIXTURES, 'slack', 'source_export_dir'), 'Slack admin');
  const [root, conversationId] = db()
    .prepare('SELECT p.id, p.conversation_id FROM messages p WHERE (SELECT count(*) FROM messages r WHERE r.reply_to_id = p.id) >= 2 ORDER BY p.id LIMIT 1')
    .raw()
    .get() as [number, number];
  const { replies } = getThread(app.ctx.session(), root);
  await page.evaluate(`location.hash = ${JSON.stringify(`#/conversation/${conversationId}?m=${root}`)}`);
  await page.getByRole('listbox', { name: 'Messages' }).locator('.bubble.current').waitFor();
  const panel = page.getByRole('region', { name: 'Thread' });
  await panel.getByText(new RegExp(`^${replies.length} replies to `)).waitFor();
  assert.equal(await panel.getByRole('listitem').count(), replies.length + 1, 'the root and every reply');
  const last = replies.at(-1)!;
  await panel.getByRole('listitem').last().getByRole('button').click();
  for (let i = 0; i < 50 && (await currentBubbleId(page)) !== last.id; i++) await page.waitForTimeout(100);
  assert.equal(await currentBubbleId(page), last.id, 'the reply is current in the conversation');
  await panel.locator('[aria-current="true"]').waitFor();
  await shot('18-team-16-thread-panel');
});

test('24-hour review units: a day opens at its first message and "Select day" selects exactly its messages for coding', { skip: NO_CHROMIUM }, async () => {
  const conversationId = db().prepare("SELECT id FROM conversations WHERE platform = 'whatsapp' ORDER BY id LIMIT 1").pluck().get() as number;
  await page.evaluate(`location.hash = ${JSON.stringify(`#/conversation/${conversationId}`)}`);
  const picker = page.getByLabel('Review unit (day)');
  await picker.waitFor();
  const day = listReviewUnits(app.ctx.session(), conversationId).find((u) => u.day === '2024-03-05')!;
  assert.equal(day.events, 4, 'the fixture has four messages on 5 March (London)');
  await picker.selectOption(day.key);
  const first = db().prepare('SELECT id FROM messages WHERE conversation_id = ? AND sent_at >= ? ORDER BY sent_at, id LIMIT 1').pluck().get(conversationId, Date.parse(day.firstAt)) as number;
  for (let i = 0; i < 50 && (await currentBubbleId(page)) !== first; i++) await page.waitForTimeout(100);
  assert.equal(await currentBubbleId(page), first, 'the day opens at its first message');
  await page.getByRole('button', { name: 'Select day' }).click();
  await page.getByText('4 selected messages').waitFor();
  await page.keyboard.press('4');
  const ids = db().prepare('SELECT id FROM messages WHERE conversation_id = ? AND sent_at >= ? AND sent_at < ? ORDER BY id').pluck().all(conversationId, Date.parse(day.from), Date.parse(day.to)) as number[];
  await until(() => ids.every((id) => (db().prepare("SELECT count(*) FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE t.name = 'Hot' AND mt.message_id = ?").pluck().get(id) as number) === 1), 'the whole day tagged Hot');
  await shot('18-team-17-review-units');
});

test('partial redaction by selecting words, and "redact all instances of …" in the conversation; productions leave exactly those spans out', { skip: NO_CHROMIUM }, async () => {
  const [id, conversationId, text] = db().prepare("SELECT id, conversation_id, text FROM messages WHERE text LIKE 'Sending now.%'").raw().get() as [number, number, string];
  await page.evaluate(`location.hash = ${JSON.stringify(`#/conversation/${conversationId}?m=${id}`)}`);
  await page.getByRole('listbox', { name: 'Messages' }).locator(`.msg-row[data-message-id="${id}"] .bubble.current`).waitFor();
  // A plain click makes it the one message acted on (the day selected before is let go).
  await page.locator(`.msg-row[data-message-id="${id}"] .bubble`).click({ position: { x: 4, y: 4 } });
  const side = page.getByRole('region', { name: 'Redactions' });
  await side.getByText('Select words in the message to redact only them.').waitFor();
  // The reviewer selects "4.2M" in the bubble.
  await page.evaluate(`(() => {
    const box = document.querySelector('.msg-row[data-message-id="${id}"] .text');
    const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode()) && !node.textContent.includes('4.2M')) {}
    const at = node.textContent.indexOf('4.2M');
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + 4);
    document.getSelection().removeAllRanges();
    document.getSelection().addRange(range);
  })()`);
  const start = text.indexOf('4.2M');
  await side.getByText(`Selected: “4.2M” (characters ${start}–${start + 4})`).waitFor();
  await side.getByLabel('Redaction reason').fill('Commercial terms');
  await side.getByRole('button', { name: 'Redact selection' }).click();
  await until(() => db().prepare('SELECT count(*) FROM redactions WHERE message_id = ?').pluck().get(id) === 1, 'one span mark');
  assert.deepEqual(db().prepare('SELECT start, "end", reason FROM redactions WHERE message_id = ?').get(id), { start, end: start + 4, reason: 'Commercial terms' });
  await page.locator(`.msg-row[data-message-id="${id}"] .redacted-span`).getByText('4.2M', { exact: true }).waitFor();
  await side.getByText(`“4.2M” (characters ${start}–${start + 4}): Commercial terms`).waitFor();
  await side.getByText('Select words in the message to redact only them.').waitFor();

  // Every "price" in this conversation, in either case.
  const expected = (db().prepare('SELECT id, text FROM messages WHERE conversation_id = ?').all(conversationId) as { id: number; text: string }[])
    .flatMap((m) => [...m.text.matchAll(/price/gi)].map((x) => ({ messageId: m.id, start: x.index, end: x.index + 5 })));
  assert.ok(expected.length >= 2);
  await side.getByLabel('Redaction reason').fill('Pricing');
  await side.getByLabel('Text to redact everywhere').fill('price');
  await side.getByLabel('Where to redact it').selectOption('conversation');
  await side.getByRole('button', { name: 'Redact all' }).click();
  await side.getByText(`Redacted ${expected.length} instances in ${new Set(expected.map((e) => e.messageId)).size} messages.`).waitFor();
  const marks = db().prepare("SELECT message_id AS messageId, start, \"end\" AS end FROM redactions WHERE reason = 'Pricing' ORDER BY message_id, start").all();
  assert.deepEqual(marks, expected);
  const entry = JSON.parse(db().prepare("SELECT details FROM audit_log WHERE action = 'redaction.add-all'").pluck().get() as string);
  assert.equal(entry.added, expected.length);
  assert.ok(!JSON.stringify(entry).includes('price'), 'the audit entry does not repeat the redacted text');
  await shot('18-team-19-redactions');
  // What a production writes for this message: both spans out, the rest intact.
  const produced = redactedPlain(text, loadRedactions(app.ctx.session(), [id]).get(id));
  assert.ok(!produced.includes('4.2M') && !/price/i.test(produced), produced);
  assert.ok(produced.includes('not 4.5M as in the draft'), produced);
});

test('the jobs tray asks before cancelling: "Keep it running" keeps it, "Cancel the job" rolls the import back', { skip: NO_CHROMIUM }, async () => {
  const before = db().prepare('SELECT count(*) FROM messages').pluck().get() as number;
  const big = writeWhatsAppExport(app.dir, 'Big', { messages: 300_000, seed: 7 });
  const job = app.ctx.jobs.start('import', 'Import Big', { source: big, tz: 'UTC' }, app.ctx.jobTarget());
  let finished: { state: string } | null = null;
  app.ctx.events.subscribe((e, p) => {
    if (e === 'job.finished' && (p as { id: string }).id === job.id) finished = p as { state: string };
  });
  const tray = page.getByRole('status', { name: 'Running jobs' });
  await tray.getByRole('button', { name: 'Cancel Import Big' }).click();
  const dialog = page.getByRole('dialog', { name: 'Cancel this job?' });
  await dialog.getByText('“Import Big” stops; nothing half-done stays in the case').waitFor();
  await shot('18-team-18-cancel-confirmation');
  await dialog.getByRole('button', { name: 'Keep it running' }).click();
  await dialog.waitFor({ state: 'detached' });
  assert.equal(finished, null, 'keeping it running did not cancel it');
  await tray.getByRole('button', { name: 'Cancel Import Big' }).click();
  await dialog.getByRole('button', { name: 'Cancel the job' }).click();
  await until(() => finished !== null, 'the job ended');
  assert.equal(finished!.state, 'cancelled');
  assert.equal(db().prepare('SELECT count(*) FROM messages').pluck().get(), before, 'the cancelled import left nothing');
  await tray.waitFor({ state: 'detached' });
});

test('no errors in the page', { skip: NO_CHROMIUM }, () => {
  assert.deepEqual(errors, []);
});
