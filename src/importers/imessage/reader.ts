/**
 * Reads an open Messages database (macOS chat.db, iOS sms.db) into normalised records. It takes a
 * connection, not a path, so the iPhone-backup importer can hand it an sms.db decrypted in memory;
 * attachments are found through `resolveAttachment`, which knows where the files live (a Messages
 * folder on disk, or a backup's MediaDomain).
 *
 * Normalisation (README.md has the format facts):
 * - one conversation per chat (guid as identity), plus one per handle for messages in no chat;
 * - tapbacks (associated_message_type 2000–2007 added, 3000–3007 removed) become reactions on
 *   their target (`p:N/GUID`, `bp:GUID`), never messages;
 * - group events (item_type 1–3) become system messages, and feed the conversation's name history
 *   and member list;
 * - edits and unsends (message_summary_info, date_edited, date_retracted) become edit history and
 *   flags; messages in "Recently Deleted" and recoverable deleted parts are kept, flagged deleted.
 */
import { toE164 } from '../common/handles.ts';
import type { AttachmentRecord, ConversationRecord, HandleRef, ImportContext, ImportRecord, MessageRecord } from '../types.ts';
import { attachmentGuids, partRanges, salvageAttributedBody } from './attributed-body.ts';
import type { AttributedBody } from './attributed-body.ts';
import { APPLE_EPOCH_MS, appleTime } from './apple-time.ts';
import { balloonText } from './payload.ts';
import { Schema } from './schema.ts';
import type { MessagesDatabase } from './schema.ts';
import { parseSummaryInfo } from './summary-info.ts';
import type { SummaryInfo } from './summary-info.ts';
import { looksLikeTypedStream, TypedStreamError } from './typedstream.ts';

export type ResolvedAttachment = { open: NonNullable<AttachmentRecord['open']>; size?: number } | { missingReason: string };

export interface ReadMessagesOptions {
  /** How the database is named in locators and warnings: "chat.db", "HomeDomain/Library/SMS/sms.db". */
  sourceLabel: string;
  /** Finds the file of `attachment.filename` as stored ("~/Library/Messages/Attachments/ab/11/GUID/IMG_1.jpg"). */
  resolveAttachment(filename: string): ResolvedAttachment;
  /** Progress units reported when every message row has been read (default: the row count). */
  progressTotal?: number;
}

const PLATFORM = 'imessage';

const MESSAGE_COLUMNS = [
  'guid', 'text', 'attributedBody', 'handle_id', 'subject', 'account', 'destination_caller_id', 'is_from_me', 'item_type',
  'other_handle', 'group_title', 'group_action_type', 'associated_message_guid', 'associated_message_type', 'associated_message_emoji',
  'balloon_bundle_id', 'payload_data', 'message_summary_info', 'thread_originator_guid', 'date_edited', 'date_retracted',
] as const;
const ATTACHMENT_COLUMNS = ['guid', 'filename', 'mime_type', 'transfer_name', 'total_bytes', 'is_sticker', 'emoji_image_short_description'] as const;
const CHAT_COLUMNS = ['guid', 'style', 'chat_identifier', 'display_name', 'service_name'] as const;

interface MessageRow {
  rowid: number;
  guid: string | null;
  text: string | null;
  attributedBody: Uint8Array | null;
  handle_id: number | null;
  subject: string | null;
  account: string | null;
  destination_caller_id: string | null;
  is_from_me: number | null;
  item_type: number | null;
  other_handle: number | null;
  group_title: string | null;
  group_action_type: number | null;
  associated_message_guid: string | null;
  associated_message_type: number | null;
  associated_message_emoji: string | null;
  balloon_bundle_id: string | null;
  payload_data: Uint8Array | null;
  message_summary_info: Uint8Array | null;
  thread_originator_guid: string | null;
  date_text: string | null;
  date_edited_text: string | null;
  date_retracted_text: string | null;
  chat_id: number | null;
  deleted_chat_id: number | null;
  delete_date_text: string | null;
}

interface AttachmentRow {
  rowid: number;
  message_id: number;
  guid: string | null;
  filename: string | null;
  mime_type: string | null;
  transfer_name: string | null;
  total_bytes: number | null;
  is_sticker: number | null;
  emoji_image_short_description: string | null;
}

interface ChatRow {
  rowid: number;
  guid: string;
  style: number | null;
  chat_identifier: string | null;
  display_name: string | null;
}

const TAPBACKS: Record<number, string> = { 0: '❤️', 1: '👍', 2: '👎', 3: '😂', 4: '‼️', 5: '❓' };

/** True when the database has the tables of a Messages store. */
export function isMessagesDatabase(db: MessagesDatabase): boolean {
  return new Schema(db).missingTables().length === 0;
}

export async function* readMessagesDb(db: MessagesDatabase, ctx: ImportContext, opts: ReadMessagesOptions): AsyncGenerator<ImportRecord> {
  const schema = new Schema(db);
  const label = opts.sourceLabel;
  const warnedHandles = new Set<number>();

  // Handles: the other party of every message and chat.
  const handles = new Map<number, HandleRef>();
  for (const h of db.prepare('SELECT ROWID AS rowid, id FROM handle').all() as { rowid: number; id: string | null }[]) {
    if (h.id) handles.set(h.rowid, handleRef(h.id));
  }
  const handleOf = (rowid: number, locator: string): HandleRef => {
    const found = handles.get(rowid);
    if (found) return found;
    if (!warnedHandles.has(rowid)) {
      warnedHandles.add(rowid);
      ctx.warn({ code: 'BAD_RECORD', locator, message: `handle ${rowid} is not in the handle table; its messages keep the row number as sender` });
    }
    return { kind: 'other', value: `${PLATFORM}-handle-rowid:${rowid}`, display: `Unknown sender (handle ${rowid})` };
  };

  // Chats, their members, and the group events that name them and change their membership.
  const chats = new Map<number, ChatRow>();
  const chatRows = schema.hasTable('chat') ? (db.prepare(`SELECT c.ROWID AS rowid, ${schema.select('chat', 'c', CHAT_COLUMNS)} FROM chat c ORDER BY c.ROWID`).all() as ChatRow[]) : [];
  for (const c of chatRows) {
    if (c.guid) chats.set(c.rowid, c);
  }
  const members = new Map<number, number[]>();
  if (schema.hasTable('chat_handle_join')) {
    for (const j of db.prepare('SELECT chat_id, handle_id FROM chat_handle_join ORDER BY chat_id, handle_id').all() as { chat_id: number; handle_id: number }[]) {
      const list = members.get(j.chat_id) ?? [];
      list.push(j.handle_id);
      members.set(j.chat_id, list);
    }
  }
  const hasChatJoin = schema.hasTable('chat_message_join');
  const groupEvents = hasChatJoin && schema.has('message', 'item_type') ? readGroupEvents(db, schema) : [];

  for (const chat of chats.values()) {
    yield conversationOf(chat, members.get(chat.rowid) ?? [], groupEvents.filter((e) => e.chat_id === chat.rowid), (id) => handleOf(id, `${label} chat rowid ${chat.rowid}`), label);
  }

  const attachments = readAttachments(db, schema);
  const recoverableParts = schema.hasTable('recoverable_message_part') ? readRecoverableParts(db) : new Map<number, RecoverablePart[]>();
  const handleConversations = new Set<string>();

  const total = db.prepare('SELECT count(*) FROM message').pluck().get() as number;
  const progressTotal = opts.progressTotal ?? total;
  const recoverable = schema.hasTable('chat_recoverable_message_join');
  const sql = `
    SELECT m.ROWID AS rowid, ${schema.select('message', 'm', MESSAGE_COLUMNS)},
           CAST(m.date AS TEXT) AS date_text,
           ${schema.has('message', 'date_edited') ? 'CAST(m.date_edited AS TEXT)' : 'NULL'} AS date_edited_text,
           ${schema.has('message', 'date_retracted') ? 'CAST(m.date_retracted AS TEXT)' : 'NULL'} AS date_retracted_text,
           ${hasChatJoin ? 'cmj.chat_id' : 'NULL'} AS chat_id,
           ${recoverable ? 'crmj.chat_id' : 'NULL'} AS deleted_chat_id,
           ${recoverable ? 'CAST(crmj.delete_date AS TEXT)' : 'NULL'} AS delete_date_text
      FROM message m
      ${hasChatJoin ? 'LEFT JOIN chat_message_join cmj ON cmj.message_id = m.ROWID' : ''}
      ${recoverable ? `LEFT JOIN chat_recoverable_message_join crmj ON crmj.message_id = m.ROWID${hasChatJoin ? ' AND cmj.chat_id IS NULL' : ''}` : ''}
     ORDER BY m.date, m.ROWID`;

  let done = 0;
  for (const row of db.prepare(sql).iterate() as IterableIterator<MessageRow>) {
    if (ctx.signal.aborted) return;
    done++;
    if (done % 500 === 0) ctx.progress(Math.floor((progressTotal * done) / Math.max(1, total)));
    const locator = `${label} message rowid ${row.rowid}`;
    if (!row.guid) {
      ctx.warn({ code: 'BAD_RECORD', locator, message: 'message without a guid; skipped', skipped: true });
      continue;
    }

    // Which conversation: its chat, the chat it was deleted from, or one per handle.
    const chatId = row.chat_id ?? row.deleted_chat_id;
    let conversationKey: string;
    if (chatId !== null && chats.has(chatId)) {
      conversationKey = `chat:${chatId}`;
    } else {
      if (chatId !== null) ctx.warn({ code: 'BAD_RECORD', locator, message: `chat ${chatId} is not in the chat table; filed under its sender instead` });
      const other = row.handle_id ? handleOf(row.handle_id, locator) : undefined;
      conversationKey = other ? `handle:${other.kind}:${other.value}` : 'handle:none';
      if (!handleConversations.has(conversationKey)) {
        handleConversations.add(conversationKey);
        yield handleConversation(conversationKey, other, locator);
      }
    }

    const time = appleTime(row.date_text);
    if (!time) ctx.warn({ code: 'BAD_DATE', locator, message: `message date "${row.date_text ?? 'NULL'}" is missing; shown at 2001-01-01T00:00:00Z, Apple's zero date` });
    const sentAt = time?.ms ?? APPLE_EPOCH_MS;
    const rawTime = row.date_text ?? '';
    const timePrecision = time?.precision ?? 'second';
    const fromMe = row.is_from_me === 1;
    const sender = fromMe ? meHandle(row) : senderOf(row, chats.get(chatId ?? -1), members, (id) => handleOf(id, locator));
    const direction = fromMe ? 'out' : 'in';

    // Tapbacks are reactions on another message, not messages.
    const assoc = row.associated_message_type ?? 0;
    if ((assoc >= 2000 && assoc <= 2007) || (assoc >= 3000 && assoc <= 3007)) {
      const target = targetGuid(row.associated_message_guid);
      if (!target) {
        ctx.warn({ code: 'UNKNOWN_TARGET', locator, message: `tapback without a target message (associated_message_guid "${row.associated_message_guid ?? ''}")` });
        continue;
      }
      yield {
        type: 'reaction', conversationKey, targetKey: target, sender, value: tapbackValue(assoc % 1000, row, attachments.get(row.rowid)),
        at: sentAt, removed: assoc >= 3000, locator,
      };
      continue;
    }

    // Text: the text column, else the archived attributed string; U+FFFC marks attachment positions.
    const decoded = decodeBody(row, ctx, locator);
    let text = row.text && row.text.length > 0 ? row.text : (decoded?.text ?? '');
    if (placeholdersOnly(text)) text = '';
    if (!text && row.balloon_bundle_id) text = safeBalloonText(row, ctx, locator) ?? '';

    const base = {
      conversationKey, sender, direction, sentAt, rawTime, timePrecision, locator,
    } as const;

    const itemType = row.item_type ?? 0;
    if (itemType !== 0) {
      const event = systemEvent(row, sender, (id) => handleOf(id, locator));
      yield { type: 'message', key: row.guid, externalId: row.guid, ...base, kind: 'system', systemType: event.type, text: text || event.text };
      continue;
    }

    const msg: MessageRecord = {
      type: 'message', key: row.guid, externalId: row.guid, ...base, kind: 'message', text,
      ...(row.subject ? { subject: row.subject } : {}),
    };
    if (row.thread_originator_guid) msg.replyToKey = row.thread_originator_guid;
    if (assoc === 1000) {
      // A sticker placed on another message: its own message (it carries the sticker), tied to the target.
      const target = targetGuid(row.associated_message_guid);
      if (target) msg.replyToKey = target;
    }
    const files = orderAttachments(attachments.get(row.rowid) ?? [], decoded);
    if (files.length) msg.attachments = files.map((a) => attachmentRecord(a, opts, label));

    const info = readSummary(row, ctx, locator);
    const editedAt = appleTime(row.date_edited_text);
    const retractedAt = appleTime(row.date_retracted_text);
    if (info) {
      const versions = editVersions(info, decoded, text);
      if (versions.length) msg.edits = versions;
    }
    if (editedAt || info?.edits.size) msg.edited = true;
    const unsent = info?.unsentParts ?? [];
    const fullyUnsent = (info && info.partCount > 0 && unsent.length >= info.partCount) || (retractedAt !== undefined && !text && !files.length);
    if (fullyUnsent) msg.deleted = true;
    if (row.deleted_chat_id !== null && row.chat_id === null) {
      msg.deleted = true;
      const when = appleTime(row.delete_date_text);
      msg.locator = `${locator} (in Recently Deleted${when ? ` since ${new Date(when.ms).toISOString()}` : ''})`;
    }
    yield msg;

    if (!fullyUnsent && unsent.length) {
      const who = sender?.display ?? sender?.value ?? 'Someone';
      yield {
        type: 'message', key: `${row.guid}#unsent`, externalId: `${row.guid}#unsent`, ...base,
        sentAt: retractedAt?.ms ?? sentAt, rawTime: row.date_retracted_text && retractedAt ? row.date_retracted_text : rawTime,
        kind: 'system', systemType: 'unsent', replyToKey: row.guid,
        text: `${who} unsent ${unsent.length === 1 ? 'part' : 'parts'} ${unsent.map((p) => p + 1).join(', ')} of a message`,
      };
    }
    for (const part of recoverableParts.get(row.rowid) ?? []) {
      yield {
        type: 'message', key: `${row.guid}#part-${part.index}`, externalId: `${row.guid}#part-${part.index}`, ...base,
        conversationKey: chats.has(part.chatId) ? `chat:${part.chatId}` : conversationKey, kind: 'message', deleted: true,
        text: recoverableText(part.text, ctx, `${label} recoverable_message_part message ${row.rowid} part ${part.index}`), replyToKey: row.guid,
        locator: `${label} recoverable_message_part chat ${part.chatId} message ${row.rowid} part ${part.index}`,
      };
    }
  }
  ctx.progress(progressTotal);
}

function handleRef(id: string): HandleRef {
  const value = id.trim();
  if (value.includes('@') && !value.startsWith('urn:')) return { kind: 'email', value: value.toLowerCase() };
  const e164 = toE164(value);
  return e164 ? { kind: 'phone', value: e164 } : { kind: 'other', value };
}

/** The device owner: the account the message went out from. */
function meHandle(row: MessageRow): HandleRef {
  const account = (row.account ?? '').replace(/^[a-z]:/i, '').trim();
  const id = account || (row.destination_caller_id ?? '').trim() || 'device';
  return { kind: 'other', value: `me:${id.includes('@') ? id.toLowerCase() : id}`, display: 'Me' };
}

function senderOf(
  row: MessageRow, chat: ChatRow | undefined, members: Map<number, number[]>, handleOf: (id: number) => HandleRef,
): HandleRef | null {
  if (row.handle_id) return handleOf(row.handle_id);
  // Some received SMS carry no handle_id; in a one-to-one chat the other member is the sender.
  const list = chat ? members.get(chat.rowid) : undefined;
  if (list?.length === 1) return handleOf(list[0]!);
  return null;
}

/** `p:0/GUID` (part 0 of a message), `bp:GUID` (a balloon), or a bare GUID. */
export function targetGuid(assoc: string | null): string | undefined {
  if (!assoc) return undefined;
  const m = /^(?:p:\d+\/|bp:)?(.+)$/.exec(assoc.trim());
  return m?.[1] || undefined;
}

function tapbackValue(kind: number, row: MessageRow, files: AttachmentRow[] | undefined): string {
  if (kind === 6) return row.associated_message_emoji || 'emoji';
  if (kind === 7) {
    const label = files?.find((f) => f.emoji_image_short_description)?.emoji_image_short_description;
    return label ? `sticker: ${label}` : 'sticker';
  }
  return TAPBACKS[kind] ?? `tapback ${2000 + kind}`;
}

function placeholdersOnly(text: string): boolean {
  return /^[\uFFFC\uFFFD\s]*$/.test(text) && text.length > 0;
}

function decodeBody(row: MessageRow, ctx: ImportContext, locator: string): AttributedBody | undefined {
  const blob = row.attributedBody;
  if (!blob || blob.length === 0) return undefined;
  if (!looksLikeTypedStream(blob)) {
    if (!row.text) ctx.warn({ code: 'BAD_RECORD', locator, message: 'attributedBody is not a typedstream; the message text is unknown' });
    return undefined;
  }
  try {
    const body = salvageAttributedBody(blob);
    if (body.damaged && !row.text) {
      ctx.warn({ code: 'BAD_RECORD', locator, message: `attributedBody is damaged (${body.damaged.message}); text recovered up to the damage` });
    }
    return body;
  } catch (err) {
    if (err instanceof TypedStreamError && err.reason === 'empty') return undefined;
    if (!row.text) ctx.warn({ code: 'BAD_RECORD', locator, message: `attributedBody could not be decoded: ${err instanceof Error ? err.message : String(err)}` });
    return undefined;
  }
}

function safeBalloonText(row: MessageRow, ctx: ImportContext, locator: string): string | undefined {
  try {
    return balloonText(row.balloon_bundle_id!, row.payload_data);
  } catch (err) {
    ctx.warn({ code: 'BAD_RECORD', locator, message: `payload_data of ${row.balloon_bundle_id} could not be read: ${err instanceof Error ? err.message : String(err)}` });
    return undefined;
  }
}

function readSummary(row: MessageRow, ctx: ImportContext, locator: string): SummaryInfo | undefined {
  if (!row.message_summary_info || row.message_summary_info.length === 0) return undefined;
  try {
    const info = parseSummaryInfo(row.message_summary_info);
    for (const p of info.problems) ctx.warn({ code: 'BAD_RECORD', locator, message: `message_summary_info: ${p}` });
    return info;
  } catch (err) {
    ctx.warn({ code: 'BAD_RECORD', locator, message: `message_summary_info could not be read: ${err instanceof Error ? err.message : String(err)}` });
    return undefined;
  }
}

/**
 * Earlier versions of the whole text, oldest first. A single-part message's versions are its edit
 * history; in a multi-part message each edited part is put back into the current text at the range
 * its `__kIMMessagePartAttributeName` run covers, one version per edit in time order.
 */
export function editVersions(info: SummaryInfo, body: AttributedBody | undefined, current: string): { at: number; text: string }[] {
  const parts = [...info.edits.entries()];
  if (!parts.length) return [];
  const ranges = body ? partRanges(body) : new Map<number, { start: number; end: number }>();
  const locatable = body !== undefined && body.text === current && parts.every(([p]) => ranges.has(p));
  if (!locatable || ranges.size <= 1) {
    return parts.flatMap(([, history]) => history.slice(0, -1).map((e) => ({ at: e.at, text: e.text }))).sort((a, b) => a.at - b.at);
  }
  const state = new Map(parts.map(([p, history]) => [p, history[0]!.text]));
  const compose = () => {
    let text = current;
    const order = [...state.keys()].sort((a, b) => ranges.get(b)!.start - ranges.get(a)!.start);
    for (const p of order) {
      const r = ranges.get(p)!;
      text = text.slice(0, r.start) + state.get(p)! + text.slice(r.end);
    }
    return text;
  };
  const versions = [{ at: Math.min(...parts.map(([, h]) => h[0]!.at)), text: compose() }];
  const later = parts.flatMap(([p, history]) => history.slice(1).map((e) => ({ p, e }))).sort((a, b) => a.e.at - b.e.at);
  for (const { p, e } of later) {
    state.set(p, e.text);
    versions.push({ at: e.at, text: compose() });
  }
  return versions.slice(0, -1);
}

interface GroupEvent {
  chat_id: number;
  item_type: number;
  group_action_type: number | null;
  group_title: string | null;
  handle_id: number | null;
  other_handle: number | null;
  is_from_me: number | null;
  date_text: string | null;
}

function readGroupEvents(db: MessagesDatabase, schema: Schema): GroupEvent[] {
  return db.prepare(
    `SELECT cmj.chat_id, m.item_type, ${schema.select('message', 'm', ['group_action_type', 'group_title', 'handle_id', 'other_handle', 'is_from_me'])},
            CAST(m.date AS TEXT) AS date_text
       FROM message m JOIN chat_message_join cmj ON cmj.message_id = m.ROWID
      WHERE m.item_type IN (1, 2, 3)
      ORDER BY m.date, m.ROWID`,
  ).all() as GroupEvent[];
}

function conversationOf(chat: ChatRow, memberIds: number[], events: GroupEvent[], handleOf: (id: number) => HandleRef, label: string): ConversationRecord {
  const isGroup = chat.style === 43 || (chat.style !== 45 && (memberIds.length > 1 || /^chat\d/.test(chat.chat_identifier ?? '')));
  const nameHistory: { name: string; fromAt: number }[] = [];
  const joined = new Map<number, number>();
  const left = new Map<number, number>();
  for (const e of events) {
    const at = appleTime(e.date_text)?.ms;
    if (at === undefined) continue;
    if (e.item_type === 2 && e.group_title) nameHistory.push({ name: e.group_title, fromAt: at });
    if (e.item_type === 1 && e.other_handle && e.other_handle !== e.handle_id) {
      if (e.group_action_type === 0 && !joined.has(e.other_handle)) joined.set(e.other_handle, at);
      if (e.group_action_type === 1) left.set(e.other_handle, at);
    }
    if (e.item_type === 3 && e.group_action_type === 0 && e.handle_id && e.is_from_me !== 1) left.set(e.handle_id, at);
  }
  const ids = [...new Set([...memberIds, ...left.keys(), ...joined.keys()])];
  const members = ids.map((id) => {
    const joinedAt = joined.get(id);
    const leftAt = left.get(id);
    // Someone still in the chat who left earlier has rejoined: the leave is history, not membership.
    const stillIn = memberIds.includes(id);
    return { handle: handleOf(id), ...(joinedAt !== undefined ? { joinedAt } : {}), ...(leftAt !== undefined && !stillIn ? { leftAt } : {}) };
  });
  const display = chat.display_name?.trim();
  const name = display || (isGroup ? members.map((m) => m.handle.value).join(', ') || chat.chat_identifier || chat.guid : chat.chat_identifier || chat.guid);
  return {
    type: 'conversation', key: `chat:${chat.rowid}`, platform: PLATFORM, externalId: chat.guid, kind: isGroup ? 'group' : 'direct',
    ...(name ? { name } : {}), ...(nameHistory.length ? { nameHistory } : {}), ...(members.length ? { members } : {}),
    locator: `${label} chat rowid ${chat.rowid}`,
  };
}

function handleConversation(key: string, other: HandleRef | undefined, locator: string): ConversationRecord {
  return {
    type: 'conversation', key, platform: PLATFORM, externalId: other ? `handle:${other.value}` : 'handle:unknown', kind: 'direct',
    name: other ? (other.display ?? other.value) : 'Messages without a chat or sender',
    ...(other ? { members: [{ handle: other }] } : {}),
    locator: `${locator} (no chat_message_join row)`,
  };
}

function systemEvent(row: MessageRow, sender: HandleRef | null, handleOf: (id: number) => HandleRef): { type: string; text: string } {
  const actor = sender?.display ?? sender?.value ?? 'Someone';
  const other = row.other_handle ? handleOf(row.other_handle) : undefined;
  const otherName = other ? (other.display ?? other.value) : 'someone';
  const action = row.group_action_type ?? 0;
  switch (row.item_type) {
    case 1:
      if (row.other_handle && row.other_handle === row.handle_id) return { type: 'number-change', text: `${actor} changed their phone number` };
      return action === 1 ? { type: 'leave', text: `${actor} removed ${otherName} from the conversation` } : { type: 'join', text: `${actor} added ${otherName} to the conversation` };
    case 2:
      return row.group_title ? { type: 'rename', text: `${actor} named the conversation “${row.group_title}”` } : { type: 'rename', text: `${actor} removed the name of the conversation` };
    case 3:
      switch (action) {
        case 0: return { type: 'leave', text: `${actor} left the conversation` };
        case 1: return { type: 'other', text: `${actor} changed the group photo` };
        case 2: return { type: 'other', text: `${actor} removed the group photo` };
        case 4: return { type: 'other', text: `${actor} changed the chat background` };
        case 6: return { type: 'other', text: `${actor} removed the chat background` };
        default: return { type: 'other', text: `${actor}: group event ${action}` };
      }
    case 5:
      return { type: 'other', text: `${actor} kept an audio message` };
    case 6:
      return { type: 'other', text: `${actor}: FaceTime / SharePlay activity` };
    default:
      return { type: 'other', text: `${actor}: system event (item_type ${row.item_type}, group_action_type ${action})` };
  }
}

function readAttachments(db: MessagesDatabase, schema: Schema): Map<number, AttachmentRow[]> {
  const out = new Map<number, AttachmentRow[]>();
  if (!schema.hasTable('attachment') || !schema.hasTable('message_attachment_join')) return out;
  const rows = db.prepare(
    `SELECT a.ROWID AS rowid, j.message_id, ${schema.select('attachment', 'a', ATTACHMENT_COLUMNS)}
       FROM message_attachment_join j JOIN attachment a ON a.ROWID = j.attachment_id
      ORDER BY j.message_id, a.ROWID`,
  ).all() as AttachmentRow[];
  for (const r of rows) {
    const list = out.get(r.message_id) ?? [];
    list.push(r);
    out.set(r.message_id, list);
  }
  return out;
}

/** The body's placeholders name their files (`at_0_GUID`); those come first, in text order, then the rest. */
function orderAttachments(rows: AttachmentRow[], body: AttributedBody | undefined): AttachmentRow[] {
  if (rows.length < 2 || !body) return rows;
  const rest = [...rows];
  const ordered: AttachmentRow[] = [];
  for (const guid of attachmentGuids(body)) {
    const i = rest.findIndex((r) => r.guid === guid || (r.guid !== null && guid.endsWith(r.guid)));
    if (i >= 0) ordered.push(...rest.splice(i, 1));
  }
  return [...ordered, ...rest];
}

function attachmentRecord(a: AttachmentRow, opts: ReadMessagesOptions, label: string): AttachmentRecord {
  const name = a.transfer_name || (a.filename ? a.filename.split('/').pop() : undefined) || a.guid || `attachment-${a.rowid}`;
  const record: AttachmentRecord = {
    name, locator: `${label} attachment rowid ${a.rowid}${a.is_sticker ? ' (sticker)' : ''}`,
    ...(a.mime_type ? { mime: a.mime_type } : {}), ...(a.total_bytes && a.total_bytes > 0 ? { size: a.total_bytes } : {}),
  };
  if (!a.filename) return { ...record, missingReason: 'the database names no file for it (never downloaded to this device)' };
  const resolved = opts.resolveAttachment(a.filename);
  if ('missingReason' in resolved) return { ...record, missingReason: resolved.missingReason };
  return { ...record, open: resolved.open, ...(resolved.size !== undefined ? { size: resolved.size } : {}) };
}

interface RecoverablePart {
  chatId: number;
  index: number;
  text: Uint8Array | string | null;
}

function readRecoverableParts(db: MessagesDatabase): Map<number, RecoverablePart[]> {
  const out = new Map<number, RecoverablePart[]>();
  const rows = db.prepare('SELECT chat_id, message_id, part_index, part_text FROM recoverable_message_part ORDER BY message_id, part_index').all() as {
    chat_id: number; message_id: number; part_index: number; part_text: Uint8Array | string | null;
  }[];
  for (const r of rows) {
    const list = out.get(r.message_id) ?? [];
    list.push({ chatId: r.chat_id, index: r.part_index, text: r.part_text });
    out.set(r.message_id, list);
  }
  return out;
}

function recoverableText(raw: Uint8Array | string | null, ctx: ImportContext, locator: string): string {
  if (raw === null) return '';
  if (typeof raw === 'string') return raw;
  if (!looksLikeTypedStream(raw)) return new TextDecoder().decode(raw);
  try {
    return salvageAttributedBody(raw).text;
  } catch (err) {
    if (!(err instanceof TypedStreamError && err.reason === 'empty')) {
      ctx.warn({ code: 'BAD_RECORD', locator, message: `deleted part could not be decoded: ${err instanceof Error ? err.message : String(err)}` });
    }
    return '';
  }
}
