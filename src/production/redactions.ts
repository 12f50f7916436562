/**
 * Redactions are marks, not edits: the stored message never changes (its content hash stays
 * valid) and every production leaves the marked span out of its text — the PDF shows a labelled
 * box in its place, the other formats a "[REDACTED: reason]" placeholder. A mark on the whole
 * message also withholds its attachments and edit history. Adding and removing marks is audited.
 */
import { HoldfastError } from '../api/errors.ts';
import { appendAudit } from '../case/audit.ts';
import type { DB } from '../case/store.ts';
import { prepared } from '../case/data/sqlcipher/prepared.ts';
import type { CaseSession } from '../case/session.ts';
import type { RedactionMark } from './redaction-text.ts';
import type { RedactionDTO } from './types.ts';

export { isWhollyRedacted, redactText, redactedPlain, segmentsToPlain } from './redaction-text.ts';
export type { RedactionMark, TextSegment } from './redaction-text.ts';

interface RedactionRow {
  id: number;
  message_id: number;
  start: number | null;
  end: number | null;
  reason: string;
  by: string;
  at: number;
}

const toDTO = (r: RedactionRow): RedactionDTO => ({
  id: r.id, messageId: r.message_id, start: r.start, end: r.end, reason: r.reason, by: r.by, at: new Date(r.at).toISOString(),
});

export interface AddRedactionArgs {
  messageId: number;
  /** Both absent: the whole message. UTF-16 code-unit offsets into the message text otherwise. */
  start?: number | undefined;
  end?: number | undefined;
  reason: string;
}

export function addRedaction(session: CaseSession, args: AddRedactionArgs): RedactionDTO {
  const { db } = session;
  const reason = (args.reason ?? '').replace(/\s+/g, ' ').trim();
  if (!reason) throw new HoldfastError('VALIDATION', 'A redaction needs a reason (e.g. "Privilege", "Personal data").', { field: 'reason' });
  if (reason.length > 200) throw new HoldfastError('VALIDATION', 'A redaction reason is limited to 200 characters.', { field: 'reason' });
  const message = db.prepare('SELECT id, text FROM messages WHERE id = ?').get(args.messageId) as { id: number; text: string } | undefined;
  if (!message) throw new HoldfastError('NOT_FOUND', `Message ${args.messageId} is not in the case.`, { messageId: args.messageId });
  const whole = args.start === undefined && args.end === undefined;
  if (!whole) {
    const { start, end } = args;
    if (start === undefined || end === undefined || !Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start || end > message.text.length) {
      throw new HoldfastError('VALIDATION', `A span redaction needs 0 ≤ start < end ≤ ${message.text.length} (the message's length), got ${args.start}–${args.end}.`, { field: 'start' });
    }
    if (splitsSurrogate(message.text, start) || splitsSurrogate(message.text, end)) {
      throw new HoldfastError('VALIDATION', 'A redaction span must not cut a character in half (offsets are UTF-16 code units).', { field: 'start' });
    }
  }
  const at = Date.now();
  return db.transaction(() => {
    const info = db
      .prepare('INSERT INTO redactions(message_id, start, "end", reason, by, at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(message.id, whole ? null : args.start, whole ? null : args.end, reason, session.actor, at);
    const row = db.prepare('SELECT * FROM redactions WHERE id = ?').get(info.lastInsertRowid) as RedactionRow;
    appendAudit(db, session.actor, 'redaction.add', { after: toDTO(row) }, at);
    return toDTO(row);
  })();
}

/** Every place `text` occurs: ASCII letters in either case, everything else exactly (as SQLite's LIKE, which finds the candidates). */
function occurrences(haystack: string, text: string): { start: number; end: number }[] {
  const pattern = [...text].map((c) => (/[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return [...haystack.matchAll(new RegExp(pattern, 'gu'))].map((m) => ({ start: m.index, end: m.index + m[0].length }));
}

/**
 * "Redact all instances of …": a span mark on every occurrence of `text` in the conversation (or
 * the whole case), skipping spans already marked. One audit entry lists the marks; it names the
 * text's length, not the text, so the audit log does not repeat what was redacted.
 */
export function redactAllInstances(session: CaseSession, args: { text: string; reason: string; conversationId?: number | undefined }): { added: number; messages: number } {
  const { db } = session;
  const text = args.text;
  if (!text.trim()) throw new HoldfastError('VALIDATION', 'Say what to redact: the text to find.', { field: 'text' });
  if (text.length > 500) throw new HoldfastError('VALIDATION', 'The text to redact is limited to 500 characters.', { field: 'text' });
  const reason = (args.reason ?? '').replace(/\s+/g, ' ').trim();
  if (!reason) throw new HoldfastError('VALIDATION', 'A redaction needs a reason (e.g. "Privilege", "Personal data").', { field: 'reason' });
  if (reason.length > 200) throw new HoldfastError('VALIDATION', 'A redaction reason is limited to 200 characters.', { field: 'reason' });
  if (args.conversationId !== undefined && !db.prepare('SELECT 1 FROM conversations WHERE id = ?').get(args.conversationId)) {
    throw new HoldfastError('NOT_FOUND', `No conversation with id ${args.conversationId} in this case.`, { conversationId: args.conversationId });
  }
  const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const candidates = (args.conversationId === undefined
    ? db.prepare("SELECT id, text FROM messages WHERE text LIKE ? ESCAPE '\\' ORDER BY id").all(like)
    : db.prepare("SELECT id, text FROM messages WHERE conversation_id = ? AND text LIKE ? ESCAPE '\\' ORDER BY id").all(args.conversationId, like)) as { id: number; text: string }[];
  const at = Date.now();
  return db.transaction(() => {
    const exists = db.prepare('SELECT 1 FROM redactions WHERE message_id = ? AND start = ? AND "end" = ?');
    const insert = db.prepare('INSERT INTO redactions(message_id, start, "end", reason, by, at) VALUES (?, ?, ?, ?, ?, ?)');
    const marks: { id: number; messageId: number; start: number; end: number }[] = [];
    for (const m of candidates) {
      for (const o of occurrences(m.text, text)) {
        if (exists.get(m.id, o.start, o.end)) continue;
        const id = Number(insert.run(m.id, o.start, o.end, reason, session.actor, at).lastInsertRowid);
        marks.push({ id, messageId: m.id, start: o.start, end: o.end });
      }
    }
    const messages = new Set(marks.map((x) => x.messageId)).size;
    if (marks.length) {
      appendAudit(db, session.actor, 'redaction.add-all', {
        scope: args.conversationId === undefined ? 'case' : { conversationId: args.conversationId }, textLength: text.length, reason, added: marks.length, messages, after: marks,
      }, at);
    }
    return { added: marks.length, messages };
  })();
}

export function removeRedaction(session: CaseSession, args: { redactionId: number }): { removed: RedactionDTO } {
  const { db } = session;
  return db.transaction(() => {
    const row = db.prepare('SELECT * FROM redactions WHERE id = ?').get(args.redactionId) as RedactionRow | undefined;
    if (!row) throw new HoldfastError('NOT_FOUND', `Redaction ${args.redactionId} does not exist.`, { redactionId: args.redactionId });
    db.prepare('DELETE FROM redactions WHERE id = ?').run(row.id);
    appendAudit(db, session.actor, 'redaction.remove', { before: toDTO(row) });
    return { removed: toDTO(row) };
  })();
}

export function listRedactions(session: CaseSession, args: { messageId?: number | undefined } = {}): RedactionDTO[] {
  const rows = (args.messageId === undefined
    ? session.db.prepare('SELECT * FROM redactions ORDER BY message_id, start, id').all()
    : session.db.prepare('SELECT * FROM redactions WHERE message_id = ? ORDER BY start, id').all(args.messageId)) as RedactionRow[];
  return rows.map(toDTO);
}

/** Marks for a batch of messages, by message id. */
export function loadRedactions(db: DB, ids: readonly number[]): Map<number, RedactionMark[]> {
  const out = new Map<number, RedactionMark[]>();
  for (let i = 0; i < ids.length; i += 500) {
    const slice = ids.slice(i, i + 500);
    const rows = prepared(db, `SELECT id, message_id, start, "end", reason FROM redactions WHERE message_id IN (${slice.map(() => '?').join(',')}) ORDER BY message_id, start, id`)
      .all(...slice) as RedactionRow[];
    for (const r of rows) {
      const list = out.get(r.message_id) ?? [];
      list.push({ id: r.id, start: r.start, end: r.end, reason: r.reason });
      out.set(r.message_id, list);
    }
  }
  return out;
}

function splitsSurrogate(text: string, offset: number): boolean {
  if (offset <= 0 || offset >= text.length) return false;
  const before = text.charCodeAt(offset - 1);
  const after = text.charCodeAt(offset);
  return before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff;
}
