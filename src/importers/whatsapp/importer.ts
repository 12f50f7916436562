/**
 * WhatsApp "Export chat": the `.txt` alone, the `.zip` (chat text plus media) or the folder it
 * was unpacked into; Android and iOS forms in any locale (see README.md). Two streamed passes
 * over the chat text: the first learns the date order, the authors and the group's names, the
 * second yields the messages. Nothing is read into memory whole.
 */
import fs from 'node:fs';
import path from 'node:path';
import { HoldfastError } from '../../api/errors.ts';
import type {
  AttachmentRecord, ConversationRecord, Detection, HandleRef, ImportContext, Importer, ImportRecord, MessageRecord, Probe,
} from '../types.ts';
import { toE164 } from '../common/handles.ts';
import { looksLikeZip, openZip } from '../zip/zip.ts';
import { lineBatches } from './lines.ts';
import { OrderInference, ZoneClock, orderFromOption, orderName, parseHeader, shapeOf, wallClock } from './stamp.ts';
import type { Header, Order } from './stamp.ts';
import { EDITED_MARKER, groupNameIn, isDeletedMarker, isGroupNotice, mediaIn, mimeOf, systemType, withoutEditedMarker } from './markers.ts';
import type { SystemType } from './markers.ts';
import { chatNameFromFileName, plainName } from './names.ts';
import { headText, headerLinesIn, isChatTextName, openChatSource, otherAppIn } from './source.ts';
import type { ChatSource } from './source.ts';

/** A message's text is cut into several records past this size (a hostile file, not a chat). */
const MAX_MESSAGE_CHARS = 64 * 1024 * 1024;
/** Text before the first message line kept as a note, at most. */
const MAX_PREAMBLE_CHARS = 1024 * 1024;
/** Distinct authors remembered for the conversation's members and kind. */
const MAX_AUTHORS = 10_000;

const BIDI = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const LEADING_MARKS = /^[\u200e\u200f]+/;
/** `Name: text`; iOS writes `Name:` with nothing after it for an empty message (often removed media). */
const AUTHOR = /^(.+?):(?:\s|$)/;
const QUOTE_CHARS = /["“”„«»「」]/;
/** The encryption notice under a name: it mentions WhatsApp or end-to-end encryption in its own words. */
const ENCRYPTION_NOTICE = /^(?:Messages|Nachrichten|Los mensajes|Les messages|As mensagens|I messaggi|Berichten|Las llamadas)\b.*(?:end-to-end|Ende-zu-Ende|extremo a extremo|ponta a ponta|bout en bout)/i;
const CALL_ONLY = /^(?:Missed )?(?:voice|video) call\.?$/i;
const TRAILING_BLANK_LINES = /(?:\n[^\S\n]*)+$/;

/** What the first line of a message says: who wrote it, or that WhatsApp did. */
interface Head {
  author: string | undefined;
  body: string;
  system: SystemType | undefined;
  /** The person a system line is about when the line names them as its author (calls, timers). */
  actor: string | undefined;
}

export function readHead(rest: string): Head {
  const m = AUTHOR.exec(rest.length > 512 ? rest.slice(0, 512) : rest);
  if (!m) return { author: undefined, body: rest, system: systemType(rest) ?? 'other', actor: undefined };
  const author = m[1]!;
  // `X changed the subject to "Plans: Friday"` is a notice, not Plans writing.
  if (QUOTE_CHARS.test(author)) {
    const t = systemType(rest);
    if (t === 'created' || t === 'rename') return { author: undefined, body: rest, system: t, actor: undefined };
  }
  const body = rest.slice(m[0].length);
  const message: Head = { author, body, system: undefined, actor: undefined };
  if (body.length > 400) return message;
  const c = body.charCodeAt(0);
  const marked = c === 0x200e || c === 0x200f;
  const plain = marked ? body.replace(LEADING_MARKS, '') : body;
  // Most lines are plain messages: only three kinds of author line are looked at further.
  if (marked) {
    // iOS writes its notices (and calls) after a left-to-right mark, under the chat's or group's name.
    const t = systemType(plain);
    if (!t) return message;
    const cleanAuthor = author.replace(BIDI, '').trim();
    if (t === 'call') return { author: undefined, body: plain, system: t, actor: author };
    return { author: undefined, body: plain, system: t, actor: plain.startsWith(`${cleanAuthor} `) ? author : undefined };
  }
  if (ENCRYPTION_NOTICE.test(plain)) return { author: undefined, body: plain, system: 'encryption', actor: undefined };
  if (CALL_ONLY.test(plain)) return { author: undefined, body: plain, system: 'call', actor: author };
  const cleanAuthor = author.replace(BIDI, '').trim();
  if (plain.length > cleanAuthor.length && plain.charCodeAt(cleanAuthor.length) === 32 && plain.startsWith(cleanAuthor)) {
    // "+123 45 6789: +123 45 6789 updated the message timer…": a notice naming its own author.
    const t = systemType(plain);
    if (t && t !== 'contact') return { author: undefined, body: plain, system: t, actor: author };
  }
  return message;
}

const handles = new Map<string, HandleRef>();

/** An author as a handle: a phone number (E.164) when it is one, otherwise the name. Cached: authors repeat. */
export function authorHandle(name: string): HandleRef {
  let h = handles.get(name);
  if (!h) {
    h = makeHandle(name);
    if (handles.size > MAX_AUTHORS) handles.clear();
    handles.set(name, h);
  }
  return { ...h };
}

function makeHandle(name: string): HandleRef {
  const display = name.replace(BIDI, '').trim();
  const e164 = toE164(display);
  return e164 ? { kind: 'phone', value: e164, display } : { kind: 'name', value: display, display };
}

interface Scan {
  headers: number;
  inference: OrderInference;
  authors: Set<string>;
  authorsCapped: boolean;
  group: boolean;
  names: { name: string; header: Header }[];
  /** Who the encryption notice is written under: the chat's or group's name (iOS). */
  noticeAuthor: string | undefined;
}

async function scan(source: ChatSource, ctx: ImportContext, progress: (bytes: number) => void): Promise<Scan> {
  const s: Scan = { headers: 0, inference: new OrderInference(), authors: new Set(), authorsCapped: false, group: false, names: [], noticeAuthor: undefined };
  for await (const batch of lineBatches(await source.chat.open(), progress)) {
    if (ctx.signal.aborted) throw cancelled(ctx.path);
    const lines = batch.lines;
    for (let i = 0; i < lines.length; i++) {
      if (batch.pieces?.has(i)) continue;
      const h = parseHeader(lines[i]!);
      if (!h) continue;
      s.headers++;
      s.inference.add(h);
      const head = readHead(h.rest);
      if (head.system) {
        if (isGroupNotice(head.system, head.body)) s.group = true;
        if (head.system === 'encryption' && s.noticeAuthor === undefined) s.noticeAuthor = AUTHOR.exec(h.rest)?.[1]?.replace(BIDI, '').trim();
        const name = groupNameIn(head.system, head.body);
        if (name) s.names.push({ name, header: h });
      } else if (head.author !== undefined) {
        if (s.authors.size < MAX_AUTHORS) s.authors.add(head.author.replace(BIDI, '').trim());
        else s.authorsCapped = true;
      }
    }
  }
  return s;
}

/** The name in a zip's first local file header (readable even when the central directory is lost). */
function firstLocalName(file: string): string | undefined {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(30 + 1024);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    if (n < 30 || head.readUInt32LE(0) !== 0x04034b50) return undefined;
    const len = head.readUInt16LE(26);
    if (30 + len > n) return undefined;
    const name = head.subarray(30, 30 + len).toString('utf8');
    return name.slice(name.lastIndexOf('/') + 1);
  } finally {
    fs.closeSync(fd);
  }
}

function cancelled(file: string): HoldfastError {
  return new HoldfastError('CANCELLED', `Import of ${path.basename(file)} was cancelled; nothing from it was kept.`, { file });
}

interface Building {
  record: MessageRecord;
  body: string;
  lineNo: number;
  head: Head;
  header: Header;
}

export const whatsappTxt: Importer = {
  id: 'whatsapp-txt',
  name: 'WhatsApp chat export',
  description: 'WhatsApp "Export chat" from Android or iOS in any language: the .txt, the .zip with media, or the unpacked folder.',
  version: '2.0.0',

  async detect(file): Promise<Detection> {
    try {
      const stat = fs.statSync(file);
      if (stat.isDirectory()) {
        // Only the top level is looked at: detection must stay cheap on a large backup folder.
        const chat = fs.readdirSync(file, { withFileTypes: true }).find((e) => e.isFile() && isChatTextName(e.name));
        if (!chat) return { confidence: 0 };
        const full = path.join(file, chat.name);
        const hits = await headerLinesIn({ name: chat.name, size: 0, open: async () => fs.createReadStream(full, { end: 64 * 1024 }) });
        return hits > 0 ? { confidence: 0.85, variant: 'folder' } : { confidence: 0 };
      }
      if (!stat.isFile()) return { confidence: 0 };
      if (/\.zip$/i.test(file) || looksLikeZip(file)) {
        const zip = await openZip(file).catch(() => undefined);
        // A damaged zip whose first entry is a chat text is still a WhatsApp export (read then says what is wrong).
        if (!zip) return isChatTextName(firstLocalName(file) ?? '') ? { confidence: 0.9, variant: 'zip' } : { confidence: 0 };
        try {
          const texts = zip.entries.filter((e) => !e.isDirectory && /\.txt$/i.test(e.name) && e.name.split('/').length <= 2);
          if (texts.length === 0) return { confidence: 0 };
          const named = texts.find((e) => isChatTextName(e.name.slice(e.name.lastIndexOf('/') + 1)));
          for (const e of named ? [named] : texts.slice(0, 5)) {
            const hits = await headerLinesIn({ name: e.name, size: e.size, open: () => zip.openEntry(e) });
            if (hits > 0) return { confidence: named ? 0.95 : 0.6, variant: 'zip' };
          }
          return { confidence: 0 };
        } finally {
          zip.close();
        }
      }
      if (!/\.txt$/i.test(file)) return { confidence: 0 };
      const hits = await headerLinesIn({ name: '', size: stat.size, open: async () => fs.createReadStream(file, { end: 64 * 1024 }) }, 64 * 1024);
      if (hits === 0) return { confidence: 0 };
      return { confidence: Math.min(0.95, 0.5 + hits / 20), variant: 'txt' };
    } catch {
      return { confidence: 0 };
    }
  },

  async probe(file): Promise<Probe> {
    const source = await openChatSource(file);
    try {
      return { variant: source.kind, conversations: 1, hasAttachments: source.kind !== 'txt', hasEdits: await hasEditMarker(source) };
    } finally {
      source.close();
    }
  },

  async estimate(file) {
    const stat = fs.statSync(file);
    if (!stat.isDirectory()) return { total: stat.size };
    const source = await openChatSource(file);
    source.close();
    return { total: source.chat.size };
  },

  read(ctx) {
    return readExport(ctx);
  },
};

async function* readExport(ctx: ImportContext): AsyncGenerator<ImportRecord> {
  const file = ctx.path;
  const clock = new ZoneClock(ctx.options.tz);
  const source = await openChatSource(file);
  try {
    for (const w of source.warnings) ctx.warn(w);
    const total = Math.max(1, source.chat.size);
    const fileSize = source.kind === 'folder' ? total : fs.statSync(file).size;
    const report = (pass: 0 | 1) => (bytes: number) => ctx.progress(Math.round(fileSize * (pass + Math.min(1, bytes / total)) / 2));

    const where = source.kind === 'txt' ? file : `${file} (${source.chat.name})`;
    const otherApp = otherAppIn((await headText(source.chat)) ?? '');
    if (otherApp) {
      throw new HoldfastError('IMPORT_UNSUPPORTED_SOURCE', `${where} is an export of ${otherApp}, not a WhatsApp chat export; Holdfast has no importer for it yet.`, { file, position: `${source.locatorPrefix}line 1` });
    }
    const s = await scan(source, ctx, report(0));
    if (s.headers === 0) {
      const why = source.chat.size === 0 ? 'is empty' : 'has no WhatsApp message lines ("date, time - Name: text" or "[date, time] Name: text")';
      throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `${where} ${why}; is it a WhatsApp chat export?`, { file, position: `${source.locatorPrefix}line 1` });
    }

    const orders = decideOrders(s, ctx, source.locatorPrefix);
    const orderFor = (h: Header): Order => orders.get(shapeOf(h)) ?? { pos: 'last', dayFirst: true };
    const at = (h: Header): number | undefined => {
      const w = wallClock(h, orderFor(h));
      return w ? clock.toUtc(w) : undefined;
    };

    // The conversation.
    const nameHistory = s.names.flatMap((n) => {
      const t = at(n.header);
      return t === undefined ? [] : [{ name: n.name, fromAt: t }];
    });
    const isGroup = s.group || s.authors.size > 2 || s.authorsCapped;
    const named = ctx.options.conversation?.trim() || chatNameFromFileName(file)
      || (source.kind !== 'txt' ? chatNameFromFileName(source.chat.name) : undefined)
      || chatNameFromFileName(path.dirname(path.resolve(file)))
      || s.noticeAuthor || nameHistory[0]?.name;
    const name = named ?? (!isGroup && s.authors.size === 2 ? [...s.authors].sort().join(' & ') : undefined) ?? plainName(file) ?? plainName(source.chat.name) ?? path.basename(file);
    if (!named) {
      ctx.warn({ code: 'BAD_RECORD', locator: path.basename(file), message: `the chat's name could not be read from the file name; it is called "${name}". Import later exports of this chat with --conversation "${name}" so they join this one.` });
    }
    const members = [...s.authors].map((a) => ({ handle: authorHandle(a) }));
    const convKey = 'chat';
    // The same export as a bare chat text, a folder or a zip may be named by different evidence: each
    // name the content or its containers give is an alias, so ingest finds the chat whichever came first.
    const aliases = ctx.options.conversation?.trim() ? [] : [...new Set([
      chatNameFromFileName(file), source.kind !== 'txt' ? chatNameFromFileName(source.chat.name) : undefined,
      chatNameFromFileName(path.dirname(path.resolve(file))), s.noticeAuthor, nameHistory[0]?.name,
      !isGroup && s.authors.size === 2 ? [...s.authors].sort().join(' & ') : undefined,
    ])].filter((n): n is string => n !== undefined && n !== name).map((n) => `export:${n}`);
    const conversation: ConversationRecord = {
      type: 'conversation', key: convKey, platform: 'whatsapp', externalId: `export:${name}`, kind: isGroup ? 'group' : 'direct', name,
      ...(aliases.length ? { aliases } : {}),
      ...(nameHistory.length ? { nameHistory } : {}), members, locator: source.kind === 'txt' ? path.basename(file) : source.chat.name,
    };
    yield conversation;
    // The device owner, named by the examiner (--owner), wrote the outgoing messages. Without that,
    // in a two-person chat named after one of them, that person wrote the incoming messages.
    const same = (a: string, b: string) => a === b || a.toLowerCase() === b.toLowerCase() || (toE164(a) !== undefined && toE164(a) === toE164(b));
    const owner = ctx.options.owner?.trim();
    const other = !isGroup && s.authors.size === 2 ? [...s.authors].find((a) => same(a, name)) : undefined;
    if (owner && ![...s.authors].some((a) => same(a.replace(BIDI, '').trim(), owner))) {
      ctx.warn({ code: 'BAD_RECORD', locator: path.basename(file), message: `nobody named "${owner}" (--owner) wrote in this chat; every message is marked incoming.` });
    }
    const direction = (author: string | undefined): MessageRecord['direction'] => {
      if (author === undefined) return 'unknown';
      const who = author.replace(BIDI, '').trim();
      if (owner) return same(who, owner) ? 'out' : 'in';
      if (other === undefined) return 'unknown';
      return who === other ? 'in' : 'out';
    };

    // Pass 2: the messages.
    const prefix = source.locatorPrefix;
    let current: Building | undefined;
    let preamble = '';
    let preambleDropped = 0;
    let lineNo = 0;
    const start = (h: Header, head: Head, sentAt: number, no: number, note?: string): Building => ({
      header: h, head, lineNo: no, body: head.body,
      record: {
        type: 'message', conversationKey: convKey, sender: null, direction: direction(head.author), sentAt, rawTime: h.raw,
        timePrecision: h.second === undefined ? 'minute' : 'second', kind: head.system ? 'system' : 'message', text: '',
        locator: `${prefix}line ${no}${note ?? ''}`,
      },
    });
    const finish = (b: Building): MessageRecord => finishMessage(b, source, file);

    for await (const batch of lineBatches(await source.chat.open().then((st) => source.tap(source.chat, st)), report(1))) {
      if (ctx.signal.aborted) throw cancelled(file);
      const lines = batch.lines;
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!;
        if (batch.pieces?.has(i)) {
          if (current) current.body += line;
          else preamble = addPreamble(preamble, line, false);
          continue;
        }
        lineNo++;
        const h = parseHeader(line);
        let sentAt: number | undefined;
        let unreadable = false;
        if (h) {
          const order = orderFor(h);
          let w = wallClock(h, order);
          if (!w) {
            const swapped = { pos: order.pos, dayFirst: !order.dayFirst };
            w = wallClock(h, swapped);
            if (w) {
              ctx.warn({ code: 'AMBIGUOUS_DATE', locator: `${prefix}line ${lineNo}`, message: `"${h.raw}" is not a date read as ${orderName(order)} like the rest of its kind; read as ${orderName(swapped)}` });
            } else {
              unreadable = true;
            }
          }
          if (w) sentAt = clock.toUtc(w);
        }
        if (h && unreadable) {
          // A message line whose timestamp is impossible: still its author's own message, dated with
          // the message before it and flagged, never folded into that message.
          const previous = current?.record.sentAt;
          ctx.warn({
            code: 'BAD_DATE', locator: `${prefix}line ${lineNo}`,
            message: `"${h.raw}" is not a valid date or time; the line was kept as its own message, ${previous === undefined ? 'with no time' : 'dated with the message before it'} and flagged "time unknown"`,
          });
          if (current) yield finish(current);
          current = start(h, readHead(h.rest), previous ?? 0, lineNo);
          current.record.timeSource = previous === undefined ? 'none' : 'previous-message';
          continue;
        }
        if (h && sentAt !== undefined) {
          if (current) yield finish(current);
          else if (preamble.trim()) {
            ctx.warn({ code: 'BAD_LINE', locator: `${prefix}line 1`, message: `text before the first message line was kept as a note dated with the first message${preambleDropped ? ` (${preambleDropped} characters beyond ${MAX_PREAMBLE_CHARS} were left out)` : ''}` });
            yield {
              type: 'message', conversationKey: convKey, sender: null, direction: 'unknown', sentAt, rawTime: '', timePrecision: 'minute',
              kind: 'system', systemType: 'other', text: preamble.replace(TRAILING_BLANK_LINES, ''), locator: `${prefix}line 1`,
            };
          }
          current = start(h, readHead(h.rest), sentAt, lineNo);
          continue;
        }
        if (current) {
          if (current.body.length + line.length > MAX_MESSAGE_CHARS) {
            ctx.warn({ code: 'LIMIT_EXCEEDED', locator: current.record.locator, message: `message longer than ${MAX_MESSAGE_CHARS} characters; continued in a further record` });
            const next = start(current.header, { ...current.head, body: '' }, current.record.sentAt, current.lineNo, ` (continued at line ${lineNo})`);
            yield finish(current);
            current = next;
            current.body = line;
          } else {
            current.body += `\n${line}`;
          }
        } else {
          const before = preamble.length;
          preamble = addPreamble(preamble, line, true);
          if (preamble.length === before && line.length) preambleDropped += line.length;
        }
      }
    }
    if (current) yield finish(current);
    yield* source.custody((f, err) => ctx.warn({ code: 'BAD_RECORD', locator: `entry ${f.name}`, message: `could not be read to record its hash: ${err instanceof Error ? err.message : String(err)}` }));
  } finally {
    source.close();
  }
}

/** Whether the chat text anywhere says a message was edited (read through once, in chunks). */
async function hasEditMarker(source: ChatSource): Promise<boolean> {
  const stream = await source.chat.open();
  let tail = '';
  try {
    for await (const { lines } of lineBatches(stream)) {
      const text = tail + lines.join('\n');
      if (EDITED_MARKER.test(text)) return true;
      tail = text.slice(-64);
    }
    return false;
  } finally {
    stream.destroy();
  }
}

function isSpaceCode(c: number): boolean {
  return c === 10 || c === 32 || c === 9 || c === 13 || c === 0xa0;
}

function addPreamble(preamble: string, line: string, newLine: boolean): string {
  if (preamble.length + line.length > MAX_PREAMBLE_CHARS) return preamble;
  return preamble && newLine ? `${preamble}\n${line}` : preamble + line;
}

function decideOrders(s: Scan, ctx: ImportContext, prefix: string): Map<string, Order> {
  const decided = s.inference.decide();
  if (ctx.options.dateOrder) {
    const fixed = orderFromOption(ctx.options.dateOrder);
    return new Map([...decided.orders.keys()].map((shape) => [shape, fixed]));
  }
  for (const shape of decided.conflicting) {
    const o = decided.orders.get(shape)!;
    ctx.warn({ code: 'AMBIGUOUS_DATE', locator: `${prefix}line 1`, message: `this export mixes day-first and month-first dates of the same form; dates that read both ways were taken as ${orderName(o)} (use --date-order to choose)` });
  }
  for (const [shape, by] of decided.guessed) {
    if (decided.conflicting.includes(shape)) continue;
    const o = decided.orders.get(shape)!;
    const how = by === 'none' ? 'could not be told from the dates and was taken as' : 'was inferred from how the dates progress as';
    ctx.warn({ code: 'AMBIGUOUS_DATE', locator: `${prefix}line 1`, message: `no day in this export is over 12, so the date order ${how} ${orderName(o)} (use --date-order to choose)` });
  }
  return decided.orders;
}

function finishMessage(b: Building, source: ChatSource, file: string): MessageRecord {
  const r = b.record;
  // WhatsApp trims what is sent: blank lines after a message are the export's, not the sender's.
  if (isSpaceCode(b.body.charCodeAt(b.body.length - 1))) b.body = b.body.replace(TRAILING_BLANK_LINES, '');
  if (b.head.system) {
    r.systemType = b.head.system;
    r.text = b.body.replace(LEADING_MARKS, '');
    if (b.head.actor !== undefined) r.sender = authorHandle(b.head.actor);
    return r;
  }
  r.sender = authorHandle(b.head.author!);
  let text = b.body;
  const unedited = withoutEditedMarker(text);
  if (unedited !== undefined) {
    r.edited = true;
    text = unedited;
  }
  if (isDeletedMarker(text)) {
    r.deleted = true;
    r.text = text.replace(LEADING_MARKS, '');
    return r;
  }
  const ref = mediaIn(text, (n) => source.findMedia(n) !== undefined);
  if (ref) {
    r.attachments = [attachment(ref, source, file, r.locator)];
    text = ref.caption;
  }
  r.text = text;
  return r;
}

function attachment(ref: NonNullable<ReturnType<typeof mediaIn>>, source: ChatSource, file: string, locator: string): AttachmentRecord {
  const mime = mimeOf(ref.name);
  const base: AttachmentRecord = { name: ref.name, ...(mime ? { mime } : {}), locator };
  if (ref.omitted) return { ...base, missingReason: `the export left this media out ("${ref.placeholder}")` };
  const found = source.findMedia(ref.name);
  if (found) {
    return { ...base, size: found.size, locator: `entry ${found.name}`, open: async () => source.tap(found, await found.open()) };
  }
  if (source.kind === 'txt') return { ...base, missingReason: `${ref.name} is not in a bare .txt export; import the .zip or the unpacked folder to include it` };
  const refused = source.refused(ref.name);
  if (refused) return { ...base, missingReason: `refused: ${refused}` };
  return { ...base, missingReason: `${ref.name} is referenced by the chat but is not in ${path.basename(file)}` };
}
