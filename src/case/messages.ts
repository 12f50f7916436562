/** Reading messages back as DTOs: the CLI's `messages`, the conversation view, productions. */
import type { AttachmentDTO, EditDTO, MessageDTO, ReactionDTO, RecipientDTO } from '../api/dto.ts';
import { isoTime } from '../api/dto.ts';
import type Database from 'better-sqlite3-multiple-ciphers';
import type { DB } from './store.ts';
import { reviewedSql } from './data/sqlcipher/review-marks.ts';

interface MessageRow {
  id: number;
  conversation_id: number;
  conversation: string | null;
  sender_handle_id: number | null;
  sender_display: string | null;
  sender_value: string | null;
  sender_participant: number | null;
  sender_name: string | null;
  direction: 'in' | 'out' | 'unknown';
  sent_at: number;
  raw_time: string;
  time_unknown: number;
  text: string;
  subject: string | null;
  kind: 'message' | 'system';
  system_type: string | null;
  edited: number;
  deleted: number;
  reply_to_id: number | null;
  forwarded_from: string | null;
  source_id: number;
  locator: string;
  time_source: string | null;
}

const SELECT = `
  SELECT m.id, m.conversation_id, c.name AS conversation, m.sender_handle_id, h.display AS sender_display, h.value AS sender_value,
         h.participant_id AS sender_participant, p.display_name AS sender_name, m.direction, m.sent_at, m.raw_time, m.time_unknown, m.text, m.subject, m.kind, m.system_type,
         m.edited, m.deleted, m.reply_to_id, m.forwarded_from, m.source_id, m.locator, m.time_source
    FROM messages m
    JOIN conversations c ON c.id = m.conversation_id
    LEFT JOIN handles h ON h.id = m.sender_handle_id
    LEFT JOIN participants p ON p.id = h.participant_id`;

/**
 * The sender as reviewers named them: the participant's name (so merged and renamed identities
 * read the same everywhere), except where that name is only the raw handle an import first saw
 * and the handle has since got a display name.
 */
function senderName(r: MessageRow): string | null {
  if (r.sender_handle_id === null) return null;
  const handleName = r.sender_display ?? r.sender_value;
  if (r.sender_name === null || (r.sender_name === r.sender_value && r.sender_display !== null)) return handleName;
  return r.sender_name;
}

/**
 * Statements by SQL text, per connection: reading a million messages in batches of 500 would
 * otherwise compile the same five statements two thousand times each. Only `.all()`/`.get()`
 * statements are cached (an iterating statement cannot be reused while it is open).
 */
const statements = new WeakMap<DB, Map<string, Database.Statement<unknown[]>>>();
export function prepared(db: DB, sql: string): Database.Statement<unknown[]> {
  let cache = statements.get(db);
  if (!cache) {
    cache = new Map();
    statements.set(db, cache);
  }
  let stmt = cache.get(sql);
  if (!stmt) {
    stmt = db.prepare<unknown[]>(sql);
    if (cache.size > 200) cache.clear();
    cache.set(sql, stmt);
  }
  return stmt;
}

export interface MessageFilter {
  conversationId?: number;
  ids?: readonly number[];
  /** Include conversations marked personal (hidden from review by default). */
  includePersonal?: boolean;
}

/** Messages in conversation then time order; attachments, reactions, edits and tags filled in. */
export function* iterateMessages(db: DB, filter: MessageFilter = {}): Generator<MessageDTO> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.conversationId !== undefined) {
    where.push('m.conversation_id = ?');
    params.push(filter.conversationId);
  }
  if (!filter.includePersonal) where.push('c.personal = 0');
  if (filter.ids) {
    const ids = [...filter.ids];
    for (let i = 0; i < ids.length; i += 500) {
      const slice = ids.slice(i, i + 500);
      const rows = prepared(db, `${SELECT} WHERE ${[...where, `m.id IN (${slice.map(() => '?').join(',')})`].join(' AND ')} ORDER BY m.conversation_id, m.sent_at, m.id`)
        .all(...params, ...slice) as MessageRow[];
      yield* hydrate(db, rows);
    }
    return;
  }
  const sql = `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY m.conversation_id, m.sent_at, m.id`;
  let batch: MessageRow[] = [];
  for (const row of db.prepare(sql).iterate(...params) as IterableIterator<MessageRow>) {
    batch.push(row);
    if (batch.length === 500) {
      // Hydrating needs the connection, which an open iterator keeps busy: copy rows out first.
      const rows = batch;
      batch = [];
      yield* hydrate(db, rows);
    }
  }
  yield* hydrate(db, batch);
}

export function getMessages(db: DB, ids: readonly number[]): MessageDTO[] {
  const byId = new Map<number, MessageDTO>();
  for (const m of iterateMessages(db, { ids, includePersonal: true })) byId.set(m.id, m);
  return ids.map((id) => byId.get(id)).filter((m): m is MessageDTO => m !== undefined);
}

function* hydrate(db: DB, rows: MessageRow[]): Generator<MessageDTO> {
  if (rows.length === 0) return;
  const ids = rows.map((r) => r.id);
  const marks = ids.map(() => '?').join(',');
  const attachments = groupBy(
    prepared(db, `SELECT id, message_id, name, sha256, size, mime, missing_reason FROM attachments WHERE message_id IN (${marks}) ORDER BY message_id, seq`).all(...ids) as {
      id: number; message_id: number; name: string; sha256: string | null; size: number | null; mime: string | null; missing_reason: string | null;
    }[],
    (a): AttachmentDTO => ({ id: a.id, name: a.name, sha256: a.sha256, size: a.size, mime: a.mime, missingReason: a.missing_reason }),
  );
  const reactions = groupBy(
    prepared(
      db,
      `SELECT r.message_id, r.value, COALESCE(h.display, h.value) AS sender, r.at, r.removed FROM reactions r LEFT JOIN handles h ON h.id = r.handle_id
        WHERE r.message_id IN (${marks}) ORDER BY r.message_id, r.at, r.id`,
    ).all(...ids) as { message_id: number; value: string; sender: string | null; at: number | null; removed: number }[],
    (r): ReactionDTO => ({ value: r.value, sender: r.sender, sentAt: isoTime(r.at), removed: r.removed === 1 }),
  );
  const edits = groupBy(
    prepared(db, `SELECT message_id, seq, edited_at, text FROM message_edits WHERE message_id IN (${marks}) ORDER BY message_id, seq`).all(...ids) as {
      message_id: number; seq: number; edited_at: number | null; text: string;
    }[],
    (e): EditDTO => ({ seq: e.seq, editedAt: isoTime(e.edited_at), text: e.text }),
  );
  const recipients = groupBy(
    prepared(
      db,
      `SELECT r.message_id, r.role, h.display, h.value FROM message_recipients r JOIN handles h ON h.id = r.handle_id
        WHERE r.message_id IN (${marks}) ORDER BY r.message_id, r.seq`,
    ).all(...ids) as { message_id: number; role: RecipientDTO['role']; display: string | null; value: string }[],
    (r): RecipientDTO => ({ role: r.role, name: r.display, handle: r.value }),
  );
  const redacted = groupBy(
    prepared(db, `SELECT message_id, start, "end" FROM redactions WHERE message_id IN (${marks}) ORDER BY message_id, start`).all(...ids) as {
      message_id: number; start: number | null; end: number | null;
    }[],
    (x) => ({ start: x.start, end: x.end }),
  );
  const tags = groupBy(
    prepared(db, `SELECT mt.message_id, t.name FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.message_id IN (${marks}) ORDER BY t.name`).all(...ids) as {
      message_id: number; name: string;
    }[],
    (t) => t.name,
  );
  const reviewed = new Set(prepared(db, `SELECT m.id FROM messages m WHERE m.id IN (${marks}) AND ${reviewedSql('m')}`).pluck().all(...ids) as number[]);
  for (const r of rows) {
    yield {
      id: r.id,
      conversationId: r.conversation_id,
      conversation: r.conversation ?? '',
      sender: senderName(r),
      senderId: r.sender_participant,
      senderHandle: r.sender_value,
      direction: r.direction,
      sentAt: isoTime(r.sent_at)!,
      rawTime: r.raw_time,
      ...(r.time_unknown === 1 ? { timeUnknown: true as const } : {}),
      timeSource: r.time_source,
      text: r.text,
      subject: r.subject,
      kind: r.kind,
      systemType: r.system_type,
      attachments: attachments.get(r.id) ?? [],
      reactions: reactions.get(r.id) ?? [],
      edits: edits.get(r.id) ?? [],
      edited: r.edited === 1,
      deleted: r.deleted === 1,
      replyTo: r.reply_to_id,
      forwardedFrom: r.forwarded_from,
      recipients: recipients.get(r.id) ?? [],
      tags: tags.get(r.id) ?? [],
      reviewed: reviewed.has(r.id),
      redacted: redacted.get(r.id) ?? [],
      source: { sourceId: r.source_id, locator: r.locator },
    };
  }
}

function groupBy<R extends { message_id: number }, T>(rows: R[], map: (r: R) => T): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const r of rows) {
    const list = out.get(r.message_id);
    if (list) list.push(map(r));
    else out.set(r.message_id, [map(r)]);
  }
  return out;
}
