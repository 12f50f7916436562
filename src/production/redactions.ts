/**
 * Redactions are marks, not edits: the stored message never changes (its content hash stays
 * valid) and every production leaves the marked span out of its text — the PDF shows a labelled
 * box in its place, the other formats a "[REDACTED: reason]" placeholder. A mark on the whole
 * message also withholds its attachments and edit history. Adding and removing marks is audited.
 */
import { HoldfastError } from '../api/errors.ts';
import { appendAudit } from '../case/audit.ts';
import { dataOf } from '../case/data/index.ts';
import type { RedactionRow } from '../case/data/interface.ts';
import type { CaseSession } from '../case/session.ts';
import type { RedactionMark } from './redaction-text.ts';
import type { RedactionDTO } from './types.ts';

export { isWhollyRedacted, redactText, redactedPlain, segmentsToPlain } from './redaction-text.ts';
export type { RedactionMark, TextSegment } from './redaction-text.ts';

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
  const data = dataOf(session);
  const reason = (args.reason ?? '').replace(/\s+/g, ' ').trim();
  if (!reason) throw new HoldfastError('VALIDATION', 'A redaction needs a reason (e.g. "Privilege", "Personal data").', { field: 'reason' });
  if (reason.length > 200) throw new HoldfastError('VALIDATION', 'A redaction reason is limited to 200 characters.', { field: 'reason' });
  const { read, write } = dataOf(session);
  const message = read.redactions.messageText(args.messageId);
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
  return data.write.transaction.run(() => {
    const id = write.redactions.add({ messageId: message.id, start: whole ? null : args.start!, end: whole ? null : args.end!, reason, by: session.actor, at });
    const row = read.redactions.get(id)!;
    appendAudit(dataOf(session), session.actor, 'redaction.add', { after: toDTO(row) }, at);
    return toDTO(row);
  });
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
  const data = dataOf(session);
  const text = args.text;
  if (!text.trim()) throw new HoldfastError('VALIDATION', 'Say what to redact: the text to find.', { field: 'text' });
  if (text.length > 500) throw new HoldfastError('VALIDATION', 'The text to redact is limited to 500 characters.', { field: 'text' });
  const reason = (args.reason ?? '').replace(/\s+/g, ' ').trim();
  if (!reason) throw new HoldfastError('VALIDATION', 'A redaction needs a reason (e.g. "Privilege", "Personal data").', { field: 'reason' });
  if (reason.length > 200) throw new HoldfastError('VALIDATION', 'A redaction reason is limited to 200 characters.', { field: 'reason' });
  const { read, write } = dataOf(session);
  if (args.conversationId !== undefined && !read.conversations.brief(args.conversationId)) {
    throw new HoldfastError('NOT_FOUND', `No conversation with id ${args.conversationId} in this case.`, { conversationId: args.conversationId });
  }
  const candidates = read.redactions.containing(text, args.conversationId);
  const at = Date.now();
  return data.write.transaction.run(() => {
    const marks: { id: number; messageId: number; start: number; end: number }[] = [];
    for (const m of candidates) {
      for (const o of occurrences(m.text, text)) {
        if (read.redactions.spanMarked(m.id, o.start, o.end)) continue;
        const id = write.redactions.add({ messageId: m.id, start: o.start, end: o.end, reason, by: session.actor, at });
        marks.push({ id, messageId: m.id, start: o.start, end: o.end });
      }
    }
    const messages = new Set(marks.map((x) => x.messageId)).size;
    if (marks.length) {
      appendAudit(dataOf(session), session.actor, 'redaction.add-all', {
        scope: args.conversationId === undefined ? 'case' : { conversationId: args.conversationId }, textLength: text.length, reason, added: marks.length, messages, after: marks,
      }, at);
    }
    return { added: marks.length, messages };
  });
}

export function removeRedaction(session: CaseSession, args: { redactionId: number }): { removed: RedactionDTO } {
  const data = dataOf(session);
  const { read, write } = dataOf(session);
  return data.write.transaction.run(() => {
    const row = read.redactions.get(args.redactionId);
    if (!row) throw new HoldfastError('NOT_FOUND', `Redaction ${args.redactionId} does not exist.`, { redactionId: args.redactionId });
    write.redactions.delete(row.id);
    appendAudit(dataOf(session), session.actor, 'redaction.remove', { before: toDTO(row) });
    return { removed: toDTO(row) };
  });
}

export function listRedactions(session: CaseSession, args: { messageId?: number | undefined } = {}): RedactionDTO[] {
  const redactions = dataOf(session).read.redactions;
  return (args.messageId === undefined ? redactions.all() : redactions.onMessage(args.messageId)).map(toDTO);
}

/** Marks for a batch of messages, by message id. */
export function loadRedactions(session: CaseSession, ids: readonly number[]): Map<number, RedactionMark[]> {
  const out = new Map<number, RedactionMark[]>();
  for (const r of dataOf(session).read.redactions.marksOn(ids)) {
    const list = out.get(r.message_id) ?? [];
    list.push({ id: r.id, start: r.start, end: r.end, reason: r.reason });
    out.set(r.message_id, list);
  }
  return out;
}

function splitsSurrogate(text: string, offset: number): boolean {
  if (offset <= 0 || offset >= text.length) return false;
  const before = text.charCodeAt(offset - 1);
  const after = text.charCodeAt(offset);
  return before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff;
}
