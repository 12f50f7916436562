/**
 * Read-only access to a zip archive for importers (WhatsApp, Slack, RSMF): the central directory
 * is read once, entries are opened one at a time by random access on the file and inflated as a
 * stream. Nothing is ever extracted to disk and the archive is never read into memory whole.
 *
 * Hostile archives are contained here, not in each importer:
 * - unsafe names (`..`, absolute, drive letters, backslashes, NUL) are left out of `entries`
 *   and reported as warnings (nothing is written anyway, but a path like that is a red flag);
 * - declared expanded sizes are capped per entry and in total, and a large entry with an
 *   implausible compression ratio (a zip bomb) is refused; yauzl checks while inflating that an
 *   entry never yields more than it declared, so the declared sizes are a real bound;
 * - a truncated or corrupt archive is IMPORT_SOURCE_CORRUPT naming the file and the entry.
 */
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import { crc32 } from 'node:zlib';
import type { Readable, TransformCallback } from 'node:stream';
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { HoldfastError } from '../../api/errors.ts';
import type { ImportWarning } from '../types.ts';

export interface ZipLimits {
  /** Largest declared expanded size of one entry. */
  maxEntryBytes: number;
  /** Largest sum of declared expanded sizes of the accepted entries. */
  maxTotalBytes: number;
  /** Highest expanded:compressed ratio accepted for an entry of at least `ratioMinBytes`. */
  maxRatio: number;
  /** Small entries may compress very well (a text file of spaces) without being a threat. */
  ratioMinBytes: number;
  /** Most entries listed; the central directory of a hostile zip could declare millions. */
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: Readonly<ZipLimits> = Object.freeze({
  maxEntryBytes: 8 * 1024 ** 3,
  maxTotalBytes: 8 * 1024 ** 3,
  maxRatio: 1000,
  ratioMinBytes: 64 * 1024 ** 2,
  maxEntries: 500_000,
});

export interface ZipEntry {
  /** The path inside the archive, `/`-separated, exactly as stored (decoded from CP437 or UTF-8). */
  name: string;
  /** Declared expanded size in bytes (enforced while reading). */
  size: number;
  compressedSize: number;
  isDirectory: boolean;
  /** CRC-32 the archive declares for the content. */
  crc32: number;
}

export interface ZipArchive {
  /** The archive's path as given. */
  readonly path: string;
  /** Entries that passed the safety checks, in central-directory order. */
  readonly entries: readonly ZipEntry[];
  /** Why entries were left out (unsafe name, limits, encryption); importers forward these to ctx.warn. */
  readonly warnings: readonly ImportWarning[];
  /** The entries left out, by name, with the reason (so a reference to one can say why it is missing). */
  readonly rejected: ReadonlyMap<string, string>;
  /** The first accepted entry with exactly this name. */
  find(name: string): ZipEntry | undefined;
  /** The entry's expanded content. Stream errors are HoldfastErrors naming the archive and entry. */
  openEntry(entry: ZipEntry): Promise<Readable>;
  /** Releases the file once every open entry stream has ended. */
  close(): void;
}

/** True when the file starts like a zip archive (local header, or the end record of an empty zip). */
export function looksLikeZip(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const head = Buffer.alloc(4);
    if (fs.readSync(fd, head, 0, 4, 0) < 4) return false;
    return head.readUInt32LE(0) === 0x04034b50 || head.readUInt32LE(0) === 0x06054b50;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Why a stored name may not be used, or undefined when it is safe. */
export function unsafeEntryName(name: string): string | undefined {
  if (name.length === 0) return 'an empty name';
  if (name.includes('\0')) return 'a NUL character in the name';
  if (name.includes('\\')) return 'a backslash in the name';
  if (name.startsWith('/')) return 'an absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'a drive letter';
  if (name.split('/').includes('..')) return 'a ".." path segment';
  return undefined;
}

function corrupt(file: string, position: string, err: unknown): HoldfastError {
  const why = err instanceof Error ? err.message : String(err);
  return new HoldfastError(
    'IMPORT_SOURCE_CORRUPT',
    `${file} is not a readable zip archive (${position}): ${why}`,
    { file, position },
    { cause: err },
  );
}

export async function openZip(file: string, limits: Partial<ZipLimits> = {}): Promise<ZipArchive> {
  let zip: ZipFile;
  try {
    zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new HoldfastError('NOT_FOUND', `No file at ${file}.`, { file });
    throw corrupt(file, 'end of central directory', err);
  }
  return archive(zip, file, { ...DEFAULT_ZIP_LIMITS, ...limits });
}

/**
 * For a source no importer recognised: when it starts like a zip archive but cannot be opened as
 * one (truncated, damaged), that is the answer — IMPORT_SOURCE_CORRUPT naming where — rather than
 * "not a format Holdfast recognises".
 */
export async function refuseDamagedZip(file: string): Promise<void> {
  const head = Buffer.alloc(4);
  try {
    const fd = await fs.promises.open(file, 'r');
    try {
      await fd.read(head, 0, 4, 0);
    } finally {
      await fd.close();
    }
  } catch {
    return; // a folder or an unreadable path: the caller's own error applies
  }
  if (!head.equals(Buffer.from('PK\x03\x04', 'latin1'))) return;
  (await openZip(file)).close();
}

/**
 * A zip that is already in memory (e.g. an email attachment mailparser decoded), with the same
 * checks and limits. `label` names it in messages, e.g. "sample.rsmf (attachment rsmf.zip)".
 */
export async function openZipBuffer(buf: Buffer, label: string, limits: Partial<ZipLimits> = {}): Promise<ZipArchive> {
  let zip: ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(buf, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true });
  } catch (err) {
    throw corrupt(label, 'end of central directory', err);
  }
  return archive(zip, label, { ...DEFAULT_ZIP_LIMITS, ...limits });
}

/** The checked entries of an opened zip; `file` names it in messages. */
async function archive(zip: ZipFile, file: string, lim: ZipLimits): Promise<ZipArchive> {
  if (zip.entryCount > lim.maxEntries) {
    zip.close();
    throw new HoldfastError(
      'IMPORT_SOURCE_CORRUPT',
      `${file} declares ${zip.entryCount} entries, more than the limit of ${lim.maxEntries}; refusing it as a likely zip bomb.`,
      { file, position: 'central directory' },
    );
  }

  const entries: ZipEntry[] = [];
  const warnings: ImportWarning[] = [];
  const rejected = new Map<string, string>();
  const raw = new Map<ZipEntry, Entry>();
  const byName = new Map<string, ZipEntry>();
  let total = 0;
  try {
    for await (const e of readEntries(zip)) {
      const name = yauzl.getFileNameLowLevel(e.generalPurposeBitFlag, e.fileNameRaw, e.extraFields, true);
      const refuse = (code: ImportWarning['code'], message: string) => {
        warnings.push({ code, locator: `entry ${name}`, message });
        if (!rejected.has(name)) rejected.set(name, message);
      };
      const unsafe = unsafeEntryName(name);
      if (unsafe) {
        refuse('BAD_RECORD', `zip entry "${name}" was ignored: ${unsafe} (zip slip)`);
        continue;
      }
      const size = e.uncompressedSize;
      if (size > lim.maxEntryBytes) {
        refuse('LIMIT_EXCEEDED', `zip entry "${name}" was ignored: it expands to ${size} bytes, more than the limit of ${lim.maxEntryBytes}`);
        continue;
      }
      if (size >= lim.ratioMinBytes && size > lim.maxRatio * Math.max(e.compressedSize, 1)) {
        const ratio = Math.round(size / Math.max(e.compressedSize, 1));
        refuse('LIMIT_EXCEEDED', `zip entry "${name}" was ignored: it expands ${ratio}:1 to ${size} bytes (limit ${lim.maxRatio}:1), a likely zip bomb`);
        continue;
      }
      if (total + size > lim.maxTotalBytes) {
        refuse('LIMIT_EXCEEDED', `zip entry "${name}" was ignored: the archive's entries would expand to more than ${lim.maxTotalBytes} bytes in total`);
        continue;
      }
      const isDirectory = name.endsWith('/');
      if (!isDirectory && e.isEncrypted()) {
        refuse('UNSUPPORTED_FEATURE', `zip entry "${name}" is encrypted and cannot be read`);
        continue;
      }
      if (!isDirectory && e.compressionMethod !== 0 && e.compressionMethod !== 8) {
        refuse('UNSUPPORTED_FEATURE', `zip entry "${name}" uses compression method ${e.compressionMethod}, which is not supported (only stored and deflate)`);
        continue;
      }
      total += size;
      const entry: ZipEntry = { name, size, compressedSize: e.compressedSize, isDirectory, crc32: e.crc32 };
      entries.push(entry);
      raw.set(entry, e);
      if (byName.has(name)) warnings.push({ code: 'BAD_RECORD', locator: `entry ${name}`, message: `zip entry "${name}" appears more than once; the first one is used` });
      else byName.set(name, entry);
    }
  } catch (err) {
    zip.close();
    throw corrupt(file, `central directory entry ${entries.length + warnings.length + 1}`, err);
  }

  return {
    path: file,
    entries,
    warnings,
    rejected,
    find: (name) => byName.get(name),
    async openEntry(entry) {
      const e = raw.get(entry);
      if (!e) throw new HoldfastError('NOT_FOUND', `${entry.name} is not an entry of ${file}.`, { file, position: `entry ${entry.name}` });
      const position = `entry ${entry.name}`;
      let stream: Readable;
      try {
        stream = await zip.openReadStreamPromise(e);
      } catch (err) {
        throw corrupt(file, position, err);
      }
      const out = new EntryStream(entry, (why) => corrupt(file, position, why), () => stream.destroy());
      stream.on('error', (err) => out.destroy(corrupt(file, position, err)));
      stream.pipe(out);
      return out;
    },
    close: () => zip.close(),
  };
}

/** SHA-256 and byte count of an entry's content, streamed (for source-file custody records). */
export async function hashEntry(zip: ZipArchive, entry: ZipEntry): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of await zip.openEntry(entry)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

/** The central directory, one entry at a time (yauzl's lazy mode). */
function readEntries(zip: ZipFile): AsyncGenerator<Entry> {
  return (async function* () {
    const queue: Entry[] = [];
    let done = false;
    let failure: unknown;
    let wake: (() => void) | undefined;
    const notify = () => {
      wake?.();
      wake = undefined;
    };
    zip.on('entry', (e: Entry) => {
      queue.push(e);
      notify();
    });
    zip.on('end', () => {
      done = true;
      notify();
    });
    zip.on('error', (err: unknown) => {
      failure = err;
      notify();
    });
    zip.readEntry();
    for (;;) {
      if (failure) throw failure;
      const next = queue.shift();
      if (next) {
        yield next;
        zip.readEntry();
        continue;
      }
      if (done) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  })();
}

/**
 * Passes an entry's bytes through, stops it at its declared size (belt and braces over yauzl)
 * and checks the CRC-32 at the end (yauzl does not): damaged content is an error, not evidence.
 */
class EntryStream extends Transform {
  private seen = 0;
  private crc = 0;
  private readonly entry: ZipEntry;
  private readonly fail: (why: Error) => HoldfastError;
  private readonly onDestroy: () => void;

  constructor(entry: ZipEntry, fail: (why: Error) => HoldfastError, onDestroy: () => void) {
    super();
    this.entry = entry;
    this.fail = fail;
    this.onDestroy = onDestroy;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.entry.size) {
      cb(this.fail(new Error(`the entry yields more than its declared ${this.entry.size} bytes`)));
      return;
    }
    this.crc = crc32(chunk, this.crc);
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    if (this.seen !== this.entry.size) cb(this.fail(new Error(`the entry yields ${this.seen} bytes, not the declared ${this.entry.size}`)));
    else if (this.crc >>> 0 !== this.entry.crc32 >>> 0) cb(this.fail(new Error('CRC-32 mismatch: the content is damaged')));
    else cb();
  }

  override _destroy(err: Error | null, cb: (error?: Error | null) => void): void {
    this.onDestroy();
    cb(err);
  }
}
