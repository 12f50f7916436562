/** What both servers (loopback and matter) share: security headers, plain and JSON bodies, the HTTP status of an API error, and reading a call frame. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClientFrame } from '../api/wire.ts';

export const COMMON_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

export function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...COMMON_HEADERS, ...headers, 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(body);
}

export function json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value), headers);
}

/** HTTP status for an API error (the body always carries the exact code). */
export function statusOf(code: string): number {
  switch (code) {
    case 'VALIDATION':
      return 400;
    case 'NOT_FOUND':
      return 404;
    case 'UNAUTHENTICATED':
      return 401;
    case 'BAD_PASSPHRASE':
    case 'FORBIDDEN':
      return 403;
    case 'CASE_BUSY':
    case 'CASE_NOT_OPEN':
    case 'HOLD_VIOLATION':
      return 409;
    case 'INTERNAL':
      return 500;
    default:
      return 422;
  }
}

/** The request target as a URL; only origin-form ("/path?query") targets are accepted. */
export function requestUrl(req: IncomingMessage): URL | null {
  const target = req.url ?? '';
  if (!target.startsWith('/') || target.startsWith('//')) return null;
  return new URL(`http://placeholder${target}`);
}

/** A WebSocket message as a call frame, or null for anything else (binary, not JSON, another shape). */
export function callFrame(data: unknown, isBinary: boolean): ClientFrame | null {
  if (isBinary) return null;
  try {
    const frame = JSON.parse(String(data)) as ClientFrame;
    return frame?.type === 'call' && Number.isSafeInteger(frame.id) && typeof frame.method === 'string' ? frame : null;
  } catch {
    return null;
  }
}

/** The value of the cookie `name` the request carries, as sent (undefined without one). */
export function cookieOf(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** What a browser says of a request from elsewhere (Sec-Fetch-Site other than same-origin or none), or null. */
export function crossSiteFetch(req: IncomingMessage): string | null {
  const site = req.headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none' ? null : String(site);
}
