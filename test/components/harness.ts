/** A component test page built from test/components/pages, served by the real loopback server, in Chromium. */
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { builtTestPage, launch, serveApp } from '../e2e/browser.ts';
import type { AppUnderTest } from '../e2e/browser.ts';
import { writeSmsBackup } from '../helpers/sms-backup.ts';
import { makePng } from '../helpers/images.ts';

export interface PageUnderTest {
  app: AppUnderTest;
  context: BrowserContext;
  page: Page;
  errors: string[];
  /** Opens the page with these query parameters (the token is already a cookie). */
  open(query?: Record<string, string | number>): Promise<void>;
  close(): Promise<void>;
}

export async function pageUnderTest(entry: string): Promise<PageUnderTest> {
  const app = await serveApp(await builtTestPage(entry));
  const { context, page, errors } = await launch();
  await page.goto(app.server.url);
  const base = `http://${app.server.appHost}/`;
  return {
    app,
    context,
    page,
    errors,
    async open(query = {}) {
      // What the first visit (made only to receive the token cookie) logged is not the test's.
      errors.length = 0;
      const q = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
      await page.goto(`${base}?${q}`);
    },
    async close() {
      await context.close();
      await app.close();
    },
  };
}

/** A real encrypted case with three SMS from Pat and an MMS photo, opened in the app context. */
export async function smsCase(app: AppUnderTest): Promise<{ photoAttachmentId: number; messageIds: number[] }> {
  await app.ctx.create(path.join(app.dir, 'components.hfcase'), 'component passphrase', { name: 'Components', displayTz: 'UTC' });
  const t = Date.UTC(2024, 4, 6, 9);
  const source = writeSmsBackup(
    path.join(app.dir, 'sms.xml'),
    [
      { address: '+15551230000', contact: 'Pat', date: t, body: 'Did the invoice go out?' },
      { address: '+15551230000', contact: 'Pat', date: t + 60_000, body: 'Call me about the invoice', out: true },
      { address: '+15551230000', contact: 'Pat', date: t + 120_000, body: 'The invoice total is wrong' },
    ],
    [{ address: '+15551230000', contact: 'Pat', date: t + 180_000, text: 'pallets', parts: [{ name: 'pallets.png', ct: 'image/png', data: makePng(64, 40, (x, y) => [x * 4, y * 6, 160]) }] }],
  );
  const job = app.ctx.jobs.start('import', 'import', { source, tz: 'UTC' }, app.ctx.jobTarget());
  await new Promise<void>((resolve) => app.ctx.events.subscribe((e, p) => e === 'job.finished' && (p as { id: string }).id === job.id && resolve()));
  const db = app.ctx.session().db;
  return {
    photoAttachmentId: db.prepare("SELECT id FROM attachments WHERE name = 'pallets.png'").pluck().get() as number,
    messageIds: db.prepare("SELECT id FROM messages WHERE text LIKE '%invoice%' ORDER BY sent_at").pluck().all() as number[],
  };
}
