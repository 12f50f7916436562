/**
 * What of a message is searchable, read from the case: subject, text, earlier versions of an edited
 * text, attachment names — each a separate field (a phrase never runs from one into the next) — and
 * the attributes filters need (conversation, sender, time, edited/deleted/attachment flags).
 */
import type { DB } from '../case/store.ts';

export const FLAG_EDITED = 1;
export const FLAG_DELETED = 2;
export const FLAG_ATTACHMENT = 4;

export interface IndexDoc {
  id: number;
  conversationId: number;
  /** 0 when the message has no sender (system events). */
  senderId: number;
  sentAt: number;
  flags: number;
  fields: string[];
}

interface DocRow {
  id: number;
  conversation_id: number;
  sender_handle_id: number | null;
  sent_at: number;
  edited: number;
  deleted: number;
  subject: string | null;
  text: string;
  attachments: string | null;
  edits: string | null;
}

const SEP = '\u001f';

const SELECT = `
  SELECT m.id, m.conversation_id, m.sender_handle_id, m.sent_at, m.edited, m.deleted, m.subject, m.text,
         (SELECT group_concat(a.name, char(31)) FROM attachments a WHERE a.message_id = m.id) AS attachments,
         (SELECT group_concat(e.text, char(31)) FROM (SELECT text FROM message_edits WHERE message_id = m.id ORDER BY seq) e) AS edits
    FROM messages m`;

/** The searchable fields in index order; the import path (record-terms.ts) and the case path must agree. */
export function docFields(subject: string | null | undefined, text: string, edits: readonly string[], attachmentNames: readonly string[]): string[] {
  const fields: string[] = [];
  if (subject) fields.push(subject);
  fields.push(text);
  fields.push(...edits);
  fields.push(...attachmentNames);
  return fields;
}

function toDoc(r: DocRow): IndexDoc {
  const fields = docFields(r.subject, r.text, r.edits ? r.edits.split(SEP) : [], r.attachments ? r.attachments.split(SEP) : []);
  return {
    id: r.id,
    conversationId: r.conversation_id,
    senderId: r.sender_handle_id ?? 0,
    sentAt: r.sent_at,
    flags: (r.edited ? FLAG_EDITED : 0) | (r.deleted ? FLAG_DELETED : 0) | (r.attachments !== null ? FLAG_ATTACHMENT : 0),
    fields,
  };
}

/** Messages with afterId < id <= upToId, ascending, in pages (the connection stays free between pages). */
export function* readDocs(db: DB, afterId: number, upToId = Number.MAX_SAFE_INTEGER, page = 5_000): Generator<IndexDoc[]> {
  const stmt = db.prepare(`${SELECT} WHERE m.id > ? AND m.id <= ? ORDER BY m.id LIMIT ?`);
  let from = afterId;
  for (;;) {
    const rows = stmt.all(from, upToId, page) as DocRow[];
    if (rows.length === 0) return;
    yield rows.map(toDoc);
    from = rows[rows.length - 1]!.id;
    if (rows.length < page) return;
  }
}

/** The searchable fields of some messages, in the order they were indexed (for snippets). */
export function readDocsById(db: DB, ids: readonly number[]): Map<number, IndexDoc> {
  let stmt = byIdStatements.get(db);
  if (!stmt) {
    // Prepared once per connection: every search reads its page's messages through it.
    stmt = db.prepare(`${SELECT} WHERE m.id IN (SELECT value FROM json_each(?))`);
    byIdStatements.set(db, stmt);
  }
  const out = new Map<number, IndexDoc>();
  for (const r of stmt.all(JSON.stringify(ids)) as DocRow[]) out.set(r.id, toDoc(r));
  return out;
}

const byIdStatements = new WeakMap<DB, ReturnType<DB['prepare']>>();
