/** What travels over the loopback transport, and the URLs the UI uses for binary content. */
import type { Envelope } from './contract.ts';

export const WS_PATH = '/ws';
export const API_PATH = '/api/';
export const ATTACHMENT_PATH = '/attachments/';

/**
 * The renderer's Content-Security-Policy (HTTP header on both transports; the build writes it into
 * index.html's meta too): no inline script or style, nothing from anywhere but the app itself.
 */
export const RENDERER_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; media-src 'self'; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export type ClientFrame = { type: 'call'; id: number; method: string; args: unknown };
export type ServerFrame = { type: 'result'; id: number; envelope: Envelope } | { type: 'event'; event: string; payload: unknown };

/**
 * Where the UI loads an attachment's content: relative, so the same renderer works from the
 * loopback server (http://127.0.0.1:PORT/) and from the desktop app's app:// protocol.
 */
export function attachmentUrl(attachmentId: number, opts: { download?: boolean } = {}): string {
  return `${ATTACHMENT_PATH.slice(1)}${attachmentId}${opts.download ? '?download=1' : ''}`;
}
