/**
 * Reads Android's telephony database (mmssms.db, the Telephony provider's store): SMS rows from
 * `sms`, MMS from `pdu` with their addresses (`addr`) and parts (`part`), conversations from
 * `threads` and `canonical_addresses`. Format facts and quirks: README.md beside this file.
 */
import { HoldfastError } from '../../api/errors.ts';
import type { AttachmentRecord, ConversationRecord, HandleRef, ImportRecord, ImportWarning, MessageRecord } from '../types.ts';
import type { MemoryDb } from '../sqlite/memory-db.ts';
import { SchemaProbe } from '../sqlite/memory-db.ts';
import { toE164 } from '../common/handles.ts';

const BATCH = 2000;

/** `addr.type`: PduHeaders FROM, TO, CC, BCC. */
const ADDR_FROM = 137;
const OTHER_PARTIES = new Set([137, 151, 130, 129]);
/** `pdu.m_type`: notification-ind (not downloaded), delivery-ind and read-orig-ind (reports, not messages). */
const M_NOTIFICATION = 130;
const M_REPORTS = new Set([134, 136]);
/** The placeholder the phone writes as the from address of its own MMS. */
const OWN_TOKEN = 'insert-address-token';
/** MIBenum of UTF-8 in `sub_cs`/`addr.charset`. */
const UTF8 = 106;

/** Who sent the phone's own messages when its number is not in the database. */
export const DEVICE_OWNER: HandleRef = { kind: 'other', value: 'android-telephony:device-owner', display: 'Me (device owner)' };

export interface PartRequest {
  /** `part._data`: a path on the phone, or the bytes themselves in extractions that inline them. */
  data: string | Buffer | null;
  name: string;
  mime: string;
  locator: string;
}

export interface TelephonyReadContext {
  db: MemoryDb;
  /** Locator prefix: the database's inner path ("mmssms.db"). */
  label: string;
  region?: string | undefined;
  /** Attachment for a media part: its bytes, or why they are missing. */
  part(req: PartRequest): AttachmentRecord;
  warn(w: ImportWarning): void;
  signal: AbortSignal;
}

/** SMS `type` and MMS `msg_box`: 1 inbox, 2 sent, 3 draft, 4 outbox, 5 failed, 6 queued. */
function direction(box: number | null): 'in' | 'out' | 'unknown' {
  if (box === 1) return 'in';
  if (box !== null && box >= 2 && box <= 6) return 'out';
  return 'unknown';
}

/**
 * The MMS stack stores subjects and addresses as ISO-8859-1 strings of the raw bytes, with the
 * real charset beside them: a UTF-8 subject reads as mojibake until re-decoded.
 */
export function isoDecoded(text: string, charset: number | null): string {
  if (charset !== UTF8 || !/[\u0080-\u00ff]/.test(text) || /[^\u0000-\u00ff]/.test(text)) return text;
  const decoded = Buffer.from(text, 'latin1').toString('utf8');
  return decoded.includes('\ufffd') ? text : decoded;
}

const EXT: Record<string, string> = {
  'image/jpeg': 'jpg', 'image/png': 'png', 'image/gif': 'gif', 'image/webp': 'webp', 'image/heic': 'heic', 'video/mp4': 'mp4',
  'video/3gpp': '3gp', 'audio/amr': 'amr', 'audio/mpeg': 'mp3', 'audio/mp4': 'm4a', 'text/x-vcard': 'vcf', 'text/vcard': 'vcf',
  'application/pdf': 'pdf',
};

interface SmsRow {
  _id: number; thread_id: number | null; address: string | null; date: number | null; date_sent: number | null;
  type: number | null; body: string | null; subject: string | null;
}
interface PduRow {
  _id: number; thread_id: number | null; date: number | null; date_sent: number | null; msg_box: number | null;
  sub: string | null; sub_cs: number | null; m_type: number | null;
}
interface AddrRow { msg_id: number; address: string | null; type: number | null; charset: number | null }
interface PartRow {
  _id: number; mid: number; seq: number | null; ct: string | null; name: string | null; fn: string | null; cl: string | null;
  _data: string | Buffer | null; text: string | null;
}

export class TelephonyReader {
  private readonly rc: TelephonyReadContext;
  private readonly probe: SchemaProbe;
  private readonly threads = new Map<number, string[]>();
  /** Conversation external id → key, for those already yielded. */
  private readonly conversations = new Map<string, string>();
  readonly owner: HandleRef;

  constructor(rc: TelephonyReadContext) {
    this.rc = rc;
    this.probe = new SchemaProbe(rc.db);
    const hasSms = this.probe.has('sms', 'date') && this.probe.has('sms', 'type');
    const hasPdu = this.probe.has('pdu', 'msg_box') && this.probe.has('pdu', 'date');
    if (!hasSms && !hasPdu) {
      throw new HoldfastError('IMPORT_UNSUPPORTED_SOURCE', `${rc.label} is a SQLite database but has neither the sms nor the pdu table of Android's telephony provider.`, {
        file: rc.label, position: 'tables sms, pdu',
      });
    }
    this.readThreads();
    this.owner = this.findOwner();
  }

  private readThreads(): void {
    if (!this.probe.has('threads', 'recipient_ids')) return;
    const canonical = new Map<number, string>();
    if (this.probe.has('canonical_addresses', 'address')) {
      for (const r of this.rc.db.prepare('SELECT _id, address FROM canonical_addresses').all() as { _id: number; address: string | null }[]) {
        if (r.address?.trim()) canonical.set(r._id, r.address.trim());
      }
    }
    for (const r of this.rc.db.prepare('SELECT _id, recipient_ids FROM threads').all() as { _id: number; recipient_ids: string | null }[]) {
      const ids = (r.recipient_ids ?? '').split(/\s+/).filter(Boolean).map(Number);
      const addresses = ids.map((id) => canonical.get(id)).filter((a): a is string => a !== undefined);
      if (addresses.length < ids.length) {
        this.rc.warn({ code: 'BAD_RECORD', locator: `${this.rc.label}: threads row ${r._id}`, message: `thread names recipients (${r.recipient_ids}) missing from canonical_addresses` });
      }
      this.threads.set(r._id, addresses);
    }
  }

  /** The phone's own number: the from address its sent MMS carry, when the MMSC wrote a real one. */
  private findOwner(): HandleRef {
    if (!this.probe.has('addr', 'msg_id') || !this.probe.has('pdu', 'msg_box')) return DEVICE_OWNER;
    const rows = this.rc.db.prepare(
      `SELECT a.address AS address, count(*) AS n FROM addr a JOIN pdu p ON p._id = a.msg_id
        WHERE a.type = ${ADDR_FROM} AND p.msg_box <> 1 AND a.address IS NOT NULL AND a.address <> '${OWN_TOKEN}'
        GROUP BY a.address ORDER BY n DESC LIMIT 1`,
    ).all() as { address: string }[];
    const own = rows[0] && this.handle(rows[0].address);
    return own && own.kind === 'phone' ? { ...own, display: DEVICE_OWNER.display! } : DEVICE_OWNER;
  }

  handle(address: string): HandleRef {
    const clean = address.trim();
    const e164 = toE164(clean, this.rc.region);
    if (e164) return { kind: 'phone', value: e164 };
    if (/^[+\d\s().\-#*]+$/.test(clean)) return { kind: 'phone', value: clean.replace(/[\s().\-]/g, '') };
    if (clean.includes('@')) return { kind: 'email', value: clean.toLowerCase() };
    return { kind: 'other', value: clean };
  }

  private isOwner(h: HandleRef): boolean {
    return h.kind === this.owner.kind && h.value === this.owner.value;
  }

  /** The conversation for a thread (its record the first time), from `threads` or else the message's own addresses. */
  private conversation(threadId: number | null, fallback: string[], locator: string): { key: string; record?: ConversationRecord } {
    const addresses = (threadId !== null && this.threads.get(threadId)?.length ? this.threads.get(threadId)! : fallback);
    const handles = new Map<string, HandleRef>();
    for (const a of addresses) {
      const h = this.handle(a);
      if (!this.isOwner(h)) handles.set(h.value, h);
    }
    const ids = [...handles.keys()].sort();
    // The same id scheme as the SMS Backup & Restore importer, so the two copies of a phone's messages meet.
    const externalId = ids.length ? ids.join(',') : '(no address)';
    const known = this.conversations.get(externalId);
    if (known) return { key: known };
    const key = `c${this.conversations.size}`;
    this.conversations.set(externalId, key);
    return {
      key,
      record: {
        type: 'conversation', key, platform: 'sms', externalId, kind: ids.length > 1 ? 'group' : 'direct',
        name: ids.join(', ') || '(no address)',
        members: [{ handle: this.owner }, ...ids.map((id) => ({ handle: handles.get(id)! }))],
        locator: threadId !== null && this.threads.has(threadId) ? `${this.rc.label}: threads row ${threadId}` : locator,
      },
    };
  }

  counts(): { sms: number; mms: number } {
    const count = (table: string) => (this.probe.has(table) ? (this.rc.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number) : 0);
    return { sms: count('sms'), mms: count('pdu') };
  }

  *read(): Generator<ImportRecord> {
    if (this.probe.has('sms', 'date')) yield* this.readSms();
    if (this.probe.has('pdu', 'msg_box')) yield* this.readMms();
  }

  private *readSms(): Generator<ImportRecord> {
    const p = this.probe;
    const page = this.rc.db.prepare(
      `SELECT _id, ${p.pick('sms', 's', 'thread_id')}, ${p.pick('sms', 's', 'address')}, s.date, ${p.pick('sms', 's', 'date_sent')}, s.type,
              ${p.pick('sms', 's', 'body')}, ${p.pick('sms', 's', 'subject')}
         FROM sms s WHERE _id > ? ORDER BY _id LIMIT ${BATCH}`,
    );
    let last = -1;
    for (;;) {
      if (this.rc.signal.aborted) return;
      const rows = page.all(last) as SmsRow[];
      if (rows.length === 0) return;
      last = rows[rows.length - 1]!._id;
      for (const r of rows) yield* this.sms(r);
    }
  }

  private *sms(r: SmsRow): Generator<ImportRecord> {
    const locator = `${this.rc.label}: sms row ${r._id}`;
    const time = this.time(r.date, r.date_sent, 'ms', locator);
    if (!time) return;
    const address = r.address?.trim() || undefined;
    const conv = this.conversation(r.thread_id, address ? [address] : [], locator);
    if (conv.record) yield conv.record;
    const dir = direction(r.type);
    let sender: HandleRef | null = null;
    if (dir === 'out') sender = this.owner;
    else if (address) sender = this.handle(address);
    else this.rc.warn({ code: 'BAD_RECORD', locator, message: 'received SMS without an address' });
    const msg: MessageRecord = {
      type: 'message', conversationKey: conv.key, sender, direction: dir, sentAt: time.at, rawTime: String(r.date), timePrecision: 'ms',
      kind: 'message', text: r.body ?? '', locator, ...(r.subject?.trim() ? { subject: r.subject.trim() } : {}),
    };
    yield msg;
  }

  /** `date`, or `date_sent` when `date` is unusable (with a warning); undefined when neither is. */
  private time(date: number | null, dateSent: number | null, unit: 'ms' | 'second', locator: string): { at: number; precision: 'ms' | 'second' } | undefined {
    const usable = (v: number | null) => v !== null && Number.isFinite(v) && v > 0;
    // MMS times are seconds; some vendors' builds write milliseconds there.
    const toMs = (v: number) => (unit === 'second' && v < 1e11 ? { at: v * 1000, precision: 'second' as const } : { at: v, precision: 'ms' as const });
    if (usable(date)) return toMs(date!);
    if (usable(dateSent)) {
      this.rc.warn({ code: 'BAD_DATE', locator, message: `date ${date} is not a time; date_sent (${dateSent}) used instead` });
      return toMs(dateSent!);
    }
    this.rc.warn({ code: 'BAD_DATE', locator, message: `neither date (${date}) nor date_sent (${dateSent}) is a time; message skipped` });
    return undefined;
  }

  private *readMms(): Generator<ImportRecord> {
    const p = this.probe;
    const page = this.rc.db.prepare(
      `SELECT _id, ${p.pick('pdu', 'm', 'thread_id')}, m.date, ${p.pick('pdu', 'm', 'date_sent')}, m.msg_box, ${p.pick('pdu', 'm', 'sub')},
              ${p.pick('pdu', 'm', 'sub_cs')}, ${p.pick('pdu', 'm', 'm_type')}
         FROM pdu m WHERE _id > ? ORDER BY _id LIMIT ${BATCH}`,
    );
    let last = -1;
    let reports = 0;
    for (;;) {
      if (this.rc.signal.aborted) return;
      const rows = page.all(last) as PduRow[];
      if (rows.length === 0) break;
      last = rows[rows.length - 1]!._id;
      const ids = rows.map((r) => r._id).join(',');
      const addrs = this.byMessage<AddrRow>(this.probe.has('addr', 'msg_id')
        ? `SELECT msg_id, address, type, ${p.pick('addr', 'a', 'charset')} FROM addr a WHERE msg_id IN (${ids}) ORDER BY _id` : undefined, 'msg_id');
      const parts = this.byMessage<PartRow>(this.probe.has('part', 'mid')
        ? `SELECT _id, mid, ${['seq', 'ct', 'name', 'fn', 'cl', '_data', 'text'].map((c) => p.pick('part', 'x', c)).join(', ')}
             FROM part x WHERE mid IN (${ids}) ORDER BY mid, seq, _id` : undefined, 'mid');
      for (const r of rows) {
        if (r.m_type !== null && M_REPORTS.has(r.m_type)) {
          reports++;
          continue;
        }
        yield* this.mms(r, addrs.get(r._id) ?? [], parts.get(r._id) ?? []);
      }
    }
    if (reports) {
      this.rc.warn({ code: 'UNSUPPORTED_FEATURE', locator: `${this.rc.label}: pdu`, message: `${reports} MMS delivery or read reports (m_type 134/136) are receipts, not messages, and were not imported` });
    }
  }

  private byMessage<T>(sql: string | undefined, key: keyof T): Map<number, T[]> {
    const out = new Map<number, T[]>();
    if (!sql) return out;
    for (const row of this.rc.db.prepare(sql).all() as T[]) {
      const id = row[key] as number;
      const list = out.get(id) ?? [];
      list.push(row);
      out.set(id, list);
    }
    return out;
  }

  private *mms(r: PduRow, addrs: AddrRow[], parts: PartRow[]): Generator<ImportRecord> {
    const locator = `${this.rc.label}: pdu row ${r._id}`;
    const time = this.time(r.date, r.date_sent, 'second', locator);
    if (!time) return;
    const dir = direction(r.msg_box);
    const parties = addrs
      .filter((a) => a.type !== null && OTHER_PARTIES.has(a.type) && a.address && a.address !== OWN_TOKEN)
      .map((a) => isoDecoded(a.address!, a.charset));
    const conv = this.conversation(r.thread_id, parties, locator);
    if (conv.record) yield conv.record;
    const from = addrs.find((a) => a.type === ADDR_FROM && a.address && a.address !== OWN_TOKEN);
    let sender: HandleRef | null = null;
    if (dir === 'out') sender = this.owner;
    else if (from) sender = this.handle(isoDecoded(from.address!, from.charset));
    else this.rc.warn({ code: 'BAD_RECORD', locator, message: 'received MMS without a from address (addr type 137)' });
    const subject = r.sub ? isoDecoded(r.sub, r.sub_cs).trim() : '';
    const base = {
      type: 'message' as const, conversationKey: conv.key, sender, direction: dir, sentAt: time.at, rawTime: String(r.date),
      timePrecision: time.precision, locator, ...(subject ? { subject } : {}),
    };
    if (r.m_type === M_NOTIFICATION) {
      yield { ...base, kind: 'system', systemType: 'other', text: 'MMS notification: the message content was never downloaded to this phone' };
      return;
    }
    const texts: string[] = [];
    const attachments: AttachmentRecord[] = [];
    parts.forEach((part, i) => {
      const ct = (part.ct ?? 'application/octet-stream').toLowerCase();
      if (ct === 'application/smil') return; // layout only
      const partLocator = `${this.rc.label}: part row ${part._id}`;
      if (ct === 'text/plain' && part.text !== null && !part._data) {
        texts.push(part.text);
        return;
      }
      const name = part.cl?.trim() || part.name?.trim() || part.fn?.trim() || `part-${i + 1}.${EXT[ct] ?? 'bin'}`;
      const inline = part._data ?? (part.text !== null && ct.startsWith('text/') ? Buffer.from(part.text, 'utf8') : null);
      attachments.push(this.rc.part({ data: inline, name, mime: ct, locator: partLocator }));
    });
    yield { ...base, kind: 'message', text: texts.join('\n'), ...(attachments.length ? { attachments } : {}) };
  }
}
