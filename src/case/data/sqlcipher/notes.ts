import type { DB } from './connection.ts';
import type { NoteReader, NoteRow, NoteWriter } from '../interface.ts';

export function noteReader(db: DB): NoteReader {
  return {
    get: (noteId) => db.prepare('SELECT * FROM notes WHERE id = ?').get(noteId) as NoteRow | undefined,
    onMessage: (messageId) => db.prepare('SELECT * FROM notes WHERE message_id = ? ORDER BY id').all(messageId) as NoteRow[],
    onConversation: (conversationId, withMessages) =>
      db
        .prepare(
          `SELECT * FROM notes WHERE conversation_id = @cid ${withMessages ? 'OR message_id IN (SELECT id FROM messages WHERE conversation_id = @cid)' : ''} ORDER BY id`,
        )
        .all({ cid: conversationId }) as NoteRow[],
    all: () => db.prepare('SELECT * FROM notes ORDER BY id').all() as NoteRow[],
  };
}

export function noteWriter(db: DB): NoteWriter {
  return {
    add: (n) => Number(db.prepare('INSERT INTO notes(message_id, conversation_id, by, at, text) VALUES (?, ?, ?, ?, ?)').run(n.messageId, n.conversationId, n.by, n.at, n.text).lastInsertRowid),
    edit: (noteId, c) => {
      db.prepare('UPDATE notes SET text = ?, by = ?, at = ? WHERE id = ?').run(c.text, c.by, c.at, noteId);
    },
    delete: (noteId) => {
      db.prepare('DELETE FROM notes WHERE id = ?').run(noteId);
    },
  };
}
