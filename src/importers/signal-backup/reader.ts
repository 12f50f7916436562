/**
 * Reads the Signal database rebuilt from a backup: recipients, threads, groups and their members,
 * then messages (the merged `message` table of 2023+, or the older `sms` + `mms` pair) with
 * reactions, quotes, mentions, edits (revisions), remote deletions and attachments. Column sets
 * differ by Signal version and are probed. Format facts and quirks: README.md beside this file.
 */
import { HoldfastError } from '../../api/errors.ts';
import type { AttachmentRecord, ConversationRecord, HandleRef, ImportRecord, ImportWarning, MessageRecord, ReactionRecordData } from '../types.ts';
import type { MemoryDb } from '../sqlite/memory-db.ts';
import { SchemaProbe } from '../sqlite/memory-db.ts';
import { toE164 } from '../common/handles.ts';

const BATCH = 1000;
const BASE_MASK = 0x1f;
const OUTGOING = new Set([21, 22, 23, 24, 25, 26, 2, 11]);
const INCOMING = new Set([20, 1, 3, 8, 10]);
const CALLS: Record<number, string> = {
  1: 'Incoming voice call', 2: 'Outgoing voice call', 3: 'Missed voice call', 8: 'Missed video call',
  10: 'Incoming video call', 11: 'Outgoing video call', 12: 'Group call',
};
const GROUP_UPDATE_BIT = 0x10000;
const GROUP_LEAVE_BIT = 0x20000;
const EXPIRATION_TIMER_UPDATE_BIT = 0x40000;
const IDENTITY_BITS = 0x200 | 0x2000 | 0x4000;
const END_SESSION_BIT = 0x400000;
/** U+FFFC stands in the body for each mention; the `mention` table says whom. */
const MENTION = '\ufffc';

export const SIGNAL_OWNER: HandleRef = { kind: 'other', value: 'signal:device-owner', display: 'Me (backup owner)' };

export interface AttachmentRequest {
  rowId: number;
  uniqueId: number | null;
  name: string;
  mime: string;
  size: number | null;
  locator: string;
}

export interface SignalReadContext {
  db: MemoryDb;
  /** Locator prefix: the backup file's name. */
  label: string;
  region?: string | undefined;
  /** The account's own number and service id, from the backup's key-value frames. */
  self: { e164?: string; aci?: string };
  attachment(req: AttachmentRequest): AttachmentRecord;
  warn(w: ImportWarning): void;
  signal: AbortSignal;
}

interface Recipient {
  handle: HandleRef | null;
  /** Service id or number: identifies the person across devices. */
  stable: string | null;
  groupId: string | null;
  name: string | null;
}

interface Row {
  _id: number; thread_id: number; date_sent: number; date_received: number | null; type: number; body: string | null;
  from_rid: number | null; quote_id: number | null; quote_author: number | null; remote_deleted: number | null;
  original_message_id: number | null; story_type: number | null; is_mms: number;
}

/** One table that holds messages, with its columns mapped to Row. */
interface MessageSource {
  table: string;
  isMms: number;
  select: string;
  /** from_rid is the author (2023+), or the other party/group for outgoing rows (older). */
  fromIsAuthor: boolean;
}

export class SignalReader {
  private readonly rc: SignalReadContext;
  private readonly probe: SchemaProbe;
  private readonly recipients = new Map<number, Recipient>();
  private readonly threads = new Map<number, { key: string; group: boolean; record: ConversationRecord }>();
  private selfRid: number | undefined;
  private owner: HandleRef = SIGNAL_OWNER;
  private readonly sources: MessageSource[];
  private unknownRecipients = new Set<number>();

  constructor(rc: SignalReadContext) {
    this.rc = rc;
    this.probe = new SchemaProbe(rc.db);
    this.sources = this.messageSources();
    if (this.sources.length === 0 || !this.probe.has('recipient') || !this.probe.has('thread')) {
      throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `${rc.label} decrypts, but the database it carries has no message, recipient or thread table Holdfast knows.`, {
        file: rc.label, position: 'database',
      });
    }
    this.readRecipients();
    this.findSelf();
    this.readThreads();
  }

  private col(table: string, alias: string, name: string, ...candidates: string[]): string {
    const found = candidates.find((c) => this.probe.has(table, c));
    return found ? `${alias}."${found}" AS ${name}` : `NULL AS ${name}`;
  }

  /** The first non-empty of the columns that exist (older and newer names of one field). */
  private coalesce(table: string, alias: string, name: string, ...candidates: string[]): string {
    const found = candidates.filter((c) => this.probe.has(table, c)).map((c) => `NULLIF(TRIM(${alias}."${c}"), '')`);
    return found.length ? `COALESCE(${found.join(', ')}, NULL) AS ${name}` : `NULL AS ${name}`;
  }

  private messageSources(): MessageSource[] {
    const p = this.probe;
    const c = (t: string, name: string, ...cands: string[]) => this.col(t, 'm', name, ...cands);
    const common = (t: string) => [c(t, 'quote_id', 'quote_id'), c(t, 'quote_author', 'quote_author'), c(t, 'remote_deleted', 'remote_deleted'),
      c(t, 'original_message_id', 'original_message_id'), c(t, 'story_type', 'story_type')].join(', ');
    if (p.has('message', 'thread_id') && p.has('message', 'date_sent')) {
      const fromIsAuthor = p.has('message', 'from_recipient_id');
      const latest = p.has('message', 'latest_revision_id') ? 'AND m.latest_revision_id IS NULL' : '';
      return [{
        table: 'message', isMms: 1, fromIsAuthor,
        select: `SELECT m._id, m.thread_id, m.date_sent, ${c('message', 'date_received', 'date_received')}, m.type, m.body,
                        ${c('message', 'from_rid', 'from_recipient_id', 'recipient_id')}, ${common('message')}, 1 AS is_mms
                   FROM message m WHERE m._id > ? ${latest} ORDER BY m._id LIMIT ${BATCH}`,
      }];
    }
    const out: MessageSource[] = [];
    if (p.has('sms', 'thread_id')) {
      out.push({
        table: 'sms', isMms: 0, fromIsAuthor: false,
        select: `SELECT m._id, m.thread_id, ${c('sms', 'date_sent', 'date_sent')}, ${c('sms', 'date_received', 'date')}, m.type, m.body,
                        ${c('sms', 'from_rid', 'recipient_id', 'address')}, ${common('sms')}, 0 AS is_mms
                   FROM sms m WHERE m._id > ? ORDER BY m._id LIMIT ${BATCH}`,
      });
    }
    if (p.has('mms', 'thread_id')) {
      // In the mms table `date` is the sent time and the type column is msg_box.
      out.push({
        table: 'mms', isMms: 1, fromIsAuthor: false,
        select: `SELECT m._id, m.thread_id, ${c('mms', 'date_sent', 'date_sent', 'date')}, ${c('mms', 'date_received', 'date_received')},
                        ${c('mms', 'type', 'type', 'msg_box')}, m.body, ${c('mms', 'from_rid', 'recipient_id', 'address')}, ${common('mms')}, 1 AS is_mms
                   FROM mms m WHERE m._id > ? ORDER BY m._id LIMIT ${BATCH}`,
      });
    }
    return out;
  }

  private readRecipients(): void {
    const t = 'recipient';
    const c = (name: string, ...cands: string[]) => this.col(t, 'r', name, ...cands);
    const n = (name: string, ...cands: string[]) => this.coalesce(t, 'r', name, ...cands);
    const rows = this.rc.db.prepare(
      `SELECT r._id, ${c('e164', 'e164', 'phone')}, ${c('aci', 'aci', 'uuid')}, ${c('email', 'email')}, ${c('group_id', 'group_id')},
              ${n('system_name', 'system_joined_name', 'system_display_name')}, ${c('nickname', 'nickname_joined_name')},
              ${n('profile_name', 'profile_joined_name', 'signal_profile_name')}, ${c('given', 'profile_given_name')}, ${c('family', 'profile_family_name')}
         FROM recipient r`,
    ).all() as { _id: number; e164: string | null; aci: string | null; email: string | null; group_id: string | null; system_name: string | null;
      nickname: string | null; profile_name: string | null; given: string | null; family: string | null }[];
    for (const r of rows) {
      const joined = [r.given, r.family].filter((s) => s?.trim()).join(' ');
      const name = [r.system_name, r.nickname, r.profile_name, joined].find((s) => s?.trim())?.trim() ?? null;
      let handle: HandleRef | null = null;
      if (!r.group_id) {
        const e164 = r.e164 ? toE164(r.e164, this.rc.region) : undefined;
        if (e164) handle = { kind: 'phone', value: e164 };
        else if (r.aci) handle = { kind: 'other', value: `signal:${r.aci.toLowerCase()}` };
        else if (r.email) handle = { kind: 'email', value: r.email.toLowerCase() };
        if (handle && name) handle.display = name;
      }
      this.recipients.set(r._id, { handle, stable: r.aci?.toLowerCase() ?? (r.e164 ? toE164(r.e164, this.rc.region) ?? r.e164 : null), groupId: r.group_id, name });
    }
  }

  /** The account's own recipient: by the number or service id the backup names, else the author of its outgoing messages. */
  private findSelf(): void {
    const { e164, aci } = this.rc.self;
    const number = e164 ? toE164(e164, this.rc.region) : undefined;
    for (const [id, r] of this.recipients) {
      if ((aci && r.stable === aci.toLowerCase()) || (number && r.handle?.kind === 'phone' && r.handle.value === number)) this.selfRid = id;
    }
    const src = this.sources[0]!;
    if (this.selfRid === undefined && src.fromIsAuthor) {
      const outgoing = [...OUTGOING].map((t) => `(type & ${BASE_MASK}) = ${t}`).join(' OR ');
      const row = this.rc.db.prepare(`SELECT from_recipient_id AS id, count(*) AS n FROM message WHERE ${outgoing} GROUP BY 1 ORDER BY n DESC LIMIT 1`).get() as { id: number } | undefined;
      if (row) this.selfRid = row.id;
    }
    const self = this.selfRid !== undefined ? this.recipients.get(this.selfRid) : undefined;
    if (self?.handle) this.owner = { ...self.handle, display: self.name ?? 'Me (backup owner)' };
    else if (number) this.owner = { kind: 'phone', value: number, display: 'Me (backup owner)' };
  }

  private handleOf(rid: number | null): HandleRef | null {
    if (rid === null) return null;
    if (rid === this.selfRid) return this.owner;
    const r = this.recipients.get(rid);
    if (r?.handle) return r.handle;
    if (!r && !this.unknownRecipients.has(rid)) {
      this.unknownRecipients.add(rid);
      this.rc.warn({ code: 'BAD_RECORD', locator: `${this.rc.label}: recipient ${rid}`, message: `messages name recipient ${rid}, which is not in the recipient table` });
    }
    return { kind: 'other', value: `signal-recipient:${rid}` };
  }

  private readThreads(): void {
    const members = new Map<string, number[]>();
    if (this.probe.has('group_membership', 'group_id')) {
      for (const r of this.rc.db.prepare('SELECT group_id, recipient_id FROM group_membership ORDER BY _id').all() as { group_id: string; recipient_id: number }[]) {
        members.set(r.group_id, [...(members.get(r.group_id) ?? []), r.recipient_id]);
      }
    }
    const titles = new Map<string, string>();
    if (this.probe.has('groups', 'group_id')) {
      const c = (name: string, ...cands: string[]) => this.col('groups', 'g', name, ...cands);
      for (const g of this.rc.db.prepare(`SELECT g.group_id, ${c('title', 'title')}, ${c('members', 'members')} FROM groups g`).all() as { group_id: string; title: string | null; members: string | null }[]) {
        if (g.title?.trim()) titles.set(g.group_id, g.title.trim());
        // Before group_membership (2023), members were a comma-separated list of recipient ids.
        if (!members.has(g.group_id) && g.members) members.set(g.group_id, g.members.split(',').map((s) => Number(s.trim())).filter(Number.isFinite));
      }
    }
    const rows = this.rc.db.prepare(`SELECT t._id, ${this.col('thread', 't', 'rid', 'recipient_id', 'thread_recipient_id', 'recipient_ids')} FROM thread t ORDER BY t._id`).all() as { _id: number; rid: number | null }[];
    for (const t of rows) {
      const locator = `${this.rc.label}: thread ${t._id}`;
      const r = t.rid !== null ? this.recipients.get(Number(t.rid)) : undefined;
      const key = `thread:${t._id}`;
      const list: ConversationRecord['members'] = [{ handle: this.owner }];
      let record: ConversationRecord;
      if (r?.groupId) {
        for (const rid of members.get(r.groupId) ?? []) {
          const h = this.handleOf(rid);
          if (h && rid !== this.selfRid) list.push({ handle: h });
        }
        record = { type: 'conversation', key, platform: 'signal', externalId: r.groupId, kind: 'group', name: titles.get(r.groupId) ?? r.name ?? r.groupId, members: list, locator };
      } else {
        const h = this.handleOf(t.rid === null ? null : Number(t.rid));
        if (h && t.rid !== this.selfRid) list.push({ handle: h });
        const externalId = r?.stable ?? h?.value ?? `thread:${t._id}`;
        record = { type: 'conversation', key, platform: 'signal', externalId, kind: 'direct', name: r?.name ?? h?.value ?? `Thread ${t._id}`, members: list, locator };
      }
      this.threads.set(t._id, { key, group: !!r?.groupId, record });
    }
  }

  *read(): Generator<ImportRecord> {
    for (const t of this.threads.values()) yield t.record;
    let stories = 0;
    for (const src of this.sources) {
      const page = this.rc.db.prepare(src.select);
      let last = -1;
      for (;;) {
        if (this.rc.signal.aborted) return;
        const rows = page.all(last) as Row[];
        if (rows.length === 0) break;
        last = rows[rows.length - 1]!._id;
        const ids = rows.map((r) => r._id);
        const reactions = this.reactions(src, ids);
        const attachments = this.attachments(src, ids);
        const mentions = this.mentions(src, ids);
        for (const r of rows) {
          if (r.story_type !== null && r.story_type > 0) {
            stories++;
            continue;
          }
          const rec = this.message(src, r, attachments.get(r._id), mentions.get(r._id));
          if (!rec) continue;
          const rx = reactions.get(r._id);
          if (rx?.length) rec.reactions = rx;
          yield rec;
        }
      }
    }
    if (!this.probe.has('reaction', 'emoji')) {
      // Before the reaction table, reactions were a protobuf list in each row's `reactions` column.
      const inline = this.sources.reduce((n, src) => n + (this.probe.has(src.table, 'reactions')
        ? (this.rc.db.prepare(`SELECT count(*) FROM ${src.table} WHERE reactions IS NOT NULL AND length(reactions) > 0`).pluck().get() as number) : 0), 0);
      if (inline) this.rc.warn({ code: 'UNSUPPORTED_FEATURE', locator: `${this.rc.label}: reactions`, message: `${inline} messages carry reactions in the pre-2021 inline form, which is not read; the messages are imported without them` });
    }
    if (stories) this.rc.warn({ code: 'UNSUPPORTED_FEATURE', locator: `${this.rc.label}: message`, message: `${stories} stories (status posts, not chat messages) were not imported` });
  }

  private authorOf(src: MessageSource, r: Row, out: boolean): number | null {
    if (src.fromIsAuthor) return r.from_rid;
    return out ? (this.selfRid ?? null) : r.from_rid;
  }

  private message(src: MessageSource, r: Row, attachments: AttachmentRecord[] | undefined, mentions: { start: number; length: number; rid: number }[] | undefined): MessageRecord | undefined {
    const locator = `${this.rc.label}: ${src.table} row ${r._id}`;
    const thread = this.threads.get(r.thread_id);
    if (!thread) {
      this.rc.warn({ code: 'BAD_RECORD', locator, message: `message belongs to thread ${r.thread_id}, which is not in the thread table; skipped` });
      return undefined;
    }
    const type = Number(r.type);
    const base = type & BASE_MASK;
    // Signal identifies a message across devices by its author and sent time; an edit keeps the original's.
    const identityTime = r.original_message_id ? this.originalTime(src, r.original_message_id) ?? r.date_sent : r.date_sent;
    const time = identityTime > 0 ? identityTime : r.date_received ?? 0;
    if (!(time > 0)) {
      this.rc.warn({ code: 'BAD_DATE', locator, message: `neither date_sent (${r.date_sent}) nor date_received (${r.date_received}) is a time; skipped` });
      return undefined;
    }
    const out = OUTGOING.has(base) || (!INCOMING.has(base) && src.fromIsAuthor && r.from_rid === this.selfRid);
    const authorRid = this.authorOf(src, r, out);
    const sender = out && authorRid === null ? this.owner : this.handleOf(authorRid);
    const authorKey = authorRid === null ? 'self' : String(authorRid);
    const stable = authorRid === this.selfRid ? (this.owner.kind === 'other' ? null : this.owner.value) : authorRid !== null ? this.recipients.get(authorRid)?.stable ?? null : null;
    const rec: MessageRecord = {
      type: 'message', conversationKey: thread.key, key: `${authorKey}:${identityTime}`, sender, direction: out ? 'out' : 'in',
      sentAt: time, rawTime: String(r.date_sent), timePrecision: 'ms', kind: 'message', text: r.body ?? '', locator,
      ...(stable ? { externalId: `${stable}:${identityTime}` } : {}),
    };
    const system = this.systemEvent(type, base, sender);
    if (system) return { ...rec, kind: 'system', systemType: system.type, text: system.text };
    if (mentions?.length) rec.text = this.withMentions(rec.text, mentions);
    if (r.remote_deleted === 1) {
      rec.deleted = true;
      rec.text = '';
    }
    if (r.quote_id && r.quote_id > 0 && r.quote_author) rec.replyToKey = `${r.quote_author === this.selfRid || r.quote_author === null ? (this.selfRid ?? 'self') : r.quote_author}:${r.quote_id}`;
    if (r.original_message_id) {
      rec.edited = true;
      rec.edits = this.revisions(src, r);
    }
    if (attachments?.length) rec.attachments = attachments;
    return rec;
  }

  private systemEvent(type: number, base: number, sender: HandleRef | null): { type: string; text: string } | undefined {
    const who = sender?.display ?? sender?.value ?? 'Someone';
    if (CALLS[type]) return { type: 'call', text: CALLS[type]! };
    if (type & GROUP_UPDATE_BIT) return type & GROUP_LEAVE_BIT ? { type: 'leave', text: `${who} left the group` } : { type: 'other', text: `${who} updated the group (members, name or settings)` };
    if (type & EXPIRATION_TIMER_UPDATE_BIT) return { type: 'disappearing', text: `${who} changed the disappearing-messages timer` };
    if (type & IDENTITY_BITS || type & END_SESSION_BIT) return { type: 'encryption', text: `The safety number with ${who} changed or was verified` };
    if (base === 4) return { type: 'join', text: `${who} joined Signal` };
    if (base === 7) return { type: 'other', text: `${who} changed their profile name` };
    if (base === 14) return { type: 'number-change', text: `${who} changed their phone number` };
    if (base === 9 || base === 16 || base === 18) return { type: 'other', text: 'Conversation history merged or migrated' };
    if (base === 5 || base === 6 || base === 13) return { type: 'other', text: 'A message could not be decrypted or is not supported by this Signal version' };
    return undefined;
  }

  private originalTime(src: MessageSource, id: number): number | undefined {
    return this.rc.db.prepare(`SELECT date_sent FROM ${src.table} WHERE _id = ?`).pluck().get(id) as number | undefined;
  }

  /** Earlier versions of an edited message: the original row and every revision before this one. */
  private revisions(src: MessageSource, r: Row): { at?: number; text: string }[] {
    const rev = this.probe.has(src.table, 'revision_number') ? 'revision_number' : '_id';
    const rows = this.rc.db.prepare(
      `SELECT date_sent, body FROM ${src.table} WHERE (_id = ? OR original_message_id = ?) AND _id <> ? ORDER BY ${rev}, _id`,
    ).all(r.original_message_id, r.original_message_id, r._id) as { date_sent: number; body: string | null }[];
    return rows.map((x) => ({ at: x.date_sent, text: x.body ?? '' }));
  }

  private withMentions(text: string, mentions: { start: number; length: number; rid: number }[]): string {
    let out = text;
    for (const m of [...mentions].sort((a, b) => b.start - a.start)) {
      if (out.slice(m.start, m.start + m.length) !== MENTION.repeat(Math.max(m.length, 1)).slice(0, m.length)) continue;
      const h = this.handleOf(m.rid);
      out = `${out.slice(0, m.start)}@${h?.display ?? h?.value ?? m.rid}${out.slice(m.start + m.length)}`;
    }
    return out;
  }

  private byMessage<T extends { mid: number }>(sql: string | undefined, params: unknown[] = []): Map<number, T[]> {
    const out = new Map<number, T[]>();
    if (!sql) return out;
    for (const row of this.rc.db.prepare(sql).all(...params) as T[]) out.set(row.mid, [...(out.get(row.mid) ?? []), row]);
    return out;
  }

  private reactions(src: MessageSource, ids: number[]): Map<number, ReactionRecordData[]> {
    const p = this.probe;
    if (!p.has('reaction', 'message_id') || !p.has('reaction', 'emoji')) return new Map();
    const isMms = p.has('reaction', 'is_mms') ? `AND is_mms = ${src.isMms}` : '';
    const rows = this.byMessage<{ mid: number; author_id: number; emoji: string; date_sent: number | null }>(
      `SELECT message_id AS mid, author_id, emoji, ${this.col('reaction', 'x', 'date_sent', 'date_sent')} FROM reaction x WHERE message_id IN (${ids.join(',')}) ${isMms} ORDER BY _id`,
    );
    const out = new Map<number, ReactionRecordData[]>();
    for (const [mid, list] of rows) {
      out.set(mid, list.map((x) => ({ sender: this.handleOf(x.author_id), value: x.emoji, ...(x.date_sent && x.date_sent > 0 ? { at: x.date_sent } : {}) })));
    }
    return out;
  }

  private mentions(src: MessageSource, ids: number[]): Map<number, { start: number; length: number; rid: number }[]> {
    if (!this.probe.has('mention', 'range_start') || src.table === 'sms') return new Map();
    const rows = this.byMessage<{ mid: number; rid: number; start: number; length: number }>(
      `SELECT message_id AS mid, recipient_id AS rid, range_start AS start, range_length AS length FROM mention WHERE message_id IN (${ids.join(',')})`,
    );
    return rows;
  }

  private attachments(src: MessageSource, ids: number[]): Map<number, AttachmentRecord[]> {
    const p = this.probe;
    const table = p.has('attachment', 'message_id') ? 'attachment' : p.has('part', 'mid') ? 'part' : undefined;
    if (!table || src.isMms === 0) return new Map();
    const c = (name: string, ...cands: string[]) => this.col(table, 'a', name, ...cands);
    const mid = table === 'attachment' ? 'message_id' : 'mid';
    const quote = p.has(table, 'quote') ? 'AND (a.quote IS NULL OR a.quote = 0)' : '';
    const order = p.has(table, 'display_order') ? 'a.display_order, a._id' : 'a._id';
    const rows = this.byMessage<{ mid: number; _id: number; unique_id: number | null; ct: string | null; file_name: string | null; size: number | null; sticker_id: number | null }>(
      `SELECT a.${mid} AS mid, a._id, ${c('unique_id', 'unique_id')}, ${c('ct', 'content_type', 'ct')}, ${c('file_name', 'file_name')},
              ${c('size', 'data_size')}, ${c('sticker_id', 'sticker_id')}
         FROM ${table} a WHERE a.${mid} IN (${ids.join(',')}) ${quote} ORDER BY ${order}`,
    );
    const out = new Map<number, AttachmentRecord[]>();
    for (const [m, list] of rows) {
      out.set(m, list.map((a) => {
        const mime = a.ct ?? 'application/octet-stream';
        const ext = mime.split('/')[1]?.replace(/[^a-z0-9]/gi, '').slice(0, 8) || 'bin';
        const name = a.file_name?.trim() || `${a.sticker_id !== null && a.sticker_id >= 0 ? 'sticker' : 'attachment'}-${a._id}.${ext}`;
        return this.rc.attachment({ rowId: a._id, uniqueId: a.unique_id, name, mime, size: a.size, locator: `${this.rc.label}: ${table} row ${a._id}` });
      }));
    }
    return out;
  }
}
