/**
 * End-to-end plumbing: the renderer built fresh into a temporary folder, the loopback server over
 * a real app context, and Debian's Chromium driven by playwright-core with a throwaway profile.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { buildPage, buildRenderer } from '../../scripts/bundles.ts';
import { AppContext } from '../../src/app/app-context.ts';
import { connectFromApp } from '../../src/server/matter/connect.ts';
import { startServer } from '../../src/server/server.ts';
import type { RunningServer } from '../../src/server/server.ts';
import { ROOT, tempDir } from '../helpers/case.ts';
import { writeWhatsAppZip } from './fixture.ts';

export const CHROMIUM = process.env.HOLDFAST_CHROMIUM ?? '/usr/bin/chromium';
export const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);
export const NO_CHROMIUM = HAVE_CHROMIUM ? false : `no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set HOLDFAST_CHROMIUM)`;

/** The app's renderer, built from the current sources (never a stale dist/). */
export async function builtRenderer(): Promise<string> {
  const out = path.join(tempDir('holdfast-renderer-'), 'renderer');
  await buildRenderer(out);
  return out;
}

/** A component test page: `entry` bundled with the app's stylesheet into its own folder. */
export async function builtTestPage(entry: string): Promise<string> {
  const out = path.join(tempDir('holdfast-page-'), 'page');
  await buildPage({ entry: path.join(ROOT, entry), outDir: out, name: 'app', title: 'Component test', html: 'index.html', minify: false });
  return out;
}

/** `trustCertificates`: accept a test server's self-signed certificate (the matter server's). */
export async function launch(opts: { width?: number; height?: number; colorScheme?: 'light' | 'dark'; trustCertificates?: boolean } = {}): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await chromium.launchPersistentContext(tempDir('holdfast-chromium-'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: opts.width ?? 1400, height: opts.height ?? 860 },
    colorScheme: opts.colorScheme ?? 'light',
    ignoreHTTPSErrors: opts.trustCertificates ?? false,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()} ${new URL(r.url()).pathname}`);
  });
  return { context, page, errors };
}

export interface AppUnderTest {
  ctx: AppContext;
  server: RunningServer;
  dir: string;
  close(): Promise<void>;
}

/** `holdfast serve` without a case, in this process (the UI then opens or creates one). */
export async function serveApp(rendererDir: string): Promise<AppUnderTest> {
  const dir = tempDir('holdfast-e2e-');
  const ctx = new AppContext({ host: { kind: 'loopback', connectMatter: connectFromApp }, configDir: path.join(dir, 'config') });
  const server = await startServer({ ctx, rendererDir });
  return {
    ctx,
    server,
    dir,
    async close() {
      await server.close();
      await ctx.shutdown();
    },
  };
}

/** Where screenshots go: HOLDFAST_SCREENSHOTS, else tmp/e2e-screenshots in the checkout (ignored by git). */
export function screenshotDir(): string {
  const dir = process.env.HOLDFAST_SCREENSHOTS ?? path.join(ROOT, 'tmp', 'e2e-screenshots');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Runs an import in the app context (as the wizard does) and waits until it has finished. */
export async function importInApp(app: AppUnderTest, params: { source: string; tz: string; custodian?: string }): Promise<void> {
  const job = app.ctx.jobs.start('import', 'import', params, app.ctx.jobTarget());
  await new Promise<void>((resolve) => app.ctx.events.subscribe((e, p) => e === 'job.finished' && (p as { id: string }).id === job.id && resolve()));
}

/** Polls a condition of this process (the case, not the page) for up to ten seconds; fails saying `what`. */
export async function until(ok: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100 && !ok(); i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(ok(), what);
}

/** Opens a search by its address, oldest first, and waits for the current row. */
export async function openSearch(page: Page, q: string): Promise<void> {
  await page.evaluate(`location.hash = ${JSON.stringify(`#/search?q=${encodeURIComponent(q)}&sort=time-asc`)}`);
  await page.getByRole('grid', { name: 'Search results' }).locator('.grid-row.current').waitFor();
}

/** The message id of the bubble marked current in the conversation view. */
export async function currentBubbleId(page: Page): Promise<number> {
  const row = page.getByRole('listbox', { name: 'Messages' }).locator('.msg-row:has(.bubble.current)');
  return Number(await row.getAttribute('data-message-id'));
}

/**
 * The app with a new case of the standard WhatsApp export (custodian Alex Morgan, Europe/London) open
 * in Chromium at the search page: the setup most review tests share.
 */
export async function reviewAppWithWhatsApp(file: string, passphrase: string): Promise<{ app: AppUnderTest; source: string; context: BrowserContext; page: Page; errors: string[] }> {
  const app = await serveApp(await builtRenderer());
  const source = await writeWhatsAppZip(app.dir);
  await app.ctx.create(path.join(app.dir, file), passphrase, { name: 'Falcon', displayTz: 'Europe/London' });
  await importInApp(app, { source, tz: 'Europe/London', custodian: 'Alex Morgan' });
  const { context, page, errors } = await launch();
  await page.goto(app.server.url);
  await page.getByRole('searchbox', { name: 'Search' }).waitFor();
  return { app, source, context, page, errors };
}
