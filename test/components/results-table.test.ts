/** The results table in Chromium over a million rows: few DOM rows, lazy pages, scrolling to the end, sorting, safe snippets. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { NO_CHROMIUM } from '../e2e/browser.ts';
import { pageUnderTest } from './harness.ts';
import type { PageUnderTest } from './harness.ts';

const TOTAL = 1_000_000;
let p: PageUnderTest;

before(async () => {
  if (NO_CHROMIUM) return;
  p = await pageUnderTest('test/components/pages/results-table.tsx');
  await p.open({ total: TOTAL });
  await p.page.getByRole('grid', { name: 'Search results' }).locator('mark').first().waitFor();
});
after(() => p?.close());

const rowsInDom = () => p.page.getByRole('grid', { name: 'Search results' }).locator('[role=row][aria-rowindex]:not([aria-rowindex="1"])').count();
const requested = async () => (await p.page.evaluate('window.__page.requested')) as [number, number][];

test('a million results: the exact row count, a screenful of rows in the DOM, only visible pages asked for', { skip: NO_CHROMIUM }, async () => {
  const grid = p.page.getByRole('grid', { name: 'Search results' });
  assert.equal(await grid.getAttribute('aria-rowcount'), String(TOTAL + 1));
  const n = await rowsInDom();
  assert.ok(n > 10 && n < 70, `${n} rows in the DOM`);
  for (const [from, to] of await requested()) assert.ok(to - from < 70 && from < 100, `asked for ${from}..${to}`);
});

test('End jumps to the last row; still a screenful of rows; only the end was fetched', { skip: NO_CHROMIUM }, async (t) => {
  const grid = p.page.getByRole('grid', { name: 'Search results' });
  await grid.focus();
  await p.page.keyboard.press('End');
  const last = grid.locator(`[role=row][aria-rowindex="${TOTAL + 1}"]`);
  await last.waitFor();
  await last.getByText(`Row ${TOTAL - 1}:`).waitFor();
  assert.ok((await rowsInDom()) < 70);
  const asked = await requested();
  assert.ok(asked.every(([from, to]) => from < 100 || from > TOTAL - 100), JSON.stringify(asked));
  // How long frames take while the wheel flings through the middle (reported, not asserted).
  const frames = (await p.page.evaluate(`(async () => {
    const el = document.querySelector('[role=grid]');
    el.scrollTop = el.scrollHeight / 2;
    const times = [];
    let last = performance.now();
    for (let i = 0; i < 60; i++) {
      el.scrollTop += 900;
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      times.push(now - last);
      last = now;
    }
    return times.sort((a, b) => a - b);
  })()`)) as number[];
  t.diagnostic(`frame times while scrolling 1M rows: median ${frames[30]?.toFixed(1)} ms, worst ${frames.at(-1)?.toFixed(1)} ms`);
  assert.ok((await rowsInDom()) < 70);
});

test('sorting by time cycles ascending, descending, relevance; aria-sort follows', { skip: NO_CHROMIUM }, async () => {
  const header = p.page.getByRole('columnheader', { name: /Time/ });
  assert.equal(await header.getAttribute('aria-sort'), 'none');
  await header.getByRole('button').click();
  await p.page.waitForFunction(`document.querySelector('[role=columnheader][aria-sort="ascending"]') !== null`);
  await header.getByRole('button').click();
  await p.page.waitForFunction(`document.querySelector('[role=columnheader][aria-sort="descending"]') !== null`);
  await header.getByRole('button').click();
  assert.deepEqual(await p.page.evaluate('window.__page.sorts'), ['time-asc', 'time-desc', 'relevance']);
  assert.equal(await p.page.getByRole('columnheader', { name: 'Conversation' }).getAttribute('aria-sort'), null);
});

test('snippets show marked hits as text (never as HTML); tags; double-click opens', { skip: NO_CHROMIUM }, async () => {
  await p.open({ total: 50 });
  const grid = p.page.getByRole('grid', { name: 'Search results' });
  const row = grid.locator('[role=row][aria-rowindex="4"]');
  await row.getByText('Row 2: the <shipment>').waitFor();
  assert.equal(await row.locator('mark').textContent(), 'invoice');
  assert.equal(await grid.locator('shipment').count(), 0, 'escaped text stays text');
  assert.equal(await grid.locator('[role=row][aria-rowindex="4"] .tag-chip').textContent(), 'Hot');
  await row.dblclick();
  assert.deepEqual(await p.page.evaluate('window.__page.opened'), [3]);
  assert.deepEqual(p.errors, []);
});
