/** Reviewers' notes on a message or a conversation; adding, editing and deleting are audited with before/after. */
import type { NoteDTO } from '../api/dto.ts';
import { HoldfastError } from '../api/errors.ts';
import type { CaseSession } from '../case/session.ts';
import { appendAudit } from '../case/audit.ts';
import { dataOf } from '../case/data/index.ts';
import type { NoteReader, NoteRow } from '../case/data/interface.ts';
import { requireConversation, requireMessage } from './ids.ts';

const MAX_NOTE = 20_000;

function toDto(n: NoteRow): NoteDTO {
  return { id: n.id, messageId: n.message_id, conversationId: n.conversation_id, by: n.by, at: new Date(n.at).toISOString(), text: n.text };
}

function checkText(text: string): string {
  const t = text.trim();
  if (!t) throw new HoldfastError('VALIDATION', 'A note needs some text.');
  if (t.length > MAX_NOTE) throw new HoldfastError('VALIDATION', `A note is at most ${MAX_NOTE.toLocaleString('en')} characters.`);
  return t;
}

function requireNote(notes: NoteReader, noteId: number): NoteRow {
  const n = notes.get(noteId);
  if (!n) throw new HoldfastError('NOT_FOUND', `No note with id ${noteId} in this case.`, { noteId });
  return n;
}

function state(n: NoteRow) {
  return { messageId: n.message_id, conversationId: n.conversation_id, by: n.by, at: n.at, text: n.text };
}

export function addNote(session: CaseSession, args: { messageId?: number; conversationId?: number; text: string }): NoteDTO {
  const data = dataOf(session);
  if ((args.messageId === undefined) === (args.conversationId === undefined)) {
    throw new HoldfastError('VALIDATION', 'A note belongs to one message or one conversation: give exactly one.');
  }
  const text = checkText(args.text);
  const { read, write } = dataOf(session);
  return data.write.transaction.run(() => {
    if (args.messageId !== undefined) requireMessage(data, args.messageId);
    else requireConversation(data, args.conversationId!);
    const id = write.notes.add({ messageId: args.messageId ?? null, conversationId: args.conversationId ?? null, by: session.actor, at: Date.now(), text });
    const note = requireNote(read.notes, id);
    appendAudit(dataOf(session), session.actor, 'note.add', { noteId: id, before: null, after: state(note) });
    return toDto(note);
  });
}

export function editNote(session: CaseSession, args: { noteId: number; text: string }): NoteDTO {
  const data = dataOf(session);
  const text = checkText(args.text);
  const { read, write } = dataOf(session);
  return data.write.transaction.run(() => {
    const before = requireNote(read.notes, args.noteId);
    if (before.text === text) return toDto(before);
    write.notes.edit(before.id, { text, by: session.actor, at: Date.now() });
    const after = requireNote(read.notes, before.id);
    appendAudit(dataOf(session), session.actor, 'note.edit', { noteId: before.id, before: state(before), after: state(after) });
    return toDto(after);
  });
}

export function deleteNote(session: CaseSession, args: { noteId: number }): { deleted: number } {
  const data = dataOf(session);
  const { read, write } = dataOf(session);
  return data.write.transaction.run(() => {
    const before = requireNote(read.notes, args.noteId);
    write.notes.delete(before.id);
    appendAudit(dataOf(session), session.actor, 'note.delete', { noteId: before.id, before: state(before), after: null });
    return { deleted: before.id };
  });
}

/** Notes on a message, on a conversation (with `withMessages`, also those on its messages), or all. */
export function listNotes(session: CaseSession, args: { messageId?: number; conversationId?: number; withMessages?: boolean } = {}): NoteDTO[] {
  const notes = dataOf(session).read.notes;
  let rows: NoteRow[];
  if (args.messageId !== undefined) rows = notes.onMessage(args.messageId);
  else if (args.conversationId !== undefined) rows = notes.onConversation(args.conversationId, args.withMessages ?? false);
  else rows = notes.all();
  return rows.map(toDto);
}
