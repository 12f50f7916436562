/** An attachment's content in memory (for thumbnails), only when it is small enough. */
import { openBlob } from '../case/blobs.ts';
import { dataOf } from '../case/data/index.ts';
import type { CaseSession } from '../case/session.ts';

export async function blobBuffer(session: CaseSession, sha256: string, maxBytes: number): Promise<Buffer | null> {
  const size = dataOf(session).read.produced.blobSize(sha256);
  if (size === undefined || size > maxBytes) return null;
  const parts: Buffer[] = [];
  for await (const chunk of openBlob(dataOf(session), sha256)) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}
