/** An attachment's content in memory (for thumbnails), only when it is small enough. */
import type { DB } from '../case/store.ts';
import { openBlob } from '../case/blobs.ts';

export async function blobBuffer(db: DB, sha256: string, maxBytes: number): Promise<Buffer | null> {
  const meta = db.prepare('SELECT size FROM blobs WHERE sha256 = ?').get(sha256) as { size: number } | undefined;
  if (!meta || meta.size > maxBytes) return null;
  const parts: Buffer[] = [];
  for await (const chunk of openBlob(db, sha256)) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}
