/**
 * An attachment's content for the UI, by id, streamed from the encrypted case (never through API
 * values, never via a temporary file), with headers that keep it from running as part of the app:
 * only media types the browser shows safely are inline; everything else downloads.
 */
import type { Readable } from 'node:stream';
import { HoldfastError } from '../api/errors.ts';
import { openBlob } from '../case/blobs.ts';
import { dataOf } from '../case/data/index.ts';
import type { CaseSession } from '../case/session.ts';

const INLINE = new Set([
  'image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp', 'image/avif',
  'audio/mpeg', 'audio/mp4', 'audio/aac', 'audio/ogg', 'audio/wav', 'audio/webm', 'audio/opus',
  'video/mp4', 'video/webm', 'video/ogg', 'video/quicktime',
]);

export interface AttachmentContent {
  stream: Readable;
  size: number;
  headers: Record<string, string>;
}

export function attachmentContent(session: CaseSession, attachmentId: number, opts: { download?: boolean } = {}): AttachmentContent {
  const data = dataOf(session);
  const row = data.read.blobs.attachment(attachmentId);
  if (!row) throw new HoldfastError('NOT_FOUND', `There is no attachment ${attachmentId} in this case.`, { attachmentId });
  if (!row.sha256 || row.size === null) throw new HoldfastError('NOT_FOUND', `The content of attachment ${attachmentId} (${row.name}) was not in the source.`, { attachmentId });
  const mime = row.mime && /^[a-z]+\/[a-z0-9.+-]+$/i.test(row.mime) ? row.mime.toLowerCase() : 'application/octet-stream';
  const inline = !opts.download && INLINE.has(mime);
  return {
    stream: openBlob(data, row.sha256),
    size: row.size,
    headers: {
      'Content-Type': mime,
      'Content-Length': String(row.size),
      'Content-Disposition': contentDisposition(inline ? 'inline' : 'attachment', row.name),
      'X-Content-Type-Options': 'nosniff',
      // Opened on its own, content runs in an opaque origin with nothing allowed.
      'Content-Security-Policy': "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox",
      'Cache-Control': 'no-store',
    },
  };
}

/** RFC 6266: an ASCII fallback and the exact UTF-8 name. */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const clean = name.replace(/[\u0000-\u001f\u007f"\\/]/g, '_').trim() || 'attachment';
  const ascii = clean.replace(/[^\x20-\x7e]/g, '_');
  const encoded = encodeURIComponent(clean).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
