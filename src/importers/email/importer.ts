/**
 * Email: an mbox file (streamed message by message), one EML file, or a folder of EML files.
 * Parsing is mailparser's; threads become conversations. Format notes: README.md beside this file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { HoldfastError } from '../../api/errors.ts';
import { listFiles } from '../common/source-hash.ts';
import type { ImportContext, Importer, ImportRecord } from '../types.ts';
import { fromLineDate, mboxMessages } from './mbox.ts';
import { EmailThreads, looksTruncated } from './message.ts';

/** One message is parsed in memory (mailparser buffers attachments): larger ones are skipped with a warning. */
export const MAX_MESSAGE_BYTES = 1024 ** 3;

const HEADER = /^(received|from|to|subject|date|message-id|mime-version|return-path|delivered-to|content-type|x-[\w-]+|reply-to|cc|in-reply-to|references|sender|dkim-signature|authentication-results|arc-[\w-]+):/i;

async function head(file: string, bytes = 4096): Promise<Buffer> {
  const fd = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fd.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fd.close();
  }
}

/** `mbox`: a `From ` line then headers; `eml`: header lines from the first byte; else undefined. */
export function sniffEmail(buf: Buffer): 'mbox' | 'eml' | undefined {
  if (buf.includes(0)) return undefined;
  const lines = buf.toString('latin1').split(/\r?\n/);
  if (/^From \S/.test(lines[0] ?? '') && HEADER.test(lines[1] ?? '')) return 'mbox';
  const headerLines = lines.slice(0, 40);
  let i = 0;
  while (i < headerLines.length && (HEADER.test(headerLines[i]!) || /^[\t ]/.test(headerLines[i]!) || /^[\w-]+:/.test(headerLines[i]!))) i++;
  const known = headerLines.slice(0, i).filter((l) => HEADER.test(l)).length;
  return i >= 2 && known >= 2 && HEADER.test(headerLines[0]!) ? 'eml' : undefined;
}

function emlFiles(dir: string): string[] {
  return listFiles(dir).filter((f) => /\.eml$/i.test(f));
}

async function kindOf(p: string): Promise<'mbox' | 'eml' | 'eml-folder' | undefined> {
  const st = await fs.promises.stat(p);
  if (st.isDirectory()) return emlFiles(p).length ? 'eml-folder' : undefined;
  if (!st.isFile()) return undefined;
  return sniffEmail(await head(p));
}

export const emailImporter: Importer = {
  id: 'email',
  name: 'Email (mbox, EML)',
  description: 'An mbox mailbox (mboxo/mboxrd, e.g. Thunderbird, Google Takeout), a single .eml message, or a folder of .eml files.',
  version: '1.0.0',

  async detect(p) {
    try {
      const kind = await kindOf(p);
      if (!kind) return { confidence: 0 };
      if (kind === 'mbox') return { confidence: 0.85, variant: 'mbox' };
      if (kind === 'eml-folder') return { confidence: 0.5, variant: 'eml-folder' };
      // An .rsmf is also an EML: its own importer answers with more confidence.
      return { confidence: /\.(eml|msg\.txt)$/i.test(p) ? 0.8 : 0.5, variant: 'eml' };
    } catch {
      return { confidence: 0 };
    }
  },

  async probe(p) {
    const kind = await kindOf(p);
    return { variant: kind ?? 'unknown', ...(kind === 'eml' ? { messages: 1, conversations: 1 } : kind === 'eml-folder' ? { messages: emlFiles(p).length } : {}) };
  },

  async estimate(p) {
    const st = await fs.promises.stat(p);
    return { total: st.isDirectory() ? emlFiles(p).length : st.size };
  },

  async *read(ctx): AsyncGenerator<ImportRecord> {
    const kind = await kindOf(ctx.path).catch(() => undefined);
    const threads = new EmailThreads(ctx);
    if (kind === 'mbox') yield* readMbox(ctx, threads);
    else if (kind === 'eml') yield* readEml(ctx, ctx.path, path.basename(ctx.path), threads, true);
    else if (kind === 'eml-folder') {
      let n = 0;
      for (const rel of emlFiles(ctx.path)) {
        yield* readEml(ctx, path.join(ctx.path, rel), rel.split(path.sep).join('/'), threads, false);
        ctx.progress(++n);
      }
    } else {
      throw new HoldfastError('IMPORT_UNSUPPORTED_SOURCE', `${ctx.path} is not an mbox file, an EML message or a folder of .eml files (no mail headers at byte 0).`, {
        file: ctx.path, position: 'byte 0',
      });
    }
  },
};

async function* readEml(ctx: ImportContext, file: string, name: string, threads: EmailThreads, whole: boolean): AsyncGenerator<ImportRecord> {
  const raw = await fs.promises.readFile(file);
  if (!sniffEmail(raw.subarray(0, 4096))) {
    if (whole) throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `${file} has no mail headers at byte 0.`, { file, position: 'byte 0' });
    ctx.warn({ code: 'BAD_RECORD', locator: name, message: 'no mail headers; file skipped', skipped: true });
    return;
  }
  if (looksTruncated(raw)) {
    if (whole) {
      throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `${file} is cut off: its MIME structure never closes (byte ${raw.length}).`, { file, position: `byte ${raw.length}` });
    }
    ctx.warn({ code: 'BAD_RECORD', locator: name, message: 'message is cut off (MIME structure never closes); read as far as it goes' });
  }
  yield* await threads.parse(raw, name);
}

async function* readMbox(ctx: ImportContext, threads: EmailThreads): AsyncGenerator<ImportRecord> {
  const file = ctx.path;
  let n = 0;
  let pending: { raw: Buffer; locator: string; fallback: number | undefined; byte: number } | undefined;
  const flush = async function* (last: boolean): AsyncGenerator<ImportRecord> {
    if (!pending) return;
    const p = pending;
    pending = undefined;
    if (looksTruncated(p.raw)) {
      if (last) {
        throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `${file} ends in the middle of a message (${p.locator}): its MIME structure never closes.`, {
          file, position: p.locator,
        });
      }
      ctx.warn({ code: 'BAD_RECORD', locator: p.locator, message: 'message is cut off (MIME structure never closes); read as far as it goes' });
    }
    yield* await threads.parse(p.raw, p.locator, p.fallback);
  };
  try {
    for await (const m of mboxMessages(file, {
      signal: ctx.signal, onBytes: (b) => ctx.progress(b), maxMessageBytes: MAX_MESSAGE_BYTES,
      onTooLarge: (at) => ctx.warn({ code: 'LIMIT_EXCEEDED', locator: `line ${at.line}`, message: `message larger than ${MAX_MESSAGE_BYTES} bytes skipped`, skipped: true }),
    })) {
      yield* flush(false);
      n++;
      pending = { raw: m.raw, locator: `message ${n} (line ${m.line}, byte ${m.byte})`, fallback: fromLineDate(m.fromLine), byte: m.byte };
    }
  } catch (err) {
    if (err instanceof HoldfastError) throw err;
    const at = err as { line?: number; byte?: number };
    if (at.line !== undefined) {
      throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `${file} is not an mbox file at line ${at.line} (byte ${at.byte}): ${(err as Error).message}.`, {
        file, position: `line ${at.line}`,
      });
    }
    throw err;
  }
  yield* flush(true);
  if (n === 0) throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `${file} holds no messages.`, { file, position: 'byte 0' });
}
