import type { Bridge } from './bridge.ts';
import type { SearchDocReader, SearchDocRow } from '../interface.ts';

/** The columns of SearchDocRow, from `messages m` (search-lookups.ts reads a page's hits with them too). */
export const DOC_COLUMNS = `m.id, m.conversation_id, m.sender_handle_id, m.sent_at, m.edited, m.deleted, m.subject, m.text,
         (SELECT string_agg(a.name, chr(31) ORDER BY a.id) FROM attachments a WHERE a.message_id = m.id) AS attachments,
         (SELECT string_agg(e.text, chr(31) ORDER BY e.seq) FROM message_edits e WHERE e.message_id = m.id) AS edits`;

const SELECT = `SELECT ${DOC_COLUMNS} FROM messages m`;

export function searchDocReader(b: Bridge): SearchDocReader {
  return {
    after: (afterId, upToId, limit) => b.all<SearchDocRow>(`${SELECT} WHERE m.id > $1 AND m.id <= $2 ORDER BY m.id LIMIT $3`, [afterId, upToId, limit]),
    textsInRange: (lo, hi) => b.rows<[number, string | null, string]>('SELECT id, subject, text FROM messages WHERE id BETWEEN $1 AND $2 ORDER BY id', [lo, hi]),
    textsById: (ids) => b.rows<[number, string | null, string]>('SELECT id, subject, text FROM messages WHERE id = ANY($1::bigint[]) ORDER BY id', [Array.from(ids)]),
    editsInRange: (lo, hi) => b.rows<[number, string]>('SELECT message_id, text FROM message_edits WHERE message_id BETWEEN $1 AND $2 ORDER BY message_id, seq', [lo, hi]),
    attachmentNamesInRange: (lo, hi) => b.rows<[number, string]>('SELECT message_id, name FROM attachments WHERE message_id BETWEEN $1 AND $2 ORDER BY message_id, id', [lo, hi]),
  };
}
