/** The conversation view's timeline in Chromium: bubbles by direction, day separators in the case zone, replies, reactions, edits, deletions, images, hits, keys. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { NO_CHROMIUM } from '../e2e/browser.ts';
import { pageUnderTest, smsCase } from './harness.ts';
import type { PageUnderTest } from './harness.ts';

const TZ = 'Europe/London';
let p: PageUnderTest;
let imageId: number;

/** The synthetic messages' times, as the page makes them (kept in step with pages/timeline.tsx). */
function sentAt(i: number): number {
  return Date.UTC(2024, 6, 1 + Math.floor(i / 20), 22, 50) + (i % 20) * 3 * 60_000;
}
const dayIn = (ms: number, tz: string) => new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);

before(async () => {
  if (NO_CHROMIUM) return;
  p = await pageUnderTest('test/components/pages/timeline.tsx');
  imageId = (await smsCase(p.app)).photoAttachmentId;
  await p.open({ total: 60, tz: TZ, image: imageId });
  await p.page.getByRole('listbox', { name: 'Messages' }).locator('.bubble').first().waitFor();
});
after(() => p?.close());

const bubble = (id: number) => p.page.locator(`[data-message-id="${id}"] .bubble`);

test('outgoing messages sit right, incoming left, system events centred', { skip: NO_CHROMIUM }, async () => {
  const out = (await bubble(1001).boundingBox())!;
  const inc = (await bubble(1003).boundingBox())!;
  const sys = (await bubble(1005).boundingBox())!;
  const list = (await p.page.getByRole('listbox', { name: 'Messages' }).boundingBox())!;
  assert.ok(out.x + out.width > list.x + list.width - 40, 'out on the right');
  assert.ok(inc.x < list.x + 40, 'in on the left');
  assert.ok(Math.abs(sys.x + sys.width / 2 - (list.x + list.width / 2)) < 30, 'system centred');
  assert.equal(await bubble(1005).textContent(), 'Dana Whitfield added Lee' + (await bubble(1005).locator('.meta').textContent()));
});

test('a day separator exactly where the day changes in the case time zone', { skip: NO_CHROMIUM }, async () => {
  const rows = p.page.getByRole('option');
  const n = await rows.count();
  assert.ok(n >= 5);
  for (let k = 0; k < n; k++) {
    const row = rows.nth(k);
    const i = Number(await row.getAttribute('aria-posinset')) - 1;
    const expected = i === 0 || dayIn(sentAt(i - 1), TZ) !== dayIn(sentAt(i), TZ);
    assert.equal(await row.getByRole('separator').count(), expected ? 1 : 0, `message ${i}`);
  }
  // In UTC the days would change elsewhere: the zone matters.
  assert.notEqual(dayIn(sentAt(19), TZ), dayIn(sentAt(19), 'UTC'));
});

test('replies quote their target and jump to it; reactions show (removed ones do not); edits open their history; deletions are marked', { skip: NO_CHROMIUM }, async () => {
  const reply = bubble(1008).locator('.reply');
  assert.match((await reply.textContent()) ?? '', /Dana Whitfield: Message 3 about the shipment/);
  await reply.getByRole('button', { name: 'Go to the message replied to' }).click();
  assert.deepEqual(await p.page.evaluate('window.__page.jumps'), [1003]);
  const reactions = p.page.locator('[data-message-id="1004"]').getByLabel('Reactions');
  assert.equal(await reactions.textContent(), '👍');
  await bubble(1006).getByRole('button', { name: 'Edit history' }).click();
  await bubble(1006).getByText('Message 6 about the shipmnet').waitFor();
  await bubble(1007).getByText('This message was deleted').waitFor();
  assert.equal(await bubble(1007).locator('.badge').textContent(), 'deleted');
  assert.equal(await bubble(1004).locator('.tag-chip').textContent(), 'Hot');
});

test('an image attachment loads inline from the server by id, and downloads under its name', { skip: NO_CHROMIUM }, async () => {
  const img = bubble(1009).getByRole('img', { name: 'pallets.png' });
  await img.waitFor();
  assert.equal(await img.getAttribute('src'), `attachments/${imageId}`);
  await p.page.waitForFunction(`(() => { const i = document.querySelector('img[alt="pallets.png"]'); return i && i.complete && i.naturalWidth === 64; })()`);
  assert.equal(await bubble(1009).getByRole('link').getAttribute('download'), 'pallets.png');
});

test('hits are marked and highlighted; the current message moves with j/k; clicks select', { skip: NO_CHROMIUM }, async () => {
  assert.match((await bubble(1001).getAttribute('class')) ?? '', /\bhit\b/);
  assert.equal(await bubble(1001).locator('mark').textContent(), 'shipment');
  assert.equal(await bubble(1002).locator('mark').count(), 0, 'not a hit: no highlight');
  // Ranges are offsets into the whole text: they still land right after a redacted part.
  assert.deepEqual(await bubble(1008).locator('.text mark').allTextContents(), ['8', 'shipment']);
  assert.equal(await bubble(1008).locator('.text .redacted-span').textContent(), 'Message');
  assert.match((await bubble(1008).getAttribute('class')) ?? '', /\bcurrent\b/);
  const list = p.page.getByRole('listbox', { name: 'Messages' });
  await list.focus();
  await p.page.keyboard.press('j');
  await p.page.waitForFunction(`document.querySelector('[data-message-id="1009"] .bubble.current') !== null`);
  assert.equal(await list.getAttribute('aria-activedescendant'), 'msg-9');
  await p.page.keyboard.press('k');
  await p.page.keyboard.press('k');
  await p.page.waitForFunction(`document.querySelector('[data-message-id="1007"] .bubble.current') !== null`);
  await bubble(1002).click();
  assert.deepEqual(await p.page.evaluate('window.__page.selected'), [1002]);
  assert.equal(await p.page.locator('[aria-posinset="3"]').getAttribute('aria-selected'), 'true');
  assert.deepEqual(p.errors, []);
});

test('an email message shows its To and Cc recipients (name and address; an address alone when no name)', { skip: NO_CHROMIUM }, async () => {
  const recipients = bubble(1003).getByLabel('Recipients');
  assert.equal(await recipients.textContent(), 'To: Dana Whitfield <dana@example.com>Cc: lee@example.com');
  assert.equal(await bubble(1002).getByLabel('Recipients').count(), 0);
});
