/**
 * WhatsApp "Export chat" text files. Basic form (issue 2): Android `d/m/y, h:mm - Name: text` and
 * iOS `[d/m/y, h:mm:ss] Name: text` lines, multi-line messages, system lines; the date order is
 * inferred over the whole file. Times carry no zone: `options.tz` decides UTC.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { DateTime } from 'luxon';
import { HoldfastError } from '../../api/errors.ts';
import type { HandleRef, ImportContext, Importer, ImportRecord, MessageRecord } from '../types.ts';
import { toE164 } from '../../ingest/handles.ts';

const MARKS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const LINE = /^\[?(\d{1,4})[./-](\d{1,2})[./-](\d{1,4}),? (\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?(?:[\s\u202f\u00a0]?([AaPp])\.?\s?[Mm]\.?)?\]?(?: -|:)? (.*)$/;

interface Stamp {
  a: number;
  b: number;
  c: number;
  hour: number;
  minute: number;
  second: number | undefined;
  ampm: string | undefined;
  raw: string;
}

function parseStart(line: string): { stamp: Stamp; rest: string } | undefined {
  const clean = line.replace(MARKS, '');
  const m = LINE.exec(clean);
  if (!m) return undefined;
  const rawEnd = clean.length - m[8]!.length;
  return {
    stamp: {
      a: Number(m[1]), b: Number(m[2]), c: Number(m[3]), hour: Number(m[4]), minute: Number(m[5]),
      second: m[6] === undefined ? undefined : Number(m[6]), ampm: m[7]?.toLowerCase(), raw: clean.slice(0, rawEnd).replace(/[\s\-:\]]+$/, '').replace(/^\[/, ''),
    },
    rest: m[8]!,
  };
}

/** Day-first unless a value over 12 proves otherwise across the file (as whatsapp-chat-parser does). */
function inferOrder(stamps: Stamp[]): 'dmy' | 'mdy' | 'ymd' {
  if (stamps.some((s) => s.a > 31)) return 'ymd';
  if (stamps.some((s) => s.a > 12)) return 'dmy';
  if (stamps.some((s) => s.b > 12)) return 'mdy';
  return 'dmy';
}

function toUtc(s: Stamp, order: 'dmy' | 'mdy' | 'ymd', tz: string): number | undefined {
  const [y, mo, d] = order === 'ymd' ? [s.a, s.b, s.c] : order === 'dmy' ? [s.c, s.b, s.a] : [s.c, s.a, s.b];
  let hour = s.hour;
  if (s.ampm === 'p' && hour < 12) hour += 12;
  if (s.ampm === 'a' && hour === 12) hour = 0;
  const year = y < 100 ? 2000 + y : y;
  const dt = DateTime.fromObject({ year, month: mo, day: d, hour, minute: s.minute, second: s.second ?? 0 }, { zone: tz });
  return dt.isValid ? dt.toMillis() : undefined;
}

const SYSTEM_HINTS = /end-to-end encrypted|created group|added|left$|removed|changed the subject|changed this group|changed their phone number|joined using|disappearing messages|security code changed/i;

function authorHandle(name: string): HandleRef {
  const e164 = toE164(name);
  return e164 ? { kind: 'phone', value: e164, display: name } : { kind: 'name', value: name, display: name };
}

export function conversationNameFromFile(file: string): string {
  const base = path.basename(file).replace(/\.(txt|zip)$/i, '');
  const m = /^WhatsApp Chat (?:with|-) (.+)$/i.exec(base);
  return m ? m[1]!.trim() : base;
}

async function* readLines(file: string, ctx: ImportContext): AsyncGenerator<{ line: string; no: number }> {
  const stream = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let bytes = 0;
  stream.on('data', (chunk) => {
    bytes += Buffer.byteLength(chunk as string);
    ctx.progress(bytes);
  });
  const rl = readline.createInterface({ input: stream, crlfDelay: Infinity });
  let no = 0;
  for await (const line of rl) {
    no++;
    yield { line: no === 1 ? line.replace(/^\uFEFF/, '') : line, no };
  }
}

export const whatsappTxt: Importer = {
  id: 'whatsapp-txt',
  name: 'WhatsApp chat export (.txt)',
  description: 'The text file of WhatsApp "Export chat" on Android or iOS.',
  version: '1.0.0',

  async detect(file) {
    if (!/\.txt$/i.test(file) || !fs.statSync(file).isFile()) return { confidence: 0 };
    const fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(4096);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    fs.closeSync(fd);
    const lines = buf.subarray(0, n).toString('utf8').split(/\r?\n/).slice(0, 20);
    const hits = lines.filter((l) => parseStart(l)).length;
    return { confidence: hits === 0 ? 0 : Math.min(0.95, 0.5 + hits / 20), variant: lines.some((l) => l.replace(MARKS, '').startsWith('[')) ? 'ios' : 'android' };
  },

  async probe(file) {
    return { variant: (await this.detect(file)).variant ?? 'android', conversations: 1 };
  },

  async estimate(file) {
    return { total: fs.statSync(file).size };
  },

  async *read(ctx): AsyncGenerator<ImportRecord> {
    const file = ctx.path;
    // Pass 1: the date order needs the whole file (only the stamps are kept).
    const stamps: Stamp[] = [];
    for await (const { line } of readLines(file, { ...ctx, progress: () => {} })) {
      const p = parseStart(line);
      if (p) stamps.push(p.stamp);
    }
    if (stamps.length === 0) {
      throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `${file} has no WhatsApp message lines (line 1 onwards). Is it a WhatsApp chat export?`, { file, position: 'line 1' });
    }
    const order = ctx.options.dateOrder ?? inferOrder(stamps);
    stamps.length = 0;
    const name = ctx.options.conversation ?? conversationNameFromFile(file);
    const convKey = 'chat';
    const authors = new Set<string>();
    yield { type: 'conversation', key: convKey, platform: 'whatsapp', externalId: `export:${name}`, kind: 'direct', name, locator: path.basename(file) };

    let current: MessageRecord | undefined;
    for await (const { line, no } of readLines(file, ctx)) {
      const p = parseStart(line);
      if (!p) {
        if (current) current.text += `\n${line}`;
        else ctx.warn({ code: 'BAD_LINE', locator: `line ${no}`, message: 'text before the first message' });
        continue;
      }
      if (current) yield finish(current);
      const sentAt = toUtc(p.stamp, order, ctx.options.tz);
      if (sentAt === undefined) {
        ctx.warn({ code: 'BAD_DATE', locator: `line ${no}`, message: `"${p.stamp.raw}" is not a valid date in ${order} order` });
        current = undefined;
        continue;
      }
      const sep = p.rest.indexOf(': ');
      const author = sep > 0 ? p.rest.slice(0, sep) : '';
      const isMessage = sep > 0 && !SYSTEM_HINTS.test(p.rest.slice(0, sep));
      if (isMessage) authors.add(author);
      current = {
        type: 'message', conversationKey: convKey, sender: isMessage ? authorHandle(author) : null, direction: 'unknown',
        sentAt, rawTime: p.stamp.raw, timePrecision: p.stamp.second === undefined ? 'minute' : 'second',
        kind: isMessage ? 'message' : 'system', text: isMessage ? p.rest.slice(sep + 2) : p.rest, locator: `line ${no}`,
      };
    }
    if (current) yield finish(current);
  },
};

function finish(m: MessageRecord): MessageRecord {
  const text = m.text.replace(MARKS, '');
  if (m.kind === 'message' && /^(This message was deleted|You deleted this message)\.?$/.test(text)) return { ...m, text, deleted: true };
  return { ...m, text };
}
