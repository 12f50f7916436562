import type { DB } from './connection.ts';
import type { SearchDocReader, SearchDocRow } from '../interface.ts';
import { lazyStatement } from './lazy-statement.ts';

/** The columns of SearchDocRow, from `messages m` (search-lookups.ts reads a page's hits with them too). */
export const DOC_COLUMNS = `m.id, m.conversation_id, m.sender_handle_id, m.sent_at, m.edited, m.deleted, m.subject, m.text,
         (SELECT group_concat(a.name, char(31)) FROM attachments a WHERE a.message_id = m.id) AS attachments,
         (SELECT group_concat(e.text, char(31)) FROM (SELECT text FROM message_edits WHERE message_id = m.id ORDER BY seq) e) AS edits`;

const SELECT = `SELECT ${DOC_COLUMNS} FROM messages m`;

export function searchDocReader(db: DB): SearchDocReader {
  const after = lazyStatement(db, `${SELECT} WHERE m.id > ? AND m.id <= ? ORDER BY m.id LIMIT ?`);
  // A /regex/ scan's batches: plain reads on the primary keys (the per-message subqueries above cost ~10× more per message).
  const messageRange = lazyStatement(db, 'SELECT id, subject, text FROM messages WHERE id BETWEEN ? AND ?', (s) => s.raw());
  const messageIds = lazyStatement(db, 'SELECT id, subject, text FROM messages WHERE id IN (SELECT value FROM json_each(?))', (s) => s.raw());
  const edits = lazyStatement(db, 'SELECT message_id, text FROM message_edits WHERE message_id BETWEEN ? AND ?', (s) => s.raw());
  const attachments = lazyStatement(db, 'SELECT message_id, name FROM attachments WHERE message_id BETWEEN ? AND ?', (s) => s.raw());
  return {
    after: (afterId, upToId, limit) => after().all(afterId, upToId, limit) as SearchDocRow[],
    textsInRange: (lo, hi) => messageRange().all(lo, hi) as [number, string | null, string][],
    textsById: (ids) => messageIds().all(JSON.stringify(Array.from(ids))) as [number, string | null, string][],
    editsInRange: (lo, hi) => edits().all(lo, hi) as [number, string][],
    attachmentNamesInRange: (lo, hi) => attachments().all(lo, hi) as [number, string][],
  };
}
