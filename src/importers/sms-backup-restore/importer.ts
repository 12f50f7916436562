/**
 * "SMS Backup & Restore" (SyncTech) XML: `<smses>` holding `<sms>` rows and `<mms>` elements with
 * `<parts>` and `<addrs>`. Streamed with saxes; one conversation per set of other-party addresses.
 * Format facts and quirks: README.md beside this file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { HoldfastError } from '../../api/errors.ts';
import type { AttachmentRecord, ConversationRecord, HandleRef, ImportContext, Importer, ImportRecord, MessageRecord } from '../types.ts';
import { toE164 } from '../common/handles.ts';
import { xmlEvents } from './xml-events.ts';
import { checkedTime } from '../time-range.ts';

/** Who "sent" is from: the backup never names the phone's own number for SMS. */
export const DEVICE_OWNER: HandleRef = { kind: 'other', value: 'sms-backup-restore:device-owner', display: 'Me (device owner)' };

const ADDR_FROM = '137';
const ADDR_TO = '151';
const ADDR_CC = '130';
const ADDR_BCC = '129';

/** The app writes absent values as the literal string "null". */
function attr(a: Record<string, string>, name: string): string | undefined {
  const v = a[name];
  return v === undefined || v === 'null' || v === '' ? undefined : v;
}

function contactNames(a: Record<string, string>): string[] {
  const raw = attr(a, 'contact_name');
  if (!raw || raw === '(Unknown)') return [];
  return raw.split(/,\s*/);
}

export function addressHandle(address: string, display?: string): HandleRef {
  const clean = address.trim();
  const e164 = toE164(clean);
  const base: HandleRef = e164
    ? { kind: 'phone', value: e164 }
    : /^[+\d\s().\-#*]+$/.test(clean)
      ? { kind: 'phone', value: clean.replace(/[\s().\-]/g, '') }
      : clean.includes('@')
        ? { kind: 'email', value: clean.toLowerCase() }
        : { kind: 'other', value: clean };
  return display ? { ...base, display } : base;
}

/** Group addresses are joined with `~` (some versions: spaces or commas). */
function splitAddresses(address: string | undefined): string[] {
  if (!address) return [];
  return address.split(/[~,;]/).map((s) => s.trim()).filter(Boolean);
}

function msTime(raw: string | undefined): { at: number | undefined; precision: 'ms' | 'second' } {
  if (!raw || !/^-?\d+$/.test(raw)) return { at: undefined, precision: 'ms' };
  const n = Number(raw);
  if (n <= 0) return { at: undefined, precision: 'ms' };
  // Every version writes milliseconds; a seconds value (before 1973 as ms) is accepted as seconds.
  return n < 1e11 ? { at: n * 1000, precision: 'second' } : { at: n, precision: 'ms' };
}

/** The message's time, range-checked (time-range.ts): unusable ones are kept raw and flagged, not skipped. */
function messageTime(warn: ImportContext['warn'], locator: string, raw: string | undefined): { sentAt: number; timeUnknown: boolean; precision: 'ms' | 'second' } {
  const t = msTime(raw);
  return { ...checkedTime(warn, locator, raw ?? '', t.at), precision: t.precision };
}

/** SMS `type`: 1 inbox, 2 sent, 3 draft, 4 outbox, 5 failed, 6 queued. MMS `msg_box` uses the same numbers. */
function direction(box: string | undefined): 'in' | 'out' | 'unknown' {
  if (box === '1') return 'in';
  if (box && ['2', '3', '4', '5', '6'].includes(box)) return 'out';
  return 'unknown';
}

const EXT: Record<string, string> = {
  'image/jpeg': 'jpg', 'image/png': 'png', 'image/gif': 'gif', 'image/webp': 'webp', 'image/heic': 'heic', 'video/mp4': 'mp4',
  'video/3gpp': '3gp', 'audio/amr': 'amr', 'audio/mpeg': 'mp3', 'audio/mp4': 'm4a', 'text/x-vcard': 'vcf', 'text/vcard': 'vcf',
  'application/pdf': 'pdf',
};

/** Decodes base64 in slices, so the decoded bytes are never all in memory at once. */
function base64Stream(data: string): Readable {
  const clean = /\s/.test(data) ? data.replace(/\s+/g, '') : data;
  const SLICE = 4 * 256 * 1024;
  return Readable.from(
    (function* () {
      for (let i = 0; i < clean.length; i += SLICE) yield Buffer.from(clean.slice(i, i + SLICE), 'base64');
    })(),
  );
}

interface MmsState {
  attributes: Record<string, string>;
  line: number;
  index: number;
  parts: Record<string, string>[];
  addrs: Record<string, string>[];
}

interface Counters {
  sms: number;
  mms: number;
}

class Reader {
  private readonly ctx: ImportContext;
  private readonly conversations = new Map<string, string>();

  constructor(ctx: ImportContext) {
    this.ctx = ctx;
  }

  /** The conversation record the first time an address set is seen, and its key. */
  conversation(addresses: string[], names: string[], locator: string): { key: string; record?: ConversationRecord } {
    const handles = addresses.map((a, i) => addressHandle(a, addresses.length === names.length ? names[i] : undefined));
    const ids = [...new Set(handles.map((h) => h.value))].sort();
    const externalId = ids.length ? ids.join(',') : '(no address)';
    const known = this.conversations.get(externalId);
    if (known) return { key: known };
    const key = `c${this.conversations.size}`;
    this.conversations.set(externalId, key);
    const named = handles.map((h) => h.display ?? h.value);
    return {
      key,
      record: {
        type: 'conversation', key, platform: 'sms', externalId, kind: ids.length > 1 ? 'group' : 'direct',
        // The phone's owner is in every thread (the backup names only the other addresses): incoming messages were sent to them.
        name: named.join(', ') || '(no address)', members: [...handles, DEVICE_OWNER].map((handle) => ({ handle })), locator,
      },
    };
  }

  sms(a: Record<string, string>, line: number, n: number): ImportRecord[] {
    const locator = `sms ${n} (line ${line})`;
    const time = messageTime((w) => this.ctx.warn(w), locator, attr(a, 'date'));
    const addresses = splitAddresses(attr(a, 'address'));
    const names = contactNames(a);
    const conv = this.conversation(addresses, names, locator);
    const dir = direction(attr(a, 'type'));
    const sender = dir === 'out' ? DEVICE_OWNER : addresses.length === 1 ? addressHandle(addresses[0]!, names[0]) : null;
    if (!sender) this.ctx.warn({ code: 'BAD_RECORD', locator, message: 'received SMS without a single sender address' });
    const subject = attr(a, 'subject');
    const msg: MessageRecord = {
      type: 'message', conversationKey: conv.key, sender, direction: dir, sentAt: time.sentAt, rawTime: a.date ?? '', timePrecision: time.precision, ...(time.timeUnknown ? { timeUnknown: true } : {}),
      kind: 'message', text: a.body ?? '', locator, ...(subject ? { subject } : {}),
    };
    return conv.record ? [conv.record, msg] : [msg];
  }

  mms(m: MmsState): ImportRecord[] {
    const a = m.attributes;
    const locator = `mms ${m.index} (line ${m.line})`;
    const time = messageTime((w) => this.ctx.warn(w), locator, attr(a, 'date'));
    const dir = direction(attr(a, 'msg_box'));
    const names = contactNames(a);
    let addresses = splitAddresses(attr(a, 'address'));
    const from = m.addrs.find((x) => x.type === ADDR_FROM);
    const fromAddress = from ? attr(from, 'address') : undefined;
    if (addresses.length === 0) {
      // Older versions leave `address` empty: the other parties are the from/to/cc addresses.
      addresses = m.addrs
        .filter((x) => [ADDR_FROM, ADDR_TO, ADDR_CC, ADDR_BCC].includes(x.type ?? '') && attr(x, 'address') && attr(x, 'address') !== 'insert-address-token')
        .map((x) => x.address!);
      addresses = [...new Set(addresses)];
    }
    const conv = this.conversation(addresses, names, locator);
    let sender: HandleRef | null = null;
    if (dir === 'out') sender = DEVICE_OWNER;
    else if (fromAddress && fromAddress !== 'insert-address-token') {
      const i = addresses.indexOf(fromAddress);
      sender = addressHandle(fromAddress, i >= 0 && addresses.length === names.length ? names[i] : addresses.length === 1 ? names[0] : undefined);
    } else if (addresses.length === 1) sender = addressHandle(addresses[0]!, names[0]);
    else this.ctx.warn({ code: 'BAD_RECORD', locator, message: 'received MMS without a from address (type 137)' });

    const texts: string[] = [];
    const attachments: AttachmentRecord[] = [];
    const parts = [...m.parts].sort((x, y) => Number(x.seq ?? 0) - Number(y.seq ?? 0));
    parts.forEach((p, i) => {
      const ct = (attr(p, 'ct') ?? 'application/octet-stream').toLowerCase();
      const partLocator = `${locator} part ${i + 1}`;
      if (ct === 'application/smil') return;
      const data = attr(p, 'data');
      if (ct === 'text/plain' && !attr(p, 'fn') && !attr(p, 'name')) {
        const text = attr(p, 'text') ?? (data ? Buffer.from(data, 'base64').toString('utf8') : undefined);
        if (text !== undefined) texts.push(text);
        return;
      }
      const name = attr(p, 'cl') ?? attr(p, 'name') ?? attr(p, 'fn') ?? `part-${i + 1}.${EXT[ct] ?? 'bin'}`;
      if (data) {
        attachments.push({ name, mime: ct, size: Math.floor((data.length * 3) / 4), open: async () => base64Stream(data), locator: partLocator });
      } else if (attr(p, 'text') !== undefined && ct.startsWith('text/')) {
        const text = attr(p, 'text')!;
        attachments.push({ name, mime: ct, open: async () => Readable.from([Buffer.from(text, 'utf8')]), locator: partLocator });
      } else {
        attachments.push({ name, mime: ct, missingReason: 'the backup was made without MMS media (no data attribute)', locator: partLocator });
      }
    });
    const subject = attr(a, 'sub');
    const msg: MessageRecord = {
      type: 'message', conversationKey: conv.key, sender, direction: dir, sentAt: time.sentAt, rawTime: a.date ?? '', timePrecision: time.precision, ...(time.timeUnknown ? { timeUnknown: true } : {}),
      kind: 'message', text: texts.join('\n'), locator, ...(subject ? { subject } : {}), ...(attachments.length ? { attachments } : {}),
    };
    return conv.record ? [conv.record, msg] : [msg];
  }
}

async function head(file: string, bytes = 4096): Promise<string> {
  const fd = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fd.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await fd.close();
  }
}

export const smsBackupRestore: Importer = {
  id: 'sms-backup-restore',
  name: 'SMS Backup & Restore (XML)',
  description: 'The XML backup of SMS and MMS made by the Android app "SMS Backup & Restore" (SyncTech).',
  version: '1.0.0',

  async detect(file) {
    try {
      if (!(await fs.promises.stat(file)).isFile()) return { confidence: 0 };
      const text = await head(file);
      if (/<smses[\s>]/.test(text)) return { confidence: 0.95, variant: /backup_set=/.test(text) ? 'v10+' : 'legacy' };
      return { confidence: 0 };
    } catch {
      return { confidence: 0 };
    }
  },

  async probe(file) {
    const text = await head(file);
    const count = /<smses[^>]*\scount="(\d+)"/.exec(text);
    return {
      variant: /backup_set=/.test(text) ? 'v10+' : 'legacy',
      ...(count ? { messages: Number(count[1]) } : {}),
      hasAttachments: /<mms[\s>]/.test(text),
      hasReactions: false,
      hasEdits: false,
    };
  },

  async estimate(file) {
    return { total: (await fs.promises.stat(file)).size };
  },

  async *read(ctx): AsyncGenerator<ImportRecord> {
    const file = ctx.path;
    const reader = new Reader(ctx);
    const counters: Counters = { sms: 0, mms: 0 };
    let root: string | undefined;
    let mms: MmsState | undefined;
    let toleratedWarned = 0;
    for await (const ev of xmlEvents(file, { signal: ctx.signal, onBytes: (n) => ctx.progress(n) })) {
      if (ev.type === 'doctype') {
        ctx.warn({ code: 'UNSUPPORTED_FEATURE', locator: `line ${ev.line}`, message: 'DOCTYPE ignored: declarations and entities are never processed' });
        continue;
      }
      if (ev.type === 'tolerated') {
        if (toleratedWarned++ < 20) ctx.warn({ code: 'BAD_RECORD', locator: `line ${ev.line}`, message: `${ev.message} Kept as written.` });
        continue;
      }
      if (ev.type === 'open') {
        if (root === undefined) {
          root = ev.name;
          if (root !== 'smses') {
            throw new HoldfastError('IMPORT_UNSUPPORTED_SOURCE', `${file} is XML with root <${root}> (line ${ev.line}), not an SMS Backup & Restore <smses> backup.`, {
              file, position: `line ${ev.line}`,
            });
          }
          continue;
        }
        if (ev.name === 'sms' && !mms) {
          yield* reader.sms(ev.attributes, ev.line, ++counters.sms);
        } else if (ev.name === 'mms' && !mms) {
          mms = { attributes: ev.attributes, line: ev.line, index: ++counters.mms, parts: [], addrs: [] };
        } else if (ev.name === 'part' && mms) {
          mms.parts.push(ev.attributes);
        } else if (ev.name === 'addr' && mms) {
          mms.addrs.push(ev.attributes);
        }
      } else if (ev.type === 'close' && ev.name === 'mms' && mms) {
        const done = mms;
        mms = undefined;
        yield* reader.mms(done);
      }
    }
    if (root === undefined) {
      throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `${file} has no XML root element (${path.basename(file)} is empty or not XML).`, { file, position: 'byte 0' });
    }
  },
};
