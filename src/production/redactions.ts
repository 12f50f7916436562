/**
 * Redactions are marks, not edits: the stored message never changes (its content hash stays
 * valid) and every production leaves the marked span out of its text — the PDF shows a labelled
 * box in its place, the other formats a "[REDACTED: reason]" placeholder. A mark on the whole
 * message also withholds its attachments and edit history. Adding and removing marks is audited.
 */
import { HoldfastError } from '../api/errors.ts';
import { appendAudit } from '../case/audit.ts';
import type { DB } from '../case/store.ts';
import { prepared } from '../case/messages.ts';
import type { CaseSession } from '../session/session.ts';
import type { RedactionDTO } from './types.ts';

export interface RedactionMark {
  id: number;
  start: number | null;
  end: number | null;
  reason: string;
}

export type TextSegment = { kind: 'text'; text: string } | { kind: 'redacted'; reason: string };

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

export function isWhollyRedacted(marks: readonly RedactionMark[] | undefined): RedactionMark | undefined {
  return marks?.find((m) => m.start === null);
}

/**
 * The text as segments with the marked spans taken out. Overlapping or touching spans merge into
 * one box whose label lists their reasons; a whole-message mark leaves a single box.
 */
export function redactText(text: string, marks: readonly RedactionMark[] | undefined): TextSegment[] {
  if (!marks || marks.length === 0) return text ? [{ kind: 'text', text }] : [];
  const whole = isWhollyRedacted(marks);
  if (whole) return [{ kind: 'redacted', reason: whole.reason }];
  const spans = marks
    .map((m) => ({ start: Math.min(m.start ?? 0, text.length), end: Math.min(m.end ?? 0, text.length), reasons: [m.reason] }))
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: typeof spans = [];
  for (const s of spans) {
    const last = merged.at(-1);
    if (last && s.start <= last.end) {
      last.end = Math.max(last.end, s.end);
      if (!last.reasons.includes(s.reasons[0]!)) last.reasons.push(s.reasons[0]!);
    } else merged.push({ ...s, reasons: [...s.reasons] });
  }
  const out: TextSegment[] = [];
  let at = 0;
  for (const s of merged) {
    if (s.start > at) out.push({ kind: 'text', text: text.slice(at, s.start) });
    out.push({ kind: 'redacted', reason: s.reasons.join('; ') });
    at = s.end;
  }
  if (at < text.length) out.push({ kind: 'text', text: text.slice(at) });
  return out;
}

/** Segments as plain text, each removed span replaced by "[REDACTED: reason]". */
export function segmentsToPlain(segments: readonly TextSegment[]): string {
  return segments.map((s) => (s.kind === 'text' ? s.text : `[REDACTED: ${s.reason}]`)).join('');
}

export function redactedPlain(text: string, marks: readonly RedactionMark[] | undefined): string {
  return marks && marks.length ? segmentsToPlain(redactText(text, marks)) : text;
}

function splitsSurrogate(text: string, offset: number): boolean {
  if (offset <= 0 || offset >= text.length) return false;
  const before = text.charCodeAt(offset - 1);
  const after = text.charCodeAt(offset);
  return before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff;
}
