import type { Bridge } from './bridge.ts';
import type { NoteReader, NoteRow, NoteWriter } from '../interface.ts';

export function noteReader(b: Bridge): NoteReader {
  return {
    get: (noteId) => b.get<NoteRow>('SELECT * FROM notes WHERE id = $1', [noteId]),
    onMessage: (messageId) => b.all<NoteRow>('SELECT * FROM notes WHERE message_id = $1 ORDER BY id', [messageId]),
    onConversation: (conversationId, withMessages) =>
      b.all<NoteRow>(
        `SELECT * FROM notes WHERE conversation_id = $1 ${withMessages ? 'OR message_id IN (SELECT id FROM messages WHERE conversation_id = $1)' : ''} ORDER BY id`,
        [conversationId],
      ),
    all: () => b.all<NoteRow>('SELECT * FROM notes ORDER BY id'),
  };
}

export function noteWriter(b: Bridge): NoteWriter {
  return {
    add: (n) => b.value<number>('INSERT INTO notes(message_id, conversation_id, by, at, text) VALUES ($1, $2, $3, $4, $5) RETURNING id', [n.messageId, n.conversationId, n.by, n.at, n.text])!,
    edit: (noteId, c) => {
      b.run('UPDATE notes SET text = $1, by = $2, at = $3 WHERE id = $4', [c.text, c.by, c.at, noteId]);
    },
    delete: (noteId) => {
      b.run('DELETE FROM notes WHERE id = $1', [noteId]);
    },
  };
}
