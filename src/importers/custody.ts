/**
 * Custody of the inner files an importer reads (backup files, media beside a database): each one
 * is hashed (SHA-256 of its plaintext) and reported once as a `source-file` record.
 *
 * Attachment content is hashed while ingest streams it into the case, so nothing is read twice:
 * ingest consumes an attachment's stream before it asks the importer for the next record, and the
 * importer then yields `drain()`. A stream that was never consumed is hashed by `finish()`.
 */
import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { Readable } from 'node:stream';
import type { SourceFileRecord } from './types.ts';

interface Tap {
  open: () => Readable;
  state: 'unread' | 'reading' | 'done' | 'failed';
  size: number;
  sha256?: string;
}

export class CustodyTracker {
  private readonly reported = new Set<string>();
  private readonly taps = new Map<string, Tap>();
  private ready: SourceFileRecord[] = [];

  /** A file read whole into memory: its record, or undefined when it was already reported. */
  buffer(innerPath: string, plain: Buffer): SourceFileRecord | undefined {
    if (this.reported.has(innerPath)) return undefined;
    this.reported.add(innerPath);
    this.taps.delete(innerPath);
    return { type: 'source-file', innerPath, size: plain.length, sha256: createHash('sha256').update(plain).digest('hex') };
  }

  /** Wraps an opener so that the content is hashed as it is read. */
  stream(innerPath: string, open: () => Readable): () => Promise<Readable> {
    if (!this.taps.has(innerPath) && !this.reported.has(innerPath)) this.taps.set(innerPath, { open, state: 'unread', size: 0 });
    return async () => {
      const source = open();
      const tap = this.taps.get(innerPath);
      if (!tap || tap.state === 'done' || tap.state === 'reading') return source;
      tap.state = 'reading';
      const hash = createHash('sha256');
      let size = 0;
      const out = new PassThrough({ highWaterMark: 1 << 20 });
      source.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        size += chunk.length;
      });
      source.on('end', () => {
        tap.state = 'done';
        tap.size = size;
        tap.sha256 = hash.digest('hex');
        this.complete(innerPath, tap);
      });
      source.on('error', (err) => {
        tap.state = 'failed';
        out.destroy(err);
      });
      return source.pipe(out);
    };
  }

  private complete(innerPath: string, tap: Tap): void {
    if (this.reported.has(innerPath) || tap.sha256 === undefined) return;
    this.reported.add(innerPath);
    this.taps.delete(innerPath);
    this.ready.push({ type: 'source-file', innerPath, size: tap.size, sha256: tap.sha256 });
  }

  /** Records of files whose content has been read completely since the last call. */
  drain(): SourceFileRecord[] {
    const out = this.ready;
    this.ready = [];
    return out;
  }

  /** Hashes every file that was offered but never read (or whose read was interrupted). */
  async *finish(): AsyncGenerator<SourceFileRecord> {
    yield* this.drain();
    for (const [innerPath, tap] of [...this.taps]) {
      if (tap.state === 'failed') continue;
      const hash = createHash('sha256');
      let size = 0;
      try {
        for await (const chunk of tap.open()) {
          hash.update(chunk as Buffer);
          size += (chunk as Buffer).length;
        }
      } catch {
        continue;
      }
      tap.size = size;
      tap.sha256 = hash.digest('hex');
      this.complete(innerPath, tap);
    }
    yield* this.drain();
  }
}
