/**
 * The reviewer's screen at scale (issue 10): the app in Debian's Chromium over the loopback
 * transport, on a case of the bench corpus (one group chat, so its conversation view holds every
 * message). Measures, in the page:
 *   - Enter in the search box (the form submitted) → the first result row with its highlight
 *     painted (two animation frames after it enters the DOM), for a common word (238k hits at 1M);
 *   - scrolling the virtualised results table, then the conversation view, at a steady 4,000 px a
 *     second for three seconds, and one jump to the middle: frame intervals (p50/p95) and the most
 *     rows or bubbles ever in the DOM.
 *
 *   node test/bench/ui.ts CASE [QUERY]    prints a table and one JSON line (npm run bench calls it)
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtRenderer, launch, NO_CHROMIUM } from '../e2e/browser.ts';
import { AppContext } from '../../src/app/app-context.ts';
import { startServer } from '../../src/server/server.ts';
import { tempDir } from '../helpers/case.ts';
import type { Page } from 'playwright-core';

const KEY = 'bench-passphrase';

export interface UiResult {
  query: string;
  firstPaintMs: number[];
  results: Scrolled;
  conversation: Scrolled;
}

interface Scrolled {
  frames: number;
  p50: number;
  p95: number;
  maxInDom: number;
  jumpMs: number;
  /** How far the three seconds of scrolling went (the list really moved). */
  scrolledPx: number;
}

// Browser-side code is passed as strings: this file is type-checked without the DOM library, and
// the page's CSP refuses eval, which Playwright's function polling would need.

/** Arms a probe: Enter in the search box starts the clock; the first highlighted row, painted, stops it. */
const ARM_FIRST_PAINT = `(() => {
  window.__firstPaint = null;
  const box = document.querySelector('input[type=search]');
  const start = performance.now();
  const seen = () => document.querySelector('[role=grid] [role=row] mark');
  const obs = new MutationObserver(() => {
    if (!seen()) return;
    obs.disconnect();
    requestAnimationFrame(() => requestAnimationFrame(() => { window.__firstPaint = performance.now() - start; }));
  });
  obs.observe(document.body, { childList: true, subtree: true, characterData: true });
  box.form.requestSubmit();
})()`;

/** Scrolls the nearest scrollable ancestor of `selector` and records frame intervals and DOM size. */
function scrollProbe(selector: string, item: string): string {
  return `(async () => {
    let el = document.querySelector(${JSON.stringify(selector)});
    while (el && el.scrollHeight <= el.clientHeight + 1) el = el.parentElement;
    if (!el) throw new Error('nothing scrollable under ${selector}');
    const count = () => document.querySelectorAll(${JSON.stringify(item)}).length;
    const frames = [];
    let maxInDom = count();
    await new Promise((done) => {
      let last = performance.now();
      const t0 = last;
      const step = (now) => {
        frames.push(now - last);
        last = now;
        el.scrollTop += 4000 * (frames[frames.length - 1] / 1000);
        maxInDom = Math.max(maxInDom, count());
        if (now - t0 < 3000) requestAnimationFrame(step); else done();
      };
      requestAnimationFrame(step);
    });
    const scrolledPx = Math.round(el.scrollTop);
    const jumpStart = performance.now();
    el.scrollTop = el.scrollHeight / 2;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const jumpMs = performance.now() - jumpStart;
    maxInDom = Math.max(maxInDom, count());
    frames.shift();
    frames.sort((a, b) => a - b);
    const at = (p) => frames[Math.min(frames.length - 1, Math.floor(p * frames.length))];
    return { frames: frames.length, p50: at(0.5), p95: at(0.95), maxInDom, jumpMs, scrolledPx };
  })()`;
}

async function waitFor<T>(page: Page, expr: string, ms = 60_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = (await page.evaluate(expr)) as T | null;
    if (v !== null && v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${expr}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function uiBenchmark(casePath: string, query = 'price'): Promise<UiResult> {
  if (NO_CHROMIUM) throw new Error(String(NO_CHROMIUM));
  const ctx = new AppContext({ host: { kind: 'loopback' }, configDir: path.join(tempDir('holdfast-ui-bench-'), 'config') });
  await ctx.open(casePath, KEY);
  const server = await startServer({ ctx, rendererDir: await builtRenderer() });
  const { context, page } = await launch({ width: 1400, height: 860 });
  try {
    await page.goto(server.url);
    const box = page.getByRole('searchbox', { name: 'Search' });
    await box.waitFor();
    const firstPaintMs: number[] = [];
    // Each query text once (a repeated query could be answered by a cache): the word, then variants.
    for (const q of [query, `${query} OR zzzz1`, `${query} OR zzzz2`, `${query} OR zzzz3`, `${query} OR zzzz4`]) {
      // A query without hits first, so the previous results' highlights are gone from the table.
      await box.fill('qqqqnohits');
      await page.evaluate(`document.querySelector('input[type=search]').form.requestSubmit()`);
      await waitFor(page, `document.querySelector('[role=grid] [role=row] mark') ? null : true`);
      await box.fill(q);
      await page.evaluate(ARM_FIRST_PAINT);
      firstPaintMs.push(await waitFor<number>(page, 'window.__firstPaint'));
    }
    const results = (await page.evaluate(scrollProbe('[role=grid]', '[role=grid] [role=row]'))) as Scrolled;
    await page.getByRole('grid', { name: 'Search results' }).focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    await page.getByRole('listbox', { name: 'Messages' }).locator('.bubble').first().waitFor();
    const conversation = (await page.evaluate(scrollProbe('[role=listbox]', '[role=listbox] .bubble'))) as Scrolled;
    return { query, firstPaintMs, results, conversation };
  } finally {
    await context.close();
    await server.close();
    await ctx.shutdown();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [casePath, query] = process.argv.slice(2);
  if (!casePath) throw new Error('usage: node test/bench/ui.ts CASE [QUERY]');
  const r = await uiBenchmark(casePath, query);
  const f = (n: number) => n.toFixed(1);
  console.log(`first results painted after Enter (ms): ${r.firstPaintMs.map(f).join(', ')}`);
  for (const [name, s] of [['results table', r.results], ['conversation', r.conversation]] as const) {
    console.log(`${name}: ${s.frames} frames, interval p50 ${f(s.p50)} / p95 ${f(s.p95)} ms, ${s.scrolledPx} px scrolled, at most ${s.maxInDom} in the DOM, jump to the middle ${f(s.jumpMs)} ms`);
  }
  console.log(JSON.stringify(r));
}
