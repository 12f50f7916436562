import type { DB } from './connection.ts';
import type { RedactionReader, RedactionRow, RedactionWriter } from '../interface.ts';
import { inSlices, marks, statementCache } from './statements.ts';

export function redactionReader(db: DB): RedactionReader {
  const prepared = statementCache(db);
  return {
    get: (redactionId) => db.prepare('SELECT * FROM redactions WHERE id = ?').get(redactionId) as RedactionRow | undefined,
    all: () => db.prepare('SELECT * FROM redactions ORDER BY message_id, start, id').all() as RedactionRow[],
    onMessage: (messageId) => db.prepare('SELECT * FROM redactions WHERE message_id = ? ORDER BY start, id').all(messageId) as RedactionRow[],
    marksOn: (ids) =>
      inSlices(ids, (slice) =>
        prepared(`SELECT id, message_id, start, "end", reason FROM redactions WHERE message_id IN (${marks(slice.length)}) ORDER BY message_id, start, id`).all(...slice) as Omit<RedactionRow, 'by' | 'at'>[],
      ),
    spanMarked: (messageId, start, end) => prepared('SELECT 1 FROM redactions WHERE message_id = ? AND start = ? AND "end" = ?').get(messageId, start, end) !== undefined,
    messageText: (messageId) => db.prepare('SELECT id, text FROM messages WHERE id = ?').get(messageId) as { id: number; text: string } | undefined,
    containing: (text, conversationId) => {
      const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      return (conversationId === undefined
        ? db.prepare("SELECT id, text FROM messages WHERE text LIKE ? ESCAPE '\\' ORDER BY id").all(like)
        : db.prepare("SELECT id, text FROM messages WHERE conversation_id = ? AND text LIKE ? ESCAPE '\\' ORDER BY id").all(conversationId, like)) as { id: number; text: string }[];
    },
  };
}

export function redactionWriter(db: DB): RedactionWriter {
  const prepared = statementCache(db);
  return {
    add: (m) => Number(prepared('INSERT INTO redactions(message_id, start, "end", reason, by, at) VALUES (?, ?, ?, ?, ?, ?)').run(m.messageId, m.start, m.end, m.reason, m.by, m.at).lastInsertRowid),
    delete: (redactionId) => {
      db.prepare('DELETE FROM redactions WHERE id = ?').run(redactionId);
    },
  };
}
