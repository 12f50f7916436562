import type { Bridge } from './bridge.ts';
import type { RedactionReader, RedactionRow, RedactionWriter } from '../interface.ts';

/** SQLite's LIKE folds ASCII letters only: both sides are folded the same way here. */
const ASCII_FOLD = (sql: string) => `translate(${sql}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')`;

export function redactionReader(b: Bridge): RedactionReader {
  return {
    get: (redactionId) => b.get<RedactionRow>('SELECT * FROM redactions WHERE id = $1', [redactionId]),
    all: () => b.all<RedactionRow>('SELECT * FROM redactions ORDER BY message_id, start NULLS FIRST, id'),
    onMessage: (messageId) => b.all<RedactionRow>('SELECT * FROM redactions WHERE message_id = $1 ORDER BY start NULLS FIRST, id', [messageId]),
    marksOn: (ids) =>
      b.all<Omit<RedactionRow, 'by' | 'at'>>('SELECT id, message_id, start, "end", reason FROM redactions WHERE message_id = ANY($1::bigint[]) ORDER BY message_id, start NULLS FIRST, id', [ids]),
    spanMarked: (messageId, start, end) => b.get('SELECT 1 FROM redactions WHERE message_id = $1 AND start = $2 AND "end" = $3', [messageId, start, end]) !== undefined,
    messageText: (messageId) => b.get<{ id: number; text: string }>('SELECT id, text FROM messages WHERE id = $1', [messageId]),
    containing: (text, conversationId) => {
      const contains = `strpos(${ASCII_FOLD('text')}, ${ASCII_FOLD('$1')}) > 0`;
      return conversationId === undefined
        ? b.all<{ id: number; text: string }>(`SELECT id, text FROM messages WHERE ${contains} ORDER BY id`, [text])
        : b.all<{ id: number; text: string }>(`SELECT id, text FROM messages WHERE conversation_id = $2 AND ${contains} ORDER BY id`, [text, conversationId]);
    },
  };
}

export function redactionWriter(b: Bridge): RedactionWriter {
  return {
    add: (m) => b.value<number>('INSERT INTO redactions(message_id, start, "end", reason, by, at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id', [m.messageId, m.start, m.end, m.reason, m.by, m.at])!,
    delete: (redactionId) => {
      b.run('DELETE FROM redactions WHERE id = $1', [redactionId]);
    },
  };
}
