/**
 * The output folder. Everything is written into a hidden sibling folder and renamed into place
 * only when the production is complete, so a cancelled, failed or killed production never leaves
 * a partial set behind under the name the user chose (a killed one's sibling is removed the next
 * time a production is written beside it). Every file is hashed while it is written.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, Writable } from 'node:stream';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { alive } from '../case/lock.ts';
import { HoldfastError } from '../api/errors.ts';
import type { ProductionFileDTO } from '../api/dto.ts';

/** A file as the API reports it, its path relative to the output folder with "/" separators. */
export type WrittenFile = ProductionFileDTO;

export interface FileMeta {
  firstBates?: string | null;
  lastBates?: string | null;
  pages?: number;
}

const PARTIAL_MARK = '.holdfast-partial-';

export class ProductionOutput {
  readonly outDir: string;
  readonly tempDir: string;
  private readonly written: WrittenFile[] = [];
  private readonly names = new Set<string>();

  private constructor(outDir: string, tempDir: string) {
    this.outDir = outDir;
    this.tempDir = tempDir;
  }

  static create(out: string): ProductionOutput {
    const outDir = path.resolve(out);
    if (fs.existsSync(outDir)) {
      const st = fs.statSync(outDir);
      if (!st.isDirectory()) throw new HoldfastError('VALIDATION', `${outDir} exists and is not a folder; choose a new folder for the production.`, { file: outDir });
      if (fs.readdirSync(outDir).length > 0) throw new HoldfastError('VALIDATION', `${outDir} is not empty; a production is written into a new or empty folder.`, { file: outDir });
    }
    const parent = path.dirname(outDir);
    try {
      fs.mkdirSync(parent, { recursive: true });
    } catch (err) {
      throw new HoldfastError('VALIDATION', `Cannot create ${parent}: ${(err as Error).message}`, { file: parent }, { cause: err });
    }
    removeAbandoned(parent, path.basename(outDir));
    const tempDir = path.join(parent, `.${path.basename(outDir)}${PARTIAL_MARK}${process.pid}-${randomBytes(4).toString('hex')}`);
    fs.mkdirSync(tempDir, { mode: 0o700 });
    return new ProductionOutput(outDir, tempDir);
  }

  /** Where a relative path lands now (inside the temporary folder). */
  absolute(rel: string): string {
    return path.join(this.tempDir, ...rel.split('/'));
  }

  /** Reserves `rel` for a file another thread writes; record it with adopt() once written. */
  reserve(rel: string): string {
    return this.claim(rel);
  }

  adopt(rel: string, sha256: string, size: number, meta: FileMeta = {}): WrittenFile {
    if (!this.names.has(rel)) throw new Error(`production file ${rel} was not reserved`);
    return this.record(rel, sha256, size, meta);
  }

  private claim(rel: string): string {
    if (this.names.has(rel)) throw new Error(`production file ${rel} written twice`);
    this.names.add(rel);
    const abs = this.absolute(rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    return abs;
  }

  /** A stream that writes `rel`, hashing as it goes; the file is recorded when `done` resolves. */
  open(rel: string, meta: FileMeta = {}): { stream: Writable; done: Promise<WrittenFile> } {
    const abs = this.claim(rel);
    const hash = createHash('sha256');
    let size = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        size += chunk.length;
        cb(null, chunk);
      },
    });
    const file = fs.createWriteStream(abs, { flags: 'wx' });
    const done = pipeline(tap, file).then(() => this.record(rel, hash.digest('hex'), size, meta));
    // The caller may fail before ending the stream; keep the rejection from going unhandled.
    done.catch(() => {});
    return { stream: tap, done };
  }

  async writeFile(rel: string, data: Buffer | string, meta: FileMeta = {}): Promise<WrittenFile> {
    const abs = this.claim(rel);
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    await fs.promises.writeFile(abs, buf, { flag: 'wx' });
    return this.record(rel, createHash('sha256').update(buf).digest('hex'), buf.length, meta);
  }

  async copyFrom(rel: string, source: Readable, meta: FileMeta = {}): Promise<WrittenFile> {
    const { stream, done } = this.open(rel, meta);
    await pipeline(source, stream);
    return done;
  }

  /** Amends a file's metadata after it was written (a PDF's page range is known only at its end). */
  setMeta(rel: string, meta: FileMeta): void {
    const f = this.written.find((w) => w.path === rel);
    if (!f) throw new Error(`production file ${rel} was not written`);
    Object.assign(f, meta);
  }

  /** Recomputes a written file's hash from disk (after it was patched in place). */
  async rehash(rel: string): Promise<void> {
    const f = this.written.find((w) => w.path === rel);
    if (!f) throw new Error(`production file ${rel} was not written`);
    const { sha256, size } = await hashFile(this.absolute(rel));
    f.sha256 = sha256;
    f.size = size;
  }

  private record(rel: string, sha256: string, size: number, meta: FileMeta): WrittenFile {
    const f: WrittenFile = { path: rel, sha256, size, firstBates: meta.firstBates ?? null, lastBates: meta.lastBates ?? null };
    if (meta.pages !== undefined) f.pages = meta.pages;
    this.written.push(f);
    return f;
  }

  /** Files written so far, sorted by path. */
  files(): WrittenFile[] {
    return [...this.written].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** Writes manifest.json (and its signature, manifest.sig) and moves the folder into place. */
  async commit(manifest: Buffer, signature: Buffer | null = null): Promise<void> {
    await fs.promises.writeFile(path.join(this.tempDir, 'manifest.json'), manifest, { flag: 'wx' });
    if (signature) await fs.promises.writeFile(path.join(this.tempDir, 'manifest.sig'), signature, { flag: 'wx' });
    if (fs.existsSync(this.outDir)) fs.rmdirSync(this.outDir); // empty, checked at the start
    fs.renameSync(this.tempDir, this.outDir);
  }

  abort(): void {
    fs.rmSync(this.tempDir, { recursive: true, force: true });
  }
}

export async function hashFile(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  await pipeline(
    fs.createReadStream(file),
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        size += chunk.length;
        cb();
      },
    }),
  );
  return { sha256: hash.digest('hex'), size };
}

/**
 * Removes what a killed production left beside `out`. A terminated worker thread shares its
 * process id with the caller, which therefore calls this with `includeOwnProcess` once the job
 * has ended; otherwise only folders of processes that are gone are removed.
 */
export function removeAbandoned(parent: string, base: string, includeOwnProcess = false): void {
  const prefix = `.${base}${PARTIAL_MARK}`;
  let names: string[];
  try {
    names = fs.readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    const own = pid === process.pid;
    if (own ? !includeOwnProcess : Number.isInteger(pid) && alive(pid)) continue;
    fs.rmSync(path.join(parent, name), { recursive: true, force: true });
  }
}

/** After a production job ended without success: nothing of it may remain on disk. */
export function discardPartialOutput(out: string): void {
  const outDir = path.resolve(out);
  removeAbandoned(path.dirname(outDir), path.basename(outDir), true);
}
