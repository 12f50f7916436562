/**
 * Telegram Desktop "Export chat history" / "Export Telegram data" in JSON (`result.json`), single-chat
 * or whole-account (`chats.list`, `left_chats.list`), with media files beside it. The JSON is parsed
 * as a stream: only the message being read is in memory. Format facts: README.md beside this file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { JSONParser } from '@streamparser/json';
import { DateTime } from 'luxon';
import { HoldfastError } from '../../api/errors.ts';
import type {
  AttachmentRecord, ConversationRecord, HandleRef, ImportContext, Importer, ImportRecord, ImportWarning, MessageRecord, ReactionRecordData,
} from '../types.ts';
import { flattenText } from './text.ts';
import type { TelegramText } from './text.ts';
import { describeService, systemType } from './service.ts';
import type { ServiceFields } from './service.ts';
import { checkedTime } from '../time-range.ts';

interface TelegramReaction {
  type?: string;
  count?: number;
  emoji?: string;
  document_id?: string;
  recent?: { from?: string | null; from_id?: string | number; date?: string }[];
}

interface TelegramMessage extends ServiceFields {
  id?: number;
  type?: string;
  date?: string;
  date_unixtime?: string;
  edited?: string;
  edited_unixtime?: string;
  from?: string | null;
  from_id?: string | number;
  actor_id?: string | number;
  text?: TelegramText;
  reply_to_message_id?: number;
  reply_to_peer_id?: string;
  forwarded_from?: string | null;
  saved_from?: string | null;
  photo?: string;
  file?: string;
  file_name?: string;
  media_type?: string;
  mime_type?: string;
  sticker_emoji?: string;
  contact_vcard?: string;
  contact_information?: { first_name?: string; last_name?: string; phone_number?: string };
  location_information?: { latitude?: number; longitude?: number };
  place_name?: string;
  address?: string;
  poll?: { question?: string; answers?: { text?: string; voters?: number }[] };
  reactions?: TelegramReaction[];
}

interface ChatHeader {
  name?: string | null;
  type?: string;
  id?: number | string;
}

const CHAT_KIND: Record<string, ConversationRecord['kind']> = {
  personal_chat: 'direct', bot_chat: 'direct', saved_messages: 'direct', private_group: 'group', private_supergroup: 'group',
  public_supergroup: 'group', private_channel: 'channel', public_channel: 'channel',
};

/** Users, basic groups and channels/supergroups are separate id spaces on Telegram: the same number can be one of each. */
const PEER_PREFIX: Record<string, string> = {
  personal_chat: 'user', bot_chat: 'user', saved_messages: 'user', private_group: 'chat', private_supergroup: 'channel',
  public_supergroup: 'channel', private_channel: 'channel', public_channel: 'channel',
};

const IMAGE_EXT: Record<string, string> = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.webp': 'image/webp', '.gif': 'image/gif' };

/** Old exports write ids as numbers (22222222); newer ones as `user22222222` / `channel123`. */
export function peerId(id: string | number | undefined | null): string | undefined {
  if (id === undefined || id === null || id === '') return undefined;
  return typeof id === 'number' || /^\d+$/.test(id) ? `user${id}` : id;
}

function handle(id: string | number | undefined | null, display: string | null | undefined): HandleRef | null {
  const value = peerId(id);
  if (!value) return display ? { kind: 'name', value: display, display } : null;
  return display ? { kind: 'telegram', value, display } : { kind: 'telegram', value };
}

/** The export file inside a folder, or the file itself. */
function resultFile(p: string): string {
  try {
    if (fs.statSync(p).isDirectory()) return path.join(p, 'result.json');
  } catch {
    // Reported by the caller.
  }
  return p;
}

async function headText(file: string, bytes = 8192): Promise<string> {
  const fd = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fd.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await fd.close();
  }
}

/**
 * By structure: an account export has `personal_information` or a `chats` (or `left_chats`) object
 * holding a `list` (its `about` text is optional); one chat has its `type` and `messages`.
 */
function looksLikeTelegram(head: string): 'account' | 'chat' | undefined {
  const t = head.replace(/^\uFEFF/, '').trimStart();
  if (!t.startsWith('{')) return undefined;
  const keys = topLevelKeys(t);
  if (keys.includes('personal_information') || /"(?:left_)?chats"\s*:\s*\{\s*(?:"about"\s*:\s*"(?:[^"\\]|\\.)*"\s*,\s*)?"list"\s*:\s*\[/.test(t)) return 'account';
  if (/"type"\s*:\s*"(personal_chat|bot_chat|saved_messages|private_group|private_supergroup|public_supergroup|private_channel|public_channel)"/.test(t) && /"messages"\s*:/.test(t)) {
    return 'chat';
  }
  return undefined;
}

/** The keys of the outermost object as far as `head` goes (strings and nesting skipped), to say what was found. */
function topLevelKeys(head: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head[i];
    if (c === '"') {
      let j = i + 1;
      while (j < head.length && head[j] !== '"') j += head[j] === '\\' ? 2 : 1;
      if (depth === 1 && /^\s*:/.test(head.slice(j + 1, j + 16))) keys.push(head.slice(i + 1, j));
      i = j;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return keys;
}

function notTelegram(file: string, head: string): HoldfastError {
  const t = head.replace(/^\uFEFF/, '').trimStart();
  const found = !t.startsWith('{') ? `text starting "${t.slice(0, 20)}"` : `an object with ${topLevelKeys(t).map((k) => `"${k}"`).join(', ') || 'no keys'} at the start`;
  return new HoldfastError(
    'IMPORT_UNSUPPORTED_SOURCE',
    `${file} is not a Telegram Desktop JSON export: expected an object with "personal_information" or "chats": {"list": […]} (whole account) or "name", "type" and "messages" (one chat); found ${found}.`,
    { file, position: 'byte 0' },
  );
}

/**
 * The exporting computer's UTC offset over time, from messages that carry both their local `date`
 * and `date_unixtime` (newer exports; older ones wrote only `date`). A cheap regex pass before the
 * JSON is parsed; the two fields are adjacent in every export seen.
 */
async function exportOffsets(file: string, signal: AbortSignal): Promise<{ at: number; offset: number }[]> {
  const pair = /"date"\s*:\s*"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)"\s*,\s*"date_unixtime"\s*:\s*"(\d+)"/g;
  const found = new Map<number, number>();
  let tail = '';
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20, signal })) {
    const text = tail + (chunk as Buffer).toString('utf8');
    for (const m of text.matchAll(pair)) {
      const at = Number(m[2]) * 1000;
      found.set(at, Math.round((Date.parse(`${m[1]}Z`) - at) / 60_000));
    }
    tail = text.slice(-200);
  }
  return [...found].map(([at, offset]) => ({ at, offset })).sort((a, b) => a.at - b.at);
}

/** The offset in force nearest to a wall-clock time (summer time changes it within one export). */
function offsetNear(offsets: { at: number; offset: number }[], wall: number): number {
  let lo = 0;
  let hi = offsets.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid]!.at + offsets[mid]!.offset * 60_000 < wall) lo = mid + 1;
    else hi = mid;
  }
  const after = offsets[lo]!;
  const before = offsets[Math.max(0, lo - 1)]!;
  return Math.abs(wall - (before.at + before.offset * 60_000)) <= Math.abs(after.at + after.offset * 60_000 - wall) ? before.offset : after.offset;
}

function offsetName(minutes: number): string {
  const abs = Math.abs(minutes);
  return `UTC${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * Old exports write "not edited" as the Unix epoch in the exporting computer's local time
 * ("1970-01-01T05:00:00"), which reveals that computer's UTC offset (in 1970).
 */
function zoneHint(edited: string | undefined): string {
  const m = /^(1970-01-01|1969-12-31)T(\d\d):(\d\d):00$/.exec(edited ?? '');
  if (!m) return '';
  const minutes = (m[1] === '1970-01-01' ? 1 : -1) * (m[1] === '1970-01-01' ? Number(m[2]) * 60 + Number(m[3]) : 24 * 60 - Number(m[2]) * 60 - Number(m[3]));
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return ` (the "not edited" marker ${edited} suggests the exporting computer was at UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}; use --tz to match)`;
}

class ChatReader {
  private readonly ctx: ImportContext;
  private readonly baseDir: string;
  ownerId: string | undefined;
  private readonly headers = new Map<string, ChatHeader>();
  private readonly emitted = new Set<string>();
  private warnedZone = false;
  /** The export's own offsets, learnt from messages carrying both times (empty when none does). */
  offsets: { at: number; offset: number }[] = [];

  constructor(ctx: ImportContext, file: string) {
    this.ctx = ctx;
    this.baseDir = path.dirname(file);
  }

  header(chatKey: string, field: keyof ChatHeader, value: unknown): void {
    const h = this.headers.get(chatKey) ?? {};
    (h as Record<string, unknown>)[field] = value;
    this.headers.set(chatKey, h);
  }

  /** Records for one message: its conversation first when this is the chat's first message. */
  message(chatKey: string, raw: TelegramMessage, index: number): ImportRecord[] {
    const out: ImportRecord[] = [];
    const h = this.headers.get(chatKey) ?? {};
    const convKey = chatKey;
    const locator = `${chatKey === 'chat' ? '' : `${chatKey} `}message ${index}${raw.id !== undefined ? ` (id ${raw.id})` : ''}`;
    if (!this.emitted.has(chatKey)) {
      this.emitted.add(chatKey);
      if (h.id === undefined) {
        this.ctx.warn({ code: 'BAD_RECORD', locator, message: 'chat has no id before its messages; identified by its name only' });
      }
      out.push({
        type: 'conversation', key: convKey, platform: 'telegram',
        externalId: h.id !== undefined ? `${PEER_PREFIX[h.type ?? ''] ?? ''}${String(h.id)}` : `name:${h.name ?? chatKey}`,
        kind: CHAT_KIND[h.type ?? ''] ?? 'group', ...(h.name ? { name: h.name } : {}), locator: chatKey === 'chat' ? 'result.json' : `result.json ${chatKey}`,
      });
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      this.ctx.warn({ code: 'BAD_RECORD', locator, message: 'message is not an object' });
      return out;
    }
    const time = this.time(raw, locator);
    const service = raw.type === 'service';
    const text = flattenText(raw.text);
    const sender = service ? handle(raw.actor_id, raw.actor) : handle(raw.from_id, raw.from);
    const senderId = peerId(service ? raw.actor_id : raw.from_id);
    const msg: MessageRecord = {
      type: 'message', conversationKey: convKey, sender,
      direction: this.ownerId === undefined || !senderId ? 'unknown' : senderId === this.ownerId ? 'out' : 'in',
      sentAt: time.sentAt, rawTime: time.raw, timePrecision: 'second', ...(time.timeUnknown ? { timeUnknown: true } : {}),
      kind: service ? 'system' : 'message', text: service ? describeService(raw, text) : this.messageText(raw, text), locator,
    };
    if (raw.id !== undefined) {
      msg.externalId = String(raw.id);
      msg.key = String(raw.id);
    }
    if (service) msg.systemType = systemType(raw.action);
    if (raw.reply_to_message_id !== undefined && !raw.reply_to_peer_id) msg.replyToKey = String(raw.reply_to_message_id);
    if (this.isEdited(raw)) msg.edited = true;
    if ('forwarded_from' in raw) msg.forwardedFrom = raw.forwarded_from ?? '(hidden sender)';
    else if (raw.saved_from) msg.forwardedFrom = raw.saved_from;
    const attachments = this.attachments(raw, locator);
    if (attachments.length) msg.attachments = attachments;
    const reactions = this.reactions(raw, locator);
    if (reactions.length) msg.reactions = reactions;
    out.push(msg);
    return out;
  }

  /** The message's time, range-checked (time-range.ts): an unusable one is kept raw and flagged, not skipped. */
  private time(raw: TelegramMessage, locator: string): { sentAt: number; timeUnknown: boolean; raw: string } {
    const warn = (w: ImportWarning) => this.ctx.warn(w);
    if (raw.date_unixtime !== undefined && /^\d+$/.test(String(raw.date_unixtime))) {
      const text = String(raw.date_unixtime);
      return { ...checkedTime(warn, locator, text, Number(text) * 1000), raw: text };
    }
    const wall = typeof raw.date === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(raw.date) ? Date.parse(`${raw.date}Z`) : Number.NaN;
    if (this.offsets.length && !Number.isNaN(wall)) {
      // Other messages of this export carry both times: they tell the exporting computer's offset.
      const offset = offsetNear(this.offsets, wall);
      if (!this.warnedZone) {
        this.warnedZone = true;
        const distinct = [...new Set(this.offsets.map((o) => o.offset))].map(offsetName).join(', ');
        this.ctx.warn({
          code: 'AMBIGUOUS_DATE', locator,
          message: `some messages have only a local "date" (no date_unixtime); read with the exporting computer's offset (${distinct}) that the export's other messages, which carry both, reveal — not with ${this.ctx.options.tz}`,
        });
      }
      return { ...checkedTime(warn, locator, raw.date!, wall - offset * 60_000), raw: raw.date! };
    }
    if (typeof raw.date === 'string') {
      // Before 2021 exports wrote only the exporting computer's local time, without a zone.
      const dt = DateTime.fromISO(raw.date, { zone: this.ctx.options.tz });
      if (dt.isValid) {
        if (!this.warnedZone) {
          this.warnedZone = true;
          this.ctx.warn({ code: 'AMBIGUOUS_DATE', locator, message: `times carry no zone (no date_unixtime); read as ${this.ctx.options.tz}${zoneHint(raw.edited)}` });
        }
        return { ...checkedTime(warn, locator, raw.date, dt.toMillis()), raw: raw.date };
      }
    }
    const text = String(raw.date ?? '');
    return { ...checkedTime(warn, locator, text, undefined), raw: text };
  }

  /** Unedited messages in old exports carry the epoch in local time ("1970-01-01T05:00:00"). */
  private isEdited(raw: TelegramMessage): boolean {
    if (raw.edited_unixtime !== undefined) return Number(raw.edited_unixtime) > 0;
    return typeof raw.edited === 'string' && !raw.edited.startsWith('1970-01-01') && !raw.edited.startsWith('1969-12-31');
  }

  /** Text plus what a reviewer needs of contacts, places and polls, which have no text of their own. */
  private messageText(raw: TelegramMessage, text: string): string {
    const extra: string[] = [];
    if (raw.contact_information) {
      const c = raw.contact_information;
      extra.push(`[contact: ${[c.first_name, c.last_name].filter(Boolean).join(' ')}${c.phone_number ? ` ${c.phone_number}` : ''}]`);
    }
    if (raw.location_information) {
      const l = raw.location_information;
      extra.push(`[location: ${[raw.place_name, raw.address].filter(Boolean).join(', ')}${raw.place_name || raw.address ? ' ' : ''}${l.latitude},${l.longitude}]`);
    }
    if (raw.poll) {
      extra.push(`[poll: ${raw.poll.question ?? ''} — ${(raw.poll.answers ?? []).map((a) => `${a.text ?? ''} (${a.voters ?? 0})`).join('; ')}]`);
    }
    if (raw.media_type === 'sticker' && raw.sticker_emoji && !text) extra.push(`[sticker ${raw.sticker_emoji}]`);
    return [text, ...extra].filter(Boolean).join('\n');
  }

  private attachments(raw: TelegramMessage, locator: string): AttachmentRecord[] {
    const out: AttachmentRecord[] = [];
    const add = (rel: string | undefined, mime: string | undefined, field: string) => {
      if (typeof rel !== 'string' || !rel) return;
      const name = path.basename(rel.replace(/\\/g, '/'));
      if (/^\(.*\)$/.test(rel.trim())) {
        // "(File not included. Change data exporting settings to download.)", "(File exceeds maximum size...)".
        out.push({ name: raw.file_name ?? `${raw.media_type ?? field}-${raw.id ?? ''}`, ...(mime ? { mime } : {}), missingReason: rel.trim().slice(1, -1), locator: `${locator} ${field}` });
        return;
      }
      const full = path.resolve(this.baseDir, rel);
      const inside = full.startsWith(path.resolve(this.baseDir) + path.sep);
      const ref = { name, ...(mime ? { mime } : {}), locator: `${locator} ${field} ${rel}` };
      if (!inside) {
        out.push({ ...ref, missingReason: `path ${rel} points outside the export folder; not read` });
        return;
      }
      let size: number | undefined;
      try {
        const st = fs.statSync(full);
        if (st.isFile()) size = st.size;
      } catch {
        size = undefined;
      }
      if (size === undefined) {
        out.push({ ...ref, missingReason: `not found beside the export (${rel})` });
        return;
      }
      out.push({ ...ref, size, open: async () => fs.createReadStream(full) });
    };
    add(raw.photo, raw.photo ? (IMAGE_EXT[path.extname(raw.photo).toLowerCase()] ?? 'image/jpeg') : undefined, 'photo');
    add(raw.file, raw.mime_type, 'file');
    add(raw.contact_vcard, 'text/vcard', 'contact_vcard');
    if (out.length === 0 && raw.photo === undefined && raw.file === undefined && raw.media_type) {
      this.ctx.warn({ code: 'MISSING_FILE', locator, message: `${raw.media_type} without a file reference` });
    }
    return out;
  }

  private reactions(raw: TelegramMessage, locator: string): ReactionRecordData[] {
    if (!Array.isArray(raw.reactions)) return [];
    const out: ReactionRecordData[] = [];
    for (const r of raw.reactions) {
      const value = r.emoji ?? (r.type === 'custom_emoji' && r.document_id ? `custom_emoji:${r.document_id}` : r.type === 'paid' ? '⭐' : r.type);
      if (!value) {
        this.ctx.warn({ code: 'BAD_RECORD', locator, message: 'reaction without a value' });
        continue;
      }
      const recent = Array.isArray(r.recent) ? r.recent : [];
      for (const who of recent) {
        const at = who.date ? DateTime.fromISO(who.date, { zone: this.ctx.options.tz }) : undefined;
        out.push({ sender: handle(who.from_id, who.from), value, ...(at?.isValid ? { at: at.toMillis() } : {}) });
      }
      // Exports list only the most recent reactors; the rest are counted, anonymously.
      for (let i = recent.length; i < (r.count ?? recent.length); i++) out.push({ sender: null, value });
    }
    return out;
  }
}

/** JSON paths the stream parser emits; everything else is skipped without being kept. */
const SECTIONS = ['chats', 'left_chats'] as const;
const PATHS = [
  '$.personal_information', '$.name', '$.type', '$.id', '$.messages.*',
  ...SECTIONS.flatMap((s) => [`$.${s}.list.*.name`, `$.${s}.list.*.type`, `$.${s}.list.*.id`, `$.${s}.list.*.messages.*`]),
];

interface Emitted {
  value: unknown;
  key: string | number | undefined;
  stack: { key: string | number | undefined }[];
}

export const telegramJson: Importer = {
  id: 'telegram-json',
  name: 'Telegram Desktop export (JSON)',
  description: 'result.json of Telegram Desktop "Export chat history" or "Export Telegram data" (machine-readable JSON), with its media folder.',
  version: '1.0.0',

  async detect(p) {
    try {
      const file = resultFile(p);
      if (!/\.json$/i.test(file) || !(await fs.promises.stat(file)).isFile()) return { confidence: 0 };
      const kind = looksLikeTelegram(await headText(file));
      return kind ? { confidence: 0.9, variant: kind } : { confidence: 0 };
    } catch {
      return { confidence: 0 };
    }
  },

  async probe(p) {
    const file = resultFile(p);
    const head = await headText(file, 64 * 1024);
    return {
      variant: looksLikeTelegram(head) ?? 'unknown',
      hasAttachments: /"(photo|file)"\s*:/.test(head),
      hasReactions: /"reactions"\s*:/.test(head),
      hasEdits: /"edited_unixtime"\s*:|"edited"\s*:\s*"(?!1970|1969)/.test(head),
    };
  },

  async estimate(p) {
    return { total: (await fs.promises.stat(resultFile(p))).size };
  },

  async *read(ctx): AsyncGenerator<ImportRecord> {
    const file = resultFile(ctx.path);
    if (!fs.existsSync(file)) {
      throw new HoldfastError('IMPORT_UNSUPPORTED_SOURCE', `${ctx.path} has no result.json: not a Telegram Desktop JSON export.`, { file: ctx.path });
    }
    const reader = new ChatReader(ctx, file);
    reader.offsets = await exportOffsets(file, ctx.signal);
    const parser = new JSONParser({ paths: PATHS, keepStack: false });
    const queue: Emitted[] = [];
    let failure: Error | undefined;
    parser.onValue = ({ value, key, stack }) => {
      queue.push({ value, key, stack: stack.map((s) => ({ key: s.key })) });
    };
    parser.onError = (err) => {
      failure ??= err;
    };
    let recognised = false;
    const counts = new Map<string, number>();
    const dispatch = (e: Emitted): ImportRecord[] => {
      const where = [...e.stack.slice(1).map((s) => s.key), e.key];
      // ['personal_information'] | ['name'] | ['messages', i] | [section, 'list', i, field] | [section, 'list', i, 'messages', j]
      if (where[0] === 'personal_information') {
        const info = e.value as { user_id?: number | string } | null;
        reader.ownerId = peerId(info?.user_id);
        return [];
      }
      const isSection = where[1] === 'list' && typeof where[2] === 'number';
      const chatKey = isSection ? `${String(where[0])}[${where[2]}]` : 'chat';
      const field = isSection ? where[3] : where[0];
      if (field === 'messages') {
        recognised = true;
        const n = (counts.get(chatKey) ?? 0) + 1;
        counts.set(chatKey, n);
        return reader.message(chatKey, e.value as TelegramMessage, n);
      }
      if (field === 'name' || field === 'type' || field === 'id') reader.header(chatKey, field, e.value);
      return [];
    };

    const stream = fs.createReadStream(file, { highWaterMark: 1 << 20, signal: ctx.signal });
    let bytes = 0;
    let started = false;
    for await (const chunk of stream) {
      let buf = chunk as Buffer;
      if (!started) {
        started = true;
        if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
        const head = buf.subarray(0, 8192).toString('utf8');
        if (!looksLikeTelegram(head)) throw notTelegram(file, head);
      }
      bytes += (chunk as Buffer).length;
      if (!parser.isEnded) parser.write(buf);
      if (failure) throw corrupt(file, failure);
      for (const e of queue.splice(0)) yield* dispatch(e);
      ctx.progress(bytes);
    }
    if (!parser.isEnded) {
      try {
        parser.end();
      } catch (err) {
        failure ??= err as Error;
      }
    }
    if (failure) throw corrupt(file, failure);
    for (const e of queue.splice(0)) yield* dispatch(e);
    if (!started) throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `${file} is empty.`, { file, position: 'byte 0' });
    if (!recognised) ctx.warn({ code: 'BAD_RECORD', locator: path.basename(file), message: 'the export holds no messages' });
  },
};

function corrupt(file: string, err: Error): HoldfastError {
  const pos = /absolute position "(\d+)"/.exec(err.message);
  const position = pos ? `byte ${pos[1]}` : 'end of file';
  const why = /ended in mid-parsing|ended in the middle/.test(err.message) ? 'the file ends in the middle of the JSON (truncated?)' : err.message;
  return new HoldfastError('IMPORT_SOURCE_CORRUPT', `${file} is not valid JSON at ${position}: ${why}`, { file, position }, { cause: err });
}
