/**
 * Where an export's chat text and media come from: a bare `.txt`, a `.zip` (iOS always, Android
 * "with media"), or the folder such a zip was unpacked into. Media are looked up by the name the
 * chat gives them; every inner file read is hashed on the way through for the custody record.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import type { Readable, TransformCallback } from 'node:stream';
import { HoldfastError } from '../../api/errors.ts';
import type { ImportWarning, SourceFileRecord } from '../types.ts';
import { openZip } from '../zip/zip.ts';
import type { ZipArchive } from '../zip/zip.ts';
import { listFiles } from '../common/source-hash.ts';
import { parseHeader } from './stamp.ts';

export interface InnerFile {
  /** Path inside the source, `/`-separated. */
  name: string;
  size: number;
  open(): Promise<Readable>;
}

export interface ChatSource {
  kind: 'txt' | 'zip' | 'folder';
  /** The chat text; its `name` is '' for a bare .txt. */
  chat: InnerFile;
  /** Prefix of line locators: '' for a .txt, "_chat.txt:" inside a zip or folder. */
  locatorPrefix: string;
  /** The file a chat's media name refers to. */
  findMedia(name: string): InnerFile | undefined;
  /** Why a file of that name was refused (zip slip, zip bomb), if it was. */
  refused(name: string): string | undefined;
  warnings: readonly ImportWarning[];
  /** Custody records for every inner file (hashing those not yet read). */
  custody(onError: (file: InnerFile, err: unknown) => void): AsyncGenerator<SourceFileRecord>;
  /** Wraps a stream of an inner file so its hash is recorded when it is read to the end. */
  tap(file: InnerFile, stream: Readable): Readable;
  close(): void;
}

/** How a WhatsApp chat text is named inside an export. */
export function isChatTextName(base: string): boolean {
  return /^_chat\.txt$/i.test(base) || (/whats\s?app/i.test(base) && /\.txt$/i.test(base));
}

export async function openChatSource(file: string): Promise<ChatSource> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new HoldfastError('NOT_FOUND', `No file or folder at ${file}.`, { file });
  }
  if (stat.isDirectory()) return folderSource(file);
  if (/\.zip$/i.test(file) || startsWithZipMagic(file)) return zipSource(file);
  const chat: InnerFile = { name: '', size: stat.size, open: async () => fs.createReadStream(file, { highWaterMark: 1 << 20 }) };
  return withCustody('txt', chat, [], [], () => undefined, () => {});
}

function startsWithZipMagic(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(4);
    return fs.readSync(fd, head, 0, 4, 0) === 4 && head.readUInt32LE(0) === 0x04034b50;
  } finally {
    fs.closeSync(fd);
  }
}

async function zipSource(file: string): Promise<ChatSource> {
  const zip: ZipArchive = await openZip(file);
  try {
    const files: InnerFile[] = zip.entries
      .filter((e) => !e.isDirectory)
      .map((e) => ({ name: e.name, size: e.size, open: () => zip.openEntry(e) }));
    const chat = await chooseChat(files, file);
    return withCustody('zip', chat, files, zip.warnings, (n) => zip.rejected.get(n), () => zip.close());
  } catch (err) {
    zip.close();
    throw err;
  }
}

async function folderSource(root: string): Promise<ChatSource> {
  const files: InnerFile[] = listFiles(root).map((rel) => {
    const full = path.join(root, rel);
    return { name: rel.split(path.sep).join('/'), size: fs.statSync(full).size, open: async () => fs.createReadStream(full, { highWaterMark: 1 << 20 }) };
  });
  const chat = await chooseChat(files, root);
  return withCustody('folder', chat, files, [], () => undefined, () => {});
}

/**
 * The chat text among an export's files: `_chat.txt` (iOS), else a text named for WhatsApp
 * (Android), else the only text, else the text with most message lines in its first 64 KiB —
 * never a document that was sent in the chat just because it is a .txt. At most one folder deep.
 */
async function chooseChat(files: InnerFile[], where: string): Promise<InnerFile> {
  const depth = (n: string) => n.split('/').length - 1;
  const texts = files.filter((f) => /\.txt$/i.test(f.name) && depth(f.name) <= 1).sort((a, b) => depth(a.name) - depth(b.name) || a.name.localeCompare(b.name));
  const base = (f: InnerFile) => f.name.slice(f.name.lastIndexOf('/') + 1);
  const named = texts.find((f) => /^_chat\.txt$/i.test(base(f))) ?? texts.find((f) => isChatTextName(base(f)));
  if (named) return named;
  let best: { file: InnerFile; hits: number } | undefined;
  for (const f of texts) {
    const hits = await headerLinesIn(f);
    if (hits > 0 && (!best || hits > best.hits)) best = { file: f, hits };
  }
  if (best) return best.file;
  throw new HoldfastError(
    'IMPORT_UNSUPPORTED_SOURCE',
    `${where} holds no WhatsApp chat text (_chat.txt or "WhatsApp Chat with ….txt"); is it a WhatsApp export?`,
    { file: where },
  );
}

/** How many of the first lines of a file start a WhatsApp message. */
export async function headerLinesIn(f: InnerFile, limit = 64 * 1024): Promise<number> {
  const text = await headText(f, limit);
  if (text === undefined || otherAppIn(text)) return 0;
  return text.split(/\r?\n/).slice(0, 200).filter((l) => parseHeader(l) !== undefined).length;
}

/** signal-export (Signal Desktop → Markdown): `[2019-05-29, 15:04] Name: text`, media as Markdown links. */
const SIGNAL_LINE = /^\[\d{4}-\d{2}-\d{2}, \d{2}:\d{2}\] ([^:\n]{1,200}):(?:\s|$)/;
const SIGNAL_EVIDENCE = /^\[\d{4}-\d{2}-\d{2}, \d{2}:\d{2}\] (?:Me: |[^:\n]{1,200}: !?\[[^\]\n]*\]\((?:\.\/)?media\/)/m;

/**
 * The app that wrote a look-alike of a WhatsApp chat text, when the text is another app's export:
 * WhatsApp writes seconds in its bracketed form, and never Markdown links to a `media/` folder or
 * "Me" as an author.
 */
export function otherAppIn(text: string): string | undefined {
  const lines = text.split(/\r?\n/, 200).filter((l) => parseHeader(l) !== undefined);
  if (lines.length === 0) return undefined;
  const signal = lines.filter((l) => SIGNAL_LINE.test(l)).length;
  if (signal >= lines.length * 0.8 && SIGNAL_EVIDENCE.test(text)) return 'Signal Desktop (a signal-export Markdown chat)';
  return undefined;
}

/** The first `limit` bytes of a file as text (BOM removed), or undefined when it cannot be read. */
export async function headText(f: InnerFile, limit = 64 * 1024): Promise<string | undefined> {
  const stream = await f.open();
  const parts: Buffer[] = [];
  let got = 0;
  try {
    for await (const chunk of stream) {
      parts.push(chunk as Buffer);
      got += (chunk as Buffer).length;
      if (got >= limit) break;
    }
  } catch {
    return undefined;
  } finally {
    stream.destroy();
  }
  return Buffer.concat(parts).subarray(0, limit).toString('utf8').replace(/^\uFEFF/, '');
}

function withCustody(
  kind: ChatSource['kind'],
  chat: InnerFile,
  files: InnerFile[],
  warnings: readonly ImportWarning[],
  refused: (name: string) => string | undefined,
  close: () => void,
): ChatSource {
  const hashes = new Map<string, { sha256: string; size: number }>();
  const byName = new Map<string, InnerFile>();
  const byBase = new Map<string, InnerFile>();
  const byBaseLower = new Map<string, InnerFile>();
  const chatDir = chat.name.includes('/') ? chat.name.slice(0, chat.name.lastIndexOf('/') + 1) : '';
  for (const f of files) {
    byName.set(f.name, f);
    const b = f.name.slice(f.name.lastIndexOf('/') + 1);
    if (!byBase.has(b)) byBase.set(b, f);
    if (!byBaseLower.has(b.toLowerCase())) byBaseLower.set(b.toLowerCase(), f);
  }
  const tap = (file: InnerFile, stream: Readable): Readable => {
    const out = new HashTap((digest) => hashes.set(file.name, digest));
    stream.on('error', (err) => out.destroy(err));
    out.on('close', () => stream.destroy());
    return stream.pipe(out);
  };
  return {
    kind,
    chat,
    locatorPrefix: kind === 'txt' ? '' : `${chat.name}:`,
    findMedia(name) {
      if (files.length === 0 || name.includes('..')) return undefined;
      return byName.get(chatDir + name) ?? byName.get(name) ?? byBase.get(name) ?? byBaseLower.get(name.toLowerCase());
    },
    refused: (name) => refused(chatDir + name) ?? refused(name),
    warnings,
    tap,
    async *custody(onError) {
      for (const f of files) {
        let digest = hashes.get(f.name);
        if (!digest) {
          try {
            const h = createHash('sha256');
            let size = 0;
            for await (const c of await f.open()) {
              h.update(c as Buffer);
              size += (c as Buffer).length;
            }
            digest = { sha256: h.digest('hex'), size };
          } catch (err) {
            onError(f, err);
            continue;
          }
        }
        yield { type: 'source-file', innerPath: f.name, size: digest.size, sha256: digest.sha256 };
      }
    },
    close,
  };
}

/** Passes bytes through and reports their SHA-256 once the stream has been read to the end. */
class HashTap extends Transform {
  private readonly hash = createHash('sha256');
  private size = 0;
  private readonly done: (d: { sha256: string; size: number }) => void;

  constructor(done: (d: { sha256: string; size: number }) => void) {
    super();
    this.done = done;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    this.done({ sha256: this.hash.digest('hex'), size: this.size });
    cb();
  }
}
