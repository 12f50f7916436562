/** Reviewers' notes on a message or a conversation; adding, editing and deleting are audited with before/after. */
import type { NoteDTO } from '../api/dto.ts';
import { HoldfastError } from '../api/errors.ts';
import type { CaseSession } from '../case/session.ts';
import type { DB } from '../case/store.ts';
import { appendAudit } from '../case/audit.ts';
import { requireConversation, requireMessage } from './ids.ts';

interface NoteRow {
  id: number;
  message_id: number | null;
  conversation_id: number | null;
  by: string;
  at: number;
  text: string;
}

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

function requireNote(db: DB, noteId: number): NoteRow {
  const n = db.prepare('SELECT * FROM notes WHERE id = ?').get(noteId) as NoteRow | undefined;
  if (!n) throw new HoldfastError('NOT_FOUND', `No note with id ${noteId} in this case.`, { noteId });
  return n;
}

function state(n: NoteRow) {
  return { messageId: n.message_id, conversationId: n.conversation_id, by: n.by, at: n.at, text: n.text };
}

export function addNote(session: CaseSession, args: { messageId?: number; conversationId?: number; text: string }): NoteDTO {
  const db = session.db;
  if ((args.messageId === undefined) === (args.conversationId === undefined)) {
    throw new HoldfastError('VALIDATION', 'A note belongs to one message or one conversation: give exactly one.');
  }
  const text = checkText(args.text);
  return db.transaction(() => {
    if (args.messageId !== undefined) requireMessage(db, args.messageId);
    else requireConversation(db, args.conversationId!);
    const id = Number(
      db.prepare('INSERT INTO notes(message_id, conversation_id, by, at, text) VALUES (?, ?, ?, ?, ?)').run(args.messageId ?? null, args.conversationId ?? null, session.actor, Date.now(), text).lastInsertRowid,
    );
    const note = requireNote(db, id);
    appendAudit(db, session.actor, 'note.add', { noteId: id, before: null, after: state(note) });
    return toDto(note);
  })();
}

export function editNote(session: CaseSession, args: { noteId: number; text: string }): NoteDTO {
  const db = session.db;
  const text = checkText(args.text);
  return db.transaction(() => {
    const before = requireNote(db, args.noteId);
    if (before.text === text) return toDto(before);
    db.prepare('UPDATE notes SET text = ?, by = ?, at = ? WHERE id = ?').run(text, session.actor, Date.now(), before.id);
    const after = requireNote(db, before.id);
    appendAudit(db, session.actor, 'note.edit', { noteId: before.id, before: state(before), after: state(after) });
    return toDto(after);
  })();
}

export function deleteNote(session: CaseSession, args: { noteId: number }): { deleted: number } {
  const db = session.db;
  return db.transaction(() => {
    const before = requireNote(db, args.noteId);
    db.prepare('DELETE FROM notes WHERE id = ?').run(before.id);
    appendAudit(db, session.actor, 'note.delete', { noteId: before.id, before: state(before), after: null });
    return { deleted: before.id };
  })();
}

/** Notes on a message, on a conversation (with `withMessages`, also those on its messages), or all. */
export function listNotes(session: CaseSession, args: { messageId?: number; conversationId?: number; withMessages?: boolean } = {}): NoteDTO[] {
  const db = session.db;
  let rows: NoteRow[];
  if (args.messageId !== undefined) rows = db.prepare('SELECT * FROM notes WHERE message_id = ? ORDER BY id').all(args.messageId) as NoteRow[];
  else if (args.conversationId !== undefined) {
    rows = db
      .prepare(
        `SELECT * FROM notes WHERE conversation_id = @cid ${args.withMessages ? 'OR message_id IN (SELECT id FROM messages WHERE conversation_id = @cid)' : ''} ORDER BY id`,
      )
      .all({ cid: args.conversationId }) as NoteRow[];
  } else rows = db.prepare('SELECT * FROM notes ORDER BY id').all() as NoteRow[];
  return rows.map(toDto);
}
