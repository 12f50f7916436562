/**
 * Attachments live inside the encrypted case, content-addressed by SHA-256, in 1 MiB chunks so a
 * 2 GB video neither meets SQLite's blob limit nor has to fit in memory, in or out.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { CaseData } from './data/interface.ts';

export const CHUNK_SIZE = 1024 * 1024;

export interface StoredBlob {
  sha256: string;
  size: number;
  /** False when identical content was already in the case. */
  added: boolean;
}

/**
 * Streams `input` into the case. The caller decides the transaction boundaries; chunks are written
 * under a staging key and renamed to their hash once it is known.
 */
export async function putBlob(data: CaseData, input: AsyncIterable<Buffer | Uint8Array | string>, meta: { mime?: string | undefined; runId?: number | undefined; maxBytes?: number }): Promise<StoredBlob> {
  const staging = `staging:${randomUUID()}`;
  const insert = data.write.blobContent.chunkWriter(staging);
  const hash = createHash('sha256');
  let size = 0;
  let seq = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = (final: boolean) => {
    while (pendingBytes >= CHUNK_SIZE || (final && pendingBytes > 0)) {
      const all = Buffer.concat(pending);
      const chunk = all.subarray(0, Math.min(CHUNK_SIZE, all.length));
      insert(seq++, chunk);
      const rest = all.subarray(chunk.length);
      pending = rest.length ? [Buffer.from(rest)] : [];
      pendingBytes = rest.length;
    }
  };
  try {
    for await (const part of input) {
      const buf = typeof part === 'string' ? Buffer.from(part) : Buffer.from(part.buffer, part.byteOffset, part.byteLength);
      size += buf.length;
      if (meta.maxBytes !== undefined && size > meta.maxBytes) throw new BlobTooLargeError(meta.maxBytes);
      hash.update(buf);
      pending.push(buf);
      pendingBytes += buf.length;
      flush(false);
    }
    flush(true);
  } catch (err) {
    data.write.blobContent.dropChunks(staging);
    throw err;
  }
  const sha256 = hash.digest('hex');
  if (data.read.blobContent.exists(sha256)) {
    data.write.blobContent.dropChunks(staging);
    return { sha256, size, added: false };
  }
  data.write.blobContent.keepStaged(staging, { sha256, size, mime: meta.mime ?? null, chunks: seq, runId: meta.runId ?? null });
  return { sha256, size, added: true };
}

export class BlobTooLargeError extends Error {
  readonly limit: number;
  constructor(limit: number) {
    super(`content is larger than the limit of ${limit} bytes`);
    this.limit = limit;
  }
}

/** Reads a blob back chunk by chunk; memory stays at one chunk. */
export function openBlob(data: CaseData, sha256: string): Readable {
  const blobs = data.read.blobContent;
  const read = blobs.chunkReader(sha256);
  const chunks = blobs.chunkCount(sha256);
  if (chunks === undefined) throw new Error(`blob ${sha256} is not in the case`);
  let seq = 0;
  return new Readable({
    read() {
      if (seq >= chunks) {
        this.push(null);
        return;
      }
      const data = read(seq++);
      if (!data) {
        this.destroy(new Error(`blob ${sha256} is missing chunk ${seq - 1}`));
        return;
      }
      this.push(data);
    },
  });
}

/** Recomputes the hash of a stored blob from its chunks. */
export function hashStoredBlob(data: CaseData, sha256: string): { sha256: string; size: number } {
  const hash = createHash('sha256');
  let size = 0;
  for (const row of data.read.blobContent.chunks(sha256)) {
    hash.update(row);
    size += row.length;
  }
  return { sha256: hash.digest('hex'), size };
}
