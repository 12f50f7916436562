/**
 * msgstore.db in the current schema (2021+): `message` rows keyed to `chat` and `jid`, with side
 * tables per feature (message_media, message_quoted, message_edit_info, message_revoked,
 * message_forwarded, message_location, message_vcard, message_system*, message_add_on* for
 * reactions) and `call_log`. Columns and side tables are probed: each WhatsApp version differs.
 */
import { HoldfastError } from '../../api/errors.ts';
import type { ConversationRecord, ImportRecord, MessageRecord, ReactionRecordData } from '../types.ts';
import { SchemaProbe } from '../sqlite/memory-db.ts';
import { conversationKind, parseJid } from '../whatsapp-db/jid.ts';
import { androidSystemEvent } from '../whatsapp-db/system-events.ts';
import type { AndroidReadContext } from './shared.ts';
import { MEDIA_TYPES, People, TYPE, findOwner, locationText, vcardAttachment } from './shared.ts';

const BATCH = 2000;

interface Row {
  _id: number;
  chat_row_id: number;
  from_me: number;
  key_id: string | null;
  sender_jid_row_id: number | null;
  timestamp: number | null;
  received_timestamp: number | null;
  message_type: number | null;
  text_data: string | null;
  status: number | null;
  file_path: string | null;
  file_size: number | null;
  mime_type: string | null;
  media_name: string | null;
  media_caption: string | null;
  quoted_key: string | null;
  edited_timestamp: number | null;
  revoked_key_id: string | null;
  forward_score: number | null;
  action_type: number | null;
  latitude: number | null;
  longitude: number | null;
  place_name: string | null;
  place_address: string | null;
  location_url: string | null;
}

export function isCurrentSchema(probe: SchemaProbe): boolean {
  return probe.has('message', 'chat_row_id') && probe.has('chat', 'jid_row_id') && probe.has('jid', 'raw_string');
}

export function* readCurrentSchema(rc: AndroidReadContext): Generator<ImportRecord> {
  const { db } = rc;
  const probe = new SchemaProbe(db);
  for (const c of ['_id', 'chat_row_id', 'from_me', 'key_id', 'timestamp']) {
    if (!probe.has('message', c)) {
      throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `${rc.label} has a message table without the ${c} column; it is not a WhatsApp msgstore.db Holdfast knows.`, { file: rc.label, position: 'table message' });
    }
  }
  const jids = new Map<number, string>();
  for (const r of db.prepare(`SELECT _id, raw_string, ${probe.pick('jid', 'jid', 'user')}, ${probe.pick('jid', 'jid', 'server')} FROM jid`).all() as {
    _id: number; raw_string: string | null; user: string | null; server: string | null;
  }[]) {
    const raw = r.raw_string ?? (r.user !== null && r.server ? `${r.user}@${r.server}` : null);
    if (raw) jids.set(r._id, raw);
  }
  // A linked id (@lid) whose phone account is known is that account.
  if (probe.has('jid_map', 'lid_row_id') && probe.has('jid_map', 'jid_row_id')) {
    for (const r of db.prepare('SELECT lid_row_id, jid_row_id FROM jid_map').all() as { lid_row_id: number; jid_row_id: number }[]) {
      const phone = jids.get(r.jid_row_id);
      if (phone && jids.has(r.lid_row_id)) jids.set(r.lid_row_id, phone);
    }
  }
  const jidOf = (id: number | null | undefined) => (id ? jids.get(id) : undefined);

  const ownJid = findOwnJid(rc, probe, jidOf);
  const people = new People(rc.names, findOwner(db, rc.names, ownJid));
  const owner = people.owner;

  // Conversations.
  const chats = new Map<number, { key: string; jid: string; group: boolean }>();
  const members = groupMembers(rc, probe, jidOf);
  const chatRows = db.prepare(`SELECT _id, jid_row_id, ${probe.pick('chat', 'chat', 'subject')}, ${probe.pick('chat', 'chat', 'created_timestamp')} FROM chat ORDER BY _id`).all() as {
    _id: number; jid_row_id: number; subject: string | null; created_timestamp: number | null;
  }[];
  for (const c of chatRows) {
    const jid = jidOf(c.jid_row_id);
    if (!jid) {
      rc.warn({ code: 'BAD_RECORD', locator: `${rc.label}: chat row ${c._id}`, message: `chat refers to jid row ${c.jid_row_id}, which is not in the jid table; its messages are skipped` });
      continue;
    }
    const bare = parseJid(jid)?.bare ?? jid;
    const kind = conversationKind(bare);
    const key = `chat:${c._id}`;
    chats.set(c._id, { key, jid: bare, group: kind === 'group' });
    const memberList: ConversationRecord['members'] = [{ handle: owner.handle }];
    if (kind === 'direct') memberList.push({ handle: people.handle(bare) });
    for (const m of members.get(c.jid_row_id) ?? []) memberList.push({ handle: people.handle(m) });
    const name = c.subject?.trim() || (kind === 'direct' ? people.label(bare) : undefined) || bare;
    yield {
      type: 'conversation', key, platform: 'whatsapp', externalId: bare, kind, name, members: memberList,
      locator: `${rc.label}: chat row ${c._id}`,
    };
  }

  const join = (table: string, alias: string) => (probe.has(table) ? `LEFT JOIN ${table} ${alias} ON ${alias}.message_row_id = m._id` : '');
  const sql = `
    SELECT m._id, m.chat_row_id, m.from_me, m.key_id, ${probe.pick('message', 'm', 'sender_jid_row_id')}, m.timestamp, ${probe.pick('message', 'm', 'received_timestamp')},
           ${probe.pick('message', 'm', 'message_type')}, ${probe.pick('message', 'm', 'text_data')}, ${probe.pick('message', 'm', 'status')},
           ${probe.pick('message_media', 'mm', 'file_path')}, ${probe.pick('message_media', 'mm', 'file_size')}, ${probe.pick('message_media', 'mm', 'mime_type')},
           ${probe.pick('message_media', 'mm', 'media_name')}, ${probe.pick('message_media', 'mm', 'media_caption')},
           ${probe.pick('message_quoted', 'mq', 'key_id', 'quoted_key')}, ${probe.pick('message_edit_info', 'me', 'edited_timestamp')},
           ${probe.pick('message_revoked', 'mr', 'revoked_key_id')}, ${probe.pick('message_forwarded', 'mf', 'forward_score')},
           ${probe.pick('message_system', 'ms', 'action_type')},
           ${probe.pick('message_location', 'ml', 'latitude')}, ${probe.pick('message_location', 'ml', 'longitude')},
           ${probe.pick('message_location', 'ml', 'place_name')}, ${probe.pick('message_location', 'ml', 'place_address')},
           ${probe.pick('message_location', 'ml', 'url', 'location_url')}
      FROM message m
      ${join('message_media', 'mm')} ${join('message_quoted', 'mq')} ${join('message_edit_info', 'me')} ${join('message_revoked', 'mr')}
      ${join('message_forwarded', 'mf')} ${join('message_system', 'ms')} ${join('message_location', 'ml')}
     WHERE m._id > ? ORDER BY m._id LIMIT ${BATCH}`;
  const page = db.prepare(sql);
  const hasCalls = probe.has('call_log', 'call_id');
  let last = -1;
  for (;;) {
    if (rc.signal.aborted) return;
    const rows = page.all(last) as Row[];
    if (rows.length === 0) break;
    last = rows[rows.length - 1]!._id;
    const ids = rows.map((r) => r._id);
    const participants = sideRows(rc, probe, 'message_system_chat_participant', 'user_jid_row_id', ids);
    const vcards = sideRows(rc, probe, 'message_vcard', 'vcard', ids);
    const reactions = reactionsFor(rc, people, probe, ids, jidOf);
    for (const r of rows) {
      const chat = chats.get(r.chat_row_id);
      if (!chat) {
        rc.warn({ code: 'BAD_RECORD', locator: `${rc.label}: message row ${r._id}`, message: `message belongs to chat row ${r.chat_row_id}, which is not in the chat table` });
        continue;
      }
      if (r.message_type === TYPE.videoCall && hasCalls) continue; // the call_log row tells it
      const rec = toMessage(rc, people, r, chat, jidOf, (participants.get(r._id) ?? []).map((v) => jidOf(Number(v))).filter((j): j is string => !!j), (vcards.get(r._id) ?? []) as string[]);
      if (!rec) continue;
      const rx = reactions.get(r._id);
      if (rx?.length) rec.reactions = rx;
      yield rec;
    }
  }
  if (hasCalls) yield* callLog(rc, people, probe, chats, jidOf);
}

function toMessage(
  rc: AndroidReadContext, people: People, r: Row, chat: { key: string; jid: string; group: boolean },
  jidOf: (id: number | null | undefined) => string | undefined, participants: string[], vcards: string[],
): MessageRecord | undefined {
  const { owner } = people;
  const locator = `${rc.label}: message row ${r._id}`;
  // A NULL key_id (seen in old databases): the row id identifies the message instead.
  const id = r.key_id || `row:${r._id}`;
  let timeSource: 'received' | 'none' | undefined;
  if (r.timestamp === null || !Number.isFinite(r.timestamp) || r.timestamp <= 0) {
    if (r.received_timestamp === null || r.received_timestamp <= 0) {
      rc.warn({ code: 'BAD_DATE', locator, message: `message ${id} has no usable timestamp (${r.timestamp}); kept with time unknown` });
      timeSource = 'none';
      r.timestamp = 0;
    } else {
      rc.warn({ code: 'BAD_DATE', locator, message: `message ${id} has no usable timestamp (${r.timestamp}); received_timestamp used instead` });
      timeSource = 'received';
      r.timestamp = r.received_timestamp;
    }
  }
  const type = r.message_type === null ? TYPE.text : Number(r.message_type);
  const senderJid = chat.group ? jidOf(r.sender_jid_row_id) : chat.jid;
  const fromMe = r.from_me === 1;
  const base = {
    type: 'message' as const, conversationKey: chat.key, key: id, externalId: id,
    sentAt: r.timestamp, rawTime: String(r.timestamp), timePrecision: 'ms' as const, locator, ...(timeSource ? { timeSource } : {}),
  };

  if (type === TYPE.system || type === TYPE.missedCall || type === TYPE.disappearingSet || type === TYPE.waiting) {
    // In groups the actor is the sender JID even on rows flagged from_me.
    const actorJid = chat.group ? jidOf(r.sender_jid_row_id) : fromMe ? undefined : chat.jid;
    const actor = actorJid ? people.label(actorJid) : fromMe ? owner.label : undefined;
    const subjects = participants.map((j) => people.label(j) ?? j);
    const event = type === TYPE.missedCall ? { systemType: 'call', text: 'Missed call' }
      : type === TYPE.disappearingSet ? { systemType: 'disappearing', text: `${actor ?? 'Someone'} changed the disappearing-messages timer` }
      : type === TYPE.waiting ? { systemType: 'other', text: 'Waiting for this message (its content never arrived on this device)' }
      : androidSystemEvent(r.action_type, actor, subjects, r.text_data);
    return {
      ...base, sender: actorJid ? people.handle(actorJid) : fromMe ? owner.handle : null,
      direction: actorJid ? (people.isOwner(actorJid) ? 'out' : 'in') : fromMe ? 'out' : 'in',
      kind: 'system', systemType: event.systemType, text: event.text,
    };
  }

  const sender = fromMe ? owner.handle : senderJid ? people.handle(senderJid) : null;
  if (!fromMe && !senderJid) rc.warn({ code: 'BAD_RECORD', locator, message: `message ${r.key_id} in group ${chat.jid} names no sender` });
  const rec: MessageRecord = { ...base, sender, direction: fromMe ? 'out' : 'in', kind: 'message', text: r.text_data ?? '' };
  if (type === TYPE.revoked) {
    rec.deleted = true;
    rec.text = '';
    // Replies to the message point at its original key.
    if (r.revoked_key_id) rec.key = r.revoked_key_id;
  }
  if (r.quoted_key) rec.replyToKey = r.quoted_key;
  if (r.edited_timestamp) rec.edited = true;
  if (r.forward_score !== null && r.forward_score > 0) rec.forwardedFrom = 'unknown';
  if (type === TYPE.location || type === TYPE.liveLocation) {
    const loc = locationText(r.place_name, r.place_address, r.latitude, r.longitude, r.location_url);
    rec.text = rec.text ? `${rec.text}\n${loc}` : loc;
  }
  if (MEDIA_TYPES.has(type) || r.file_path || r.media_name) {
    if (!rec.text && r.media_caption) rec.text = r.media_caption;
    rec.attachments = [rc.media({ filePath: r.file_path, name: r.media_name, mime: r.mime_type, size: r.file_size, locator })];
  }
  if (vcards.length) {
    rec.attachments = [...(rec.attachments ?? []), ...vcards.map((v, i) => vcardAttachment(v, i, locator))];
  }
  if (type === TYPE.album && !rec.text && !rec.attachments?.length) return undefined; // the album's items are their own rows
  return rec;
}

/** `column` of `table` for each message row id in `ids` (tables with several rows per message). */
function sideRows(rc: AndroidReadContext, probe: SchemaProbe, table: string, column: string, ids: number[]): Map<number, unknown[]> {
  const out = new Map<number, unknown[]>();
  if (!probe.has(table, column) || !probe.has(table, 'message_row_id')) return out;
  const rows = rc.db.prepare(`SELECT message_row_id AS id, "${column}" AS v FROM ${table} WHERE message_row_id IN (${ids.join(',')})`).all() as { id: number; v: unknown }[];
  for (const r of rows) {
    if (r.v === null) continue;
    const list = out.get(r.id) ?? [];
    list.push(r.v);
    out.set(r.id, list);
  }
  return out;
}

/** Reactions (message_add_on of type reaction, with message_add_on_reaction) by the message they react to. */
function reactionsFor(
  rc: AndroidReadContext, people: People, probe: SchemaProbe, ids: number[], jidOf: (id: number | null | undefined) => string | undefined,
): Map<number, ReactionRecordData[]> {
  const out = new Map<number, ReactionRecordData[]>();
  if (!probe.has('message_add_on', 'parent_message_row_id') || !probe.has('message_add_on_reaction', 'reaction')) return out;
  const rows = rc.db.prepare(
    `SELECT ao.parent_message_row_id AS id, ${probe.pick('message_add_on', 'ao', 'from_me')}, ${probe.pick('message_add_on', 'ao', 'sender_jid_row_id')},
            ${probe.pick('message_add_on', 'ao', 'timestamp')}, r.reaction
       FROM message_add_on ao JOIN message_add_on_reaction r ON r.message_add_on_row_id = ao._id
      WHERE ao.parent_message_row_id IN (${ids.join(',')}) ORDER BY ao._id`,
  ).all() as { id: number; from_me: number | null; sender_jid_row_id: number | null; timestamp: number | null; reaction: string | null }[];
  for (const r of rows) {
    const jid = jidOf(r.sender_jid_row_id);
    const list = out.get(r.id) ?? [];
    list.push({
      sender: r.from_me === 1 ? people.owner.handle : jid ? people.handle(jid) : null,
      value: r.reaction ?? '', ...(r.timestamp ? { at: r.timestamp } : {}), ...(!r.reaction ? { removed: true } : {}),
    });
    out.set(r.id, list);
  }
  return out;
}

/** Group JID row → member JIDs (group_participant_user; older: group_participants by JID text). */
function groupMembers(rc: AndroidReadContext, probe: SchemaProbe, jidOf: (id: number | null | undefined) => string | undefined): Map<number, string[]> {
  const out = new Map<number, string[]>();
  if (probe.has('group_participant_user', 'group_jid_row_id') && probe.has('group_participant_user', 'user_jid_row_id')) {
    for (const r of rc.db.prepare('SELECT group_jid_row_id AS g, user_jid_row_id AS u FROM group_participant_user').all() as { g: number; u: number }[]) {
      const u = jidOf(r.u);
      const server = u ? parseJid(u)?.server : undefined;
      if (!u || (server !== 's.whatsapp.net' && server !== 'lid')) continue;
      out.set(r.g, [...(out.get(r.g) ?? []), u]);
    }
  }
  return out;
}

/** The owner's own JID: the participant of a group event that says "you joined / were added". */
function findOwnJid(rc: AndroidReadContext, probe: SchemaProbe, jidOf: (id: number | null | undefined) => string | undefined): string | undefined {
  if (!probe.has('message_system_group', 'is_me_joined') || !probe.has('message_system_chat_participant', 'user_jid_row_id')) return undefined;
  const row = rc.db.prepare(
    `SELECT p.user_jid_row_id AS u FROM message_system_group g JOIN message_system_chat_participant p ON p.message_row_id = g.message_row_id
      WHERE g.is_me_joined = 1 GROUP BY p.message_row_id HAVING count(*) = 1 LIMIT 1`,
  ).get() as { u: number } | undefined;
  const jid = jidOf(row?.u);
  return jid ? (parseJid(jid)?.bare ?? jid) : undefined;
}

function* callLog(
  rc: AndroidReadContext, people: People, probe: SchemaProbe, chats: Map<number, { key: string; jid: string; group: boolean }>,
  jidOf: (id: number | null | undefined) => string | undefined,
): Generator<MessageRecord> {
  const chatByJid = new Map([...chats.values()].map((c) => [c.jid, c]));
  const rows = rc.db.prepare(
    `SELECT _id, jid_row_id, from_me, call_id, timestamp, ${probe.pick('call_log', 'c', 'video_call')}, ${probe.pick('call_log', 'c', 'duration')},
            ${probe.pick('call_log', 'c', 'group_jid_row_id')}
       FROM call_log c ORDER BY _id`,
  ).all() as {
    _id: number; jid_row_id: number; from_me: number; call_id: string; timestamp: number | null; video_call: number | null;
    duration: number | null; group_jid_row_id: number | null;
  }[];
  for (const r of rows) {
    const locator = `${rc.label}: call_log row ${r._id}`;
    const peer = jidOf(r.jid_row_id);
    const groupJid = jidOf(r.group_jid_row_id);
    const chat = (groupJid && chatByJid.get(parseJid(groupJid)?.bare ?? groupJid)) || (peer && chatByJid.get(parseJid(peer)?.bare ?? peer));
    if (!chat || !r.timestamp) {
      rc.warn({ code: 'BAD_RECORD', locator, message: `call ${r.call_id} has no chat or time; skipped` });
      continue;
    }
    const what = r.video_call === 1 ? 'Video call' : 'Voice call';
    const dir = r.from_me === 1 ? 'outgoing' : 'incoming';
    const length = r.duration ? `, ${r.duration} s` : r.from_me === 1 ? ', not answered' : ', missed';
    yield {
      type: 'message', conversationKey: chat.key, externalId: `call:${r.call_id}`, sentAt: r.timestamp, rawTime: String(r.timestamp), timePrecision: 'ms',
      sender: r.from_me === 1 ? people.owner.handle : peer ? people.handle(peer) : null, direction: r.from_me === 1 ? 'out' : 'in',
      kind: 'system', systemType: 'call', text: `${what} (${dir}${length})`, locator,
    };
  }
}

/** How many chats and messages the database holds (for the probe). */
export function countCurrent(rc: Pick<AndroidReadContext, 'db'>): { conversations: number; messages: number } {
  const get = (sql: string) => (rc.db.prepare(sql).pluck().get() as number) ?? 0;
  return { conversations: get('SELECT count(*) FROM chat'), messages: get('SELECT count(*) FROM message') };
}
