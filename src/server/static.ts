/** Serves the built renderer: only files inside its folder (no `..`, no encoded escapes, no symlinks out). */
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { RENDERER_CSP } from '../api/wire.ts';
import { COMMON_HEADERS } from './http.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeOf(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file under `root` that `urlPath` (still percent-encoded) names, or null when it is outside
 * `root`, malformed or missing. Paths without an extension are the single-page app's: index.html.
 */
export function resolveStatic(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..' || s === '.')) return null;
  const rootReal = fs.realpathSync(root);
  let rel = decoded.replace(/^\/+/, '');
  if (rel === '' || !path.extname(rel)) rel = 'index.html';
  const candidate = path.resolve(rootReal, rel);
  if (!isInside(rootReal, candidate)) return null;
  let real: string;
  try {
    real = fs.realpathSync(candidate);
  } catch {
    return null;
  }
  if (!isInside(rootReal, real) || !fs.statSync(real).isFile()) return null;
  return real;
}

export function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** Answers a GET or HEAD with a file resolveStatic found: its type, length, the renderer's CSP on HTML, and `headers`. */
export async function sendStatic(req: IncomingMessage, res: ServerResponse, file: string, headers: Record<string, string> = {}): Promise<void> {
  const type = contentTypeOf(file);
  res.writeHead(200, {
    ...COMMON_HEADERS,
    'Content-Type': type,
    'Content-Length': String(fs.statSync(file).size),
    ...(type.startsWith('text/html') ? { 'Content-Security-Policy': RENDERER_CSP } : {}),
    ...headers,
  });
  if (req.method === 'HEAD') return void res.end();
  await pipeline(fs.createReadStream(file), res);
}
