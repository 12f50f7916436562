/**
 * The app:// protocol: the built renderer (path-traversal guarded, with the CSP header) and
 * attachment content by id, streamed from the encrypted case (or from the matter server the app is
 * connected to). Nothing else is reachable.
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { protocol } from 'electron';
import { ATTACHMENT_PATH, RENDERER_CSP } from '../src/api/wire.ts';
import { toErrorDTO } from '../src/api/errors.ts';
import type { AppContext } from '../src/app/app-context.ts';
import { contentTypeOf, resolveStatic } from '../src/server/static.ts';
import { APP_HOST, APP_SCHEME } from './channels.ts';

const HEADERS = { 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' };

/** Call before the app is ready. */
export function registerScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }]);
}

export function handleProtocol(ctx: AppContext, rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST || request.method !== 'GET') return text(404, 'Not found.');
    if (url.pathname.startsWith(ATTACHMENT_PATH)) return attachment(ctx, url);
    const file = resolveStatic(rendererDir, url.pathname);
    if (!file) return text(404, 'Not found.');
    const type = contentTypeOf(file);
    return new Response(fs.readFileSync(file), {
      headers: { ...HEADERS, 'Content-Type': type, ...(type.startsWith('text/html') ? { 'Content-Security-Policy': RENDERER_CSP } : {}) },
    });
  });
}

async function attachment(ctx: AppContext, url: URL): Promise<Response> {
  const id = Number(url.pathname.slice(ATTACHMENT_PATH.length));
  if (!Number.isSafeInteger(id) || id <= 0) return text(404, 'Not found.');
  try {
    const content = await ctx.attachment(id, { download: url.searchParams.get('download') === '1' });
    return new Response(Readable.toWeb(content.stream) as ReadableStream<Uint8Array>, { headers: { ...HEADERS, ...content.headers } });
  } catch (err) {
    const e = toErrorDTO(err);
    return text(e.code === 'NOT_FOUND' ? 404 : 409, e.message);
  }
}

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { ...HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}
