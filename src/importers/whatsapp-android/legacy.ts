/**
 * msgstore.db in the legacy schema (before 2021): one `messages` table keyed by the chat's JID
 * (key_remote_jid), with key_from_me, key_id, data (text), timestamp (ms), remote_resource (the
 * sender in groups), media_* columns, quoted_row_id → messages_quotes, and system events as rows
 * with status 6 whose media_size is the event code. Chat names are in chat_list.subject; group
 * members in group_participants. The media file's path is only inside thumb_image, a serialised
 * Java object whose strings are read here.
 */
import { HoldfastError } from '../../api/errors.ts';
import type { ConversationRecord, ImportRecord, MessageRecord } from '../types.ts';
import { SchemaProbe } from '../sqlite/memory-db.ts';
import { conversationKind, parseJid } from '../whatsapp-db/jid.ts';
import { androidSystemEvent } from '../whatsapp-db/system-events.ts';
import type { AndroidReadContext } from './shared.ts';
import { MEDIA_TYPES, People, TYPE, findOwner, locationText, vcardAttachment } from './shared.ts';

const BATCH = 2000;
const STATUS_SYSTEM = 6;

interface LegacyRow {
  _id: number;
  key_remote_jid: string | null;
  key_from_me: number | null;
  key_id: string | null;
  status: number | null;
  data: string | null;
  timestamp: number | null;
  /** TEXT in the legacy schema. */
  media_wa_type: number | string | null;
  media_mime_type: string | null;
  media_size: number | null;
  media_name: string | null;
  media_caption: string | null;
  media_url: string | null;
  latitude: number | null;
  longitude: number | null;
  remote_resource: string | null;
  quoted_key: string | null;
  forwarded: number | null;
  edit_version: number | null;
  thumb_image: Buffer | null;
}

export function isLegacySchema(probe: SchemaProbe): boolean {
  return probe.has('messages', 'key_remote_jid') && probe.has('messages', 'key_id');
}

export function* readLegacySchema(rc: AndroidReadContext): Generator<ImportRecord> {
  const { db } = rc;
  const probe = new SchemaProbe(db);
  for (const c of ['_id', 'key_remote_jid', 'key_from_me', 'key_id', 'timestamp']) {
    if (!probe.has('messages', c)) {
      throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `${rc.label} has a messages table without the ${c} column; it is not a WhatsApp msgstore.db Holdfast knows.`, { file: rc.label, position: 'table messages' });
    }
  }
  const people = new People(rc.names, findOwner(db, rc.names, undefined));
  const owner = people.owner;

  const subjects = new Map<string, string>();
  if (probe.has('chat_list', 'key_remote_jid') && probe.has('chat_list', 'subject')) {
    for (const r of db.prepare('SELECT key_remote_jid AS jid, subject FROM chat_list').all() as { jid: string | null; subject: string | null }[]) {
      if (r.jid && r.subject?.trim()) subjects.set(parseJid(r.jid)?.bare ?? r.jid, r.subject.trim());
    }
  }
  const members = new Map<string, string[]>();
  if (probe.has('group_participants', 'gjid') && probe.has('group_participants', 'jid')) {
    for (const r of db.prepare('SELECT gjid, jid FROM group_participants').all() as { gjid: string | null; jid: string | null }[]) {
      if (!r.gjid || !r.jid) continue; // an empty jid is the owner's own row
      const g = parseJid(r.gjid)?.bare ?? r.gjid;
      members.set(g, [...(members.get(g) ?? []), r.jid]);
    }
  }

  // Conversations: every chat that has messages (chat_list can miss deleted chats whose rows remain).
  const chats = new Map<string, { key: string; group: boolean }>();
  for (const { jid: raw } of db.prepare(`SELECT DISTINCT key_remote_jid AS jid FROM messages WHERE key_remote_jid IS NOT NULL AND key_remote_jid <> '-1'`).all() as { jid: string }[]) {
    const jid = parseJid(raw)?.bare ?? raw;
    if (chats.has(jid)) continue;
    const kind = conversationKind(jid);
    const key = `jid:${jid}`;
    chats.set(jid, { key, group: kind === 'group' });
    const list: ConversationRecord['members'] = [{ handle: owner.handle }];
    if (kind === 'direct') list.push({ handle: people.handle(jid) });
    for (const m of members.get(jid) ?? []) list.push({ handle: people.handle(m) });
    yield {
      type: 'conversation', key, platform: 'whatsapp', externalId: jid, kind, members: list,
      name: subjects.get(jid) ?? (kind === 'direct' ? people.label(jid) : undefined) ?? jid, locator: `${rc.label}: chat ${jid}`,
    };
  }

  const hasQuotes = probe.has('messages', 'quoted_row_id') && probe.has('messages_quotes', 'key_id');
  const sql = `
    SELECT m._id, m.key_remote_jid, m.key_from_me, m.key_id, ${probe.pick('messages', 'm', 'status')}, ${probe.pick('messages', 'm', 'data')}, m.timestamp,
           ${['media_wa_type', 'media_mime_type', 'media_size', 'media_name', 'media_caption', 'media_url', 'latitude', 'longitude', 'remote_resource', 'forwarded', 'edit_version', 'thumb_image']
             .map((c) => probe.pick('messages', 'm', c)).join(', ')},
           ${hasQuotes ? 'q.key_id AS quoted_key' : 'NULL AS quoted_key'}
      FROM messages m ${hasQuotes ? 'LEFT JOIN messages_quotes q ON q._id = m.quoted_row_id' : ''}
     WHERE m._id > ? ORDER BY m._id LIMIT ${BATCH}`;
  const page = db.prepare(sql);
  let last = -1;
  for (;;) {
    if (rc.signal.aborted) return;
    const rows = page.all(last) as LegacyRow[];
    if (rows.length === 0) break;
    last = rows[rows.length - 1]!._id;
    for (const r of rows) {
      if (!r.key_remote_jid || r.key_remote_jid === '-1') continue;
      const jid = parseJid(r.key_remote_jid)?.bare ?? r.key_remote_jid;
      const chat = chats.get(jid);
      if (!chat) continue;
      const rec = toMessage(rc, people, r, jid, chat);
      if (rec) yield rec;
    }
  }
}

function toMessage(rc: AndroidReadContext, people: People, r: LegacyRow, chatJid: string, chat: { key: string; group: boolean }): MessageRecord | undefined {
  const { owner } = people;
  const locator = `${rc.label}: messages row ${r._id}`;
  // Old databases leave key_id NULL on some rows: the row id identifies them instead (and dedupes a re-import).
  const id = r.key_id || `row:${r._id}`;
  const dated = r.timestamp !== null && r.timestamp > 0;
  if (!dated) rc.warn({ code: 'BAD_DATE', locator, message: `message ${id} has no usable timestamp (${r.timestamp}); kept with time unknown` });
  const fromMe = r.key_from_me === 1;
  const base = {
    type: 'message' as const, conversationKey: chat.key, key: id, externalId: id, sentAt: dated ? r.timestamp! : 0,
    rawTime: String(r.timestamp), timePrecision: 'ms' as const, locator, ...(dated ? {} : { timeSource: 'none' as const }),
  };
  const type = r.media_wa_type === null || r.media_wa_type === '' ? TYPE.text : Number(r.media_wa_type);
  if (r.status === STATUS_SYSTEM) {
    const actorJid = chat.group ? r.remote_resource || undefined : fromMe ? undefined : chatJid;
    const actor = actorJid ? people.label(actorJid) : fromMe ? owner.label : undefined;
    const event = androidSystemEvent(r.media_size, actor, [], r.data);
    return {
      ...base, sender: actorJid ? people.handle(actorJid) : fromMe ? owner.handle : null,
      direction: actorJid ? (people.isOwner(actorJid) ? 'out' : 'in') : fromMe ? 'out' : 'in',
      kind: 'system', systemType: event.systemType, text: event.text,
    };
  }
  const senderJid = chat.group ? r.remote_resource || undefined : chatJid;
  const rec: MessageRecord = {
    ...base, sender: fromMe ? owner.handle : senderJid ? people.handle(senderJid) : null, direction: fromMe ? 'out' : 'in',
    kind: 'message', text: type === TYPE.contact ? (r.media_name ?? '') : (r.data ?? ''),
  };
  if (type === TYPE.revoked) {
    rec.deleted = true;
    rec.text = '';
  }
  if (r.quoted_key) rec.replyToKey = r.quoted_key;
  if (r.edit_version !== null && r.edit_version > 0) rec.edited = true;
  if (r.forwarded !== null && r.forwarded > 0) rec.forwardedFrom = 'unknown';
  if (type === TYPE.location || type === TYPE.liveLocation) {
    const loc = locationText(r.media_name, null, r.latitude, r.longitude, r.media_url);
    rec.text = rec.text ? `${rec.text}\n${loc}` : loc;
  }
  if (type === TYPE.contact && r.data) rec.attachments = [vcardAttachment(r.data, 0, locator)];
  if (MEDIA_TYPES.has(type)) {
    if (!rec.text && r.media_caption) rec.text = r.media_caption;
    rec.attachments = [rc.media({ filePath: r.thumb_image ? mediaPathInThumb(r.thumb_image) : null, name: r.media_name, mime: r.media_mime_type, size: r.media_size, locator })];
  }
  return rec;
}

/**
 * The media file path stored in `thumb_image`: a Java-serialised MediaData object, in which a
 * string is TC_STRING (0x74), a 2-byte big-endian length and the (modified UTF-8) bytes.
 */
export function mediaPathInThumb(blob: Buffer): string | null {
  for (let i = 0; i + 3 < blob.length; i++) {
    if (blob[i] !== 0x74) continue;
    const len = blob.readUInt16BE(i + 1);
    if (len < 6 || i + 3 + len > blob.length) continue;
    const s = blob.toString('utf8', i + 3, i + 3 + len);
    if (/Media\//.test(s) && !/[\x00-\x1f\ufffd]/.test(s)) return s;
  }
  return null;
}
