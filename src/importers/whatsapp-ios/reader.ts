/**
 * WhatsApp for iOS `ChatStorage.sqlite` (Core Data): ZWACHATSESSION (chats), ZWAMESSAGE (messages),
 * ZWAGROUPMEMBER (group senders), ZWAMEDIAITEM (attachments, locations, contact cards),
 * ZWAPROFILEPUSHNAME (profile names). Dates are seconds since 2001-01-01 UTC (REAL). Columns are
 * probed: the schema changes with WhatsApp versions and reduced copies exist. Media files are found
 * by the caller (`resolveMedia`): a backup maps ZMEDIALOCALPATH into its AppDomainGroup, a folder
 * beside the database.
 */
import path from 'node:path';
import { Readable } from 'node:stream';
import { HoldfastError } from '../../api/errors.ts';
import type { AttachmentRecord, ConversationRecord, HandleRef, ImportRecord, ImportWarning, MessageRecord } from '../types.ts';
import type { MemoryDb } from '../sqlite/memory-db.ts';
import { SchemaProbe } from '../sqlite/memory-db.ts';
import { APPLE_EPOCH_S, conversationKind, handleForJid, isGroupJid, jidLabel, parseJid } from '../whatsapp-db/jid.ts';
import { iosChatEvent, iosGroupEvent } from '../whatsapp-db/system-events.ts';

const BATCH = 2000;

/** ZWAMESSAGE.ZMESSAGETYPE values. */
const T = { text: 0, image: 1, video: 2, audio: 3, contact: 4, location: 5, groupEvent: 6, url: 7, document: 8, chatEvent: 10, gif: 11, deleted: 14, sticker: 15 } as const;
const MEDIA: ReadonlySet<number> = new Set([T.image, T.video, T.audio, T.document, T.gif, T.sticker]);

export interface MediaRequest {
  /** ZMEDIALOCALPATH as stored ("Media/4477…@s.whatsapp.net/a/b/uuid.jpg"). */
  localPath: string;
  name: string;
  mime: string | undefined;
  size: number | undefined;
  locator: string;
}

export interface ChatStorageOptions {
  db: MemoryDb;
  /** The database's name in locators ("ChatStorage.sqlite", "AppDomainGroup-…/ChatStorage.sqlite"). */
  label: string;
  /** The source the user gave, for errors. */
  file: string;
  owner: { handle: HandleRef; label: string };
  /** Keeps conversation keys apart when one import reads two databases (WhatsApp and WhatsApp Business). */
  keyPrefix?: string;
  resolveMedia(req: MediaRequest): AttachmentRecord;
  warn(w: ImportWarning): void;
  signal: AbortSignal;
}

interface MessageRow {
  pk: number;
  chat: number | null;
  fromMe: number | null;
  fromJid: string | null;
  toJid: string | null;
  text: string | null;
  date: number | null;
  sentDate: number | null;
  type: number | null;
  eventType: number | null;
  stanza: string | null;
  parent: number | null;
  flags: number | null;
  memberJid: string | null;
  memberName: string | null;
  localPath: string | null;
  title: string | null;
  fileSize: number | null;
  vcard: string | null;
  lat: number | null;
  lon: number | null;
}

export function isChatStorage(db: MemoryDb): boolean {
  const p = new SchemaProbe(db);
  return p.has('ZWAMESSAGE') && p.has('ZWACHATSESSION');
}

export function countChatStorage(db: MemoryDb): { conversations: number; messages: number } {
  return {
    conversations: db.prepare('SELECT count(*) FROM ZWACHATSESSION').pluck().get() as number,
    messages: db.prepare('SELECT count(*) FROM ZWAMESSAGE').pluck().get() as number,
  };
}

/** Whole or fractional seconds since 2001 → UTC ms; undefined for impossible values. */
export function appleSeconds(v: number | null): number | undefined {
  if (v === null || !Number.isFinite(v)) return undefined;
  const ms = Math.round((v + APPLE_EPOCH_S) * 1000);
  // Before WhatsApp existed or centuries ahead: a damaged cell, not a date.
  return ms < Date.UTC(2009, 0, 1) || ms > Date.UTC(2200, 0, 1) ? undefined : ms;
}

export function* readChatStorage(o: ChatStorageOptions): Generator<ImportRecord> {
  const { db } = o;
  const probe = new SchemaProbe(db);
  for (const [table, col] of [['ZWAMESSAGE', 'Z_PK'], ['ZWAMESSAGE', 'ZCHATSESSION'], ['ZWAMESSAGE', 'ZMESSAGEDATE'], ['ZWACHATSESSION', 'ZCONTACTJID']] as const) {
    if (!probe.has(table, col)) {
      throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `${o.label} has no ${table}.${col} column; it is not a WhatsApp ChatStorage.sqlite Holdfast knows.`, { file: o.file, position: `table ${table}` });
    }
  }
  const pushNames = new Map<string, string>();
  if (probe.has('ZWAPROFILEPUSHNAME', 'ZJID') && probe.has('ZWAPROFILEPUSHNAME', 'ZPUSHNAME')) {
    for (const r of db.prepare('SELECT ZJID AS jid, ZPUSHNAME AS name FROM ZWAPROFILEPUSHNAME').all() as { jid: string | null; name: string | null }[]) {
      if (r.jid && r.name?.trim()) pushNames.set(parseJid(r.jid)?.bare ?? r.jid, r.name.trim());
    }
  }
  const partnerNames = new Map<string, string>();
  const person = (jid: string, name?: string | null): HandleRef => {
    const bare = parseJid(jid)?.bare ?? jid;
    return handleForJid(bare, name?.trim() || partnerNames.get(bare) || pushNames.get(bare));
  };
  const label = (jid: string | null | undefined, name?: string | null): string | undefined => {
    if (!jid) return undefined;
    const bare = parseJid(jid)?.bare ?? jid;
    return name?.trim() || partnerNames.get(bare) || pushNames.get(bare) || jidLabel(bare);
  };

  // Conversations.
  const sessions = db.prepare(
    `SELECT Z_PK AS pk, ZCONTACTJID AS jid, ${probe.pick('ZWACHATSESSION', 's', 'ZPARTNERNAME', 'name')}, ${probe.pick('ZWACHATSESSION', 's', 'ZSESSIONTYPE', 'type')},
            ${probe.pick('ZWACHATSESSION', 's', 'ZREMOVED', 'removed')}
       FROM ZWACHATSESSION s ORDER BY Z_PK`,
  ).all() as { pk: number; jid: string | null; name: string | null; type: number | null; removed: number | null }[];
  const members = new Map<number, { jid: string; name: string | null }[]>();
  if (probe.has('ZWAGROUPMEMBER', 'ZMEMBERJID') && probe.has('ZWAGROUPMEMBER', 'ZCHATSESSION')) {
    const nameCol = probe.has('ZWAGROUPMEMBER', 'ZCONTACTNAME') ? 'ZCONTACTNAME' : probe.has('ZWAGROUPMEMBER', 'ZFIRSTNAME') ? 'ZFIRSTNAME' : null;
    for (const r of db.prepare(`SELECT ZCHATSESSION AS chat, ZMEMBERJID AS jid, ${nameCol ?? 'NULL'} AS name FROM ZWAGROUPMEMBER`).all() as { chat: number | null; jid: string | null; name: string | null }[]) {
      if (r.chat === null || !r.jid) continue;
      members.set(r.chat, [...(members.get(r.chat) ?? []), { jid: r.jid, name: r.name }]);
    }
  }
  const chats = new Map<number, { key: string; jid: string; group: boolean }>();
  for (const s of sessions) {
    if (!s.jid) {
      o.warn({ code: 'BAD_RECORD', locator: `${o.label}: ZWACHATSESSION ${s.pk}`, message: 'chat has no ZCONTACTJID; its messages are skipped' });
      continue;
    }
    const jid = parseJid(s.jid)?.bare ?? s.jid;
    const kind = s.type === 1 ? 'group' : conversationKind(jid);
    if (kind === 'direct' && s.name?.trim()) partnerNames.set(jid, s.name.trim());
    const key = `${o.keyPrefix ?? ''}session:${s.pk}`;
    chats.set(s.pk, { key, jid, group: kind === 'group' });
    const list: NonNullable<ConversationRecord['members']> = [{ handle: o.owner.handle }];
    if (kind === 'direct') list.push({ handle: person(jid, s.name) });
    for (const m of members.get(s.pk) ?? []) list.push({ handle: person(m.jid, m.name) });
    yield {
      type: 'conversation', key, platform: 'whatsapp', externalId: jid, kind, members: list,
      name: s.name?.trim() || (kind === 'direct' ? label(jid) : undefined) || jid, locator: `${o.label}: ZWACHATSESSION ${s.pk}`,
    };
  }

  // Messages, in pages by primary key.
  const m = (c: string, as: string) => probe.pick('ZWAMESSAGE', 'm', c, as);
  const mi = (c: string, as: string) => probe.pick('ZWAMEDIAITEM', 'mi', c, as);
  const hasMedia = probe.has('ZWAMEDIAITEM', 'Z_PK');
  const mediaJoin = !hasMedia ? '' : probe.has('ZWAMESSAGE', 'ZMEDIAITEM')
    ? 'LEFT JOIN ZWAMEDIAITEM mi ON mi.Z_PK = m.ZMEDIAITEM'
    : probe.has('ZWAMEDIAITEM', 'ZMESSAGE') ? 'LEFT JOIN ZWAMEDIAITEM mi ON mi.ZMESSAGE = m.Z_PK' : '';
  const media = (c: string, as: string) => (mediaJoin ? mi(c, as) : `NULL AS "${as}"`);
  const memberJoin = probe.has('ZWAMESSAGE', 'ZGROUPMEMBER') && probe.has('ZWAGROUPMEMBER', 'Z_PK') ? 'LEFT JOIN ZWAGROUPMEMBER gm ON gm.Z_PK = m.ZGROUPMEMBER' : '';
  const member = (c: string, as: string) => (memberJoin ? probe.pick('ZWAGROUPMEMBER', 'gm', c, as) : `NULL AS "${as}"`);
  const page = db.prepare(`
    SELECT m.Z_PK AS pk, m.ZCHATSESSION AS chat, ${m('ZISFROMME', 'fromMe')}, ${m('ZFROMJID', 'fromJid')}, ${m('ZTOJID', 'toJid')}, ${m('ZTEXT', 'text')},
           m.ZMESSAGEDATE AS date, ${m('ZSENTDATE', 'sentDate')}, ${m('ZMESSAGETYPE', 'type')}, ${m('ZGROUPEVENTTYPE', 'eventType')}, ${m('ZSTANZAID', 'stanza')},
           ${m('ZPARENTMESSAGE', 'parent')}, ${m('ZFLAGS', 'flags')},
           ${member('ZMEMBERJID', 'memberJid')}, ${member(probe.has('ZWAGROUPMEMBER', 'ZCONTACTNAME') ? 'ZCONTACTNAME' : 'ZFIRSTNAME', 'memberName')},
           ${media('ZMEDIALOCALPATH', 'localPath')}, ${media('ZTITLE', 'title')}, ${media('ZFILESIZE', 'fileSize')}, ${media('ZVCARDSTRING', 'vcard')},
           ${media('ZLATITUDE', 'lat')}, ${media('ZLONGITUDE', 'lon')}
      FROM ZWAMESSAGE m ${memberJoin} ${mediaJoin}
     WHERE m.Z_PK > ? ORDER BY m.Z_PK LIMIT ${BATCH}`);
  const ctx = { o, chats, person, label };
  let last = -1;
  for (;;) {
    if (o.signal.aborted) return;
    const rows = page.all(last) as MessageRow[];
    if (rows.length === 0) break;
    last = rows[rows.length - 1]!.pk;
    for (const r of rows) {
      const rec = toMessage(ctx, r);
      if (rec) yield rec;
    }
  }
}

interface ReaderCtx {
  o: ChatStorageOptions;
  chats: Map<number, { key: string; jid: string; group: boolean }>;
  person(jid: string, name?: string | null): HandleRef;
  label(jid: string | null | undefined, name?: string | null): string | undefined;
}

function toMessage(cx: ReaderCtx, r: MessageRow): MessageRecord | undefined {
  const { o } = cx;
  const locator = `${o.label}: ZWAMESSAGE ${r.pk}`;
  const chat = r.chat === null ? undefined : cx.chats.get(r.chat);
  if (!chat) {
    o.warn({ code: 'BAD_RECORD', locator, message: `message belongs to chat session ${r.chat}, which is not in ZWACHATSESSION` });
    return undefined;
  }
  let sentAt = appleSeconds(r.date);
  let raw = r.date;
  if (sentAt === undefined) {
    sentAt = appleSeconds(r.sentDate);
    raw = r.sentDate;
    if (sentAt === undefined) {
      o.warn({ code: 'BAD_DATE', locator, message: `ZMESSAGEDATE ${r.date} is not a usable date (nor ZSENTDATE ${r.sentDate}); message skipped`, skipped: true });
      return undefined;
    }
    o.warn({ code: 'BAD_DATE', locator, message: `ZMESSAGEDATE ${r.date} is not a usable date; ZSENTDATE used instead` });
  }
  const fromMe = r.fromMe === 1;
  // In a group the sender is the group member; ZFROMJID is then the group itself (reduced copies put the person there).
  const otherJid = chat.group ? (r.memberJid ?? (r.fromJid && !isGroupJid(r.fromJid) ? r.fromJid : undefined)) : (r.fromJid ?? chat.jid);
  const sender = fromMe ? o.owner.handle : otherJid ? cx.person(otherJid, r.memberName) : null;
  const senderLabel = fromMe ? o.owner.label : cx.label(otherJid, r.memberName);
  const type = r.type ?? T.text;
  const base = {
    type: 'message' as const, conversationKey: chat.key, key: String(r.pk), sentAt, rawTime: String(raw),
    timePrecision: Number.isInteger(raw) ? ('second' as const) : ('ms' as const), locator, sender, direction: fromMe ? ('out' as const) : ('in' as const),
    ...(r.stanza ? { externalId: r.stanza } : {}),
  };

  if (type === T.groupEvent || type === T.chatEvent) {
    const ev = type === T.groupEvent
      ? iosGroupEvent(r.eventType, senderLabel, r.memberName ?? undefined, r.text)
      : iosChatEvent(r.eventType, cx.label(chat.jid), r.text);
    return { ...base, kind: 'system', systemType: ev.systemType, text: ev.text };
  }
  if (!fromMe && !otherJid) o.warn({ code: 'BAD_RECORD', locator, message: `message in group ${chat.jid} names no sender` });

  const rec: MessageRecord = { ...base, kind: 'message', text: r.text ?? '' };
  if (type === T.deleted) {
    rec.deleted = true;
    rec.text = '';
  }
  if (r.parent !== null && r.parent > 0) rec.replyToKey = String(r.parent);
  // ZFLAGS bit 7 marks a forwarded message.
  if (r.flags !== null && (r.flags & 0x80) !== 0) rec.forwardedFrom = 'unknown';
  if (type === T.location) {
    const where = [r.title, r.lat !== null && r.lon !== null ? `(${r.lat}, ${r.lon})` : ''].filter(Boolean).join(' ');
    rec.text = [rec.text, `Location: ${where}`].filter(Boolean).join('\n');
  }
  if (type === T.contact && r.vcard?.includes('BEGIN:VCARD')) {
    const bytes = Buffer.from(r.vcard, 'utf8');
    const fn = /^FN[^:]*:(.*)$/m.exec(r.vcard)?.[1]?.trim() || rec.text || 'contact';
    rec.attachments = [{ name: `${fn.replace(/[\\/:*?"<>|]+/g, '_')}.vcf`, mime: 'text/vcard', size: bytes.length, open: async () => Readable.from([bytes]), locator }];
  }
  if (MEDIA.has(type) || r.localPath) {
    if (!rec.text && r.title && type !== T.location) rec.text = r.title;
    const mime = r.vcard && /^[\w.+-]+\/[\w.+-]+$/.test(r.vcard) ? r.vcard : undefined;
    if (r.localPath) {
      rec.attachments = [o.resolveMedia({
        localPath: r.localPath, name: path.posix.basename(r.localPath.replace(/\\/g, '/')), mime, size: r.fileSize ?? undefined, locator,
      })];
    } else {
      rec.attachments = [{
        name: r.title?.trim() || `${r.stanza ?? r.pk}`, ...(mime ? { mime } : {}), ...(r.fileSize ? { size: r.fileSize } : {}),
        missingReason: 'the media was not downloaded to the device (no local path)', locator,
      }];
    }
  }
  return rec;
}
