/**
 * What of a message is searchable, read from the case: subject, text, earlier versions of an edited
 * text, attachment names — each a separate field (a phrase never runs from one into the next) — and
 * the attributes filters need (conversation, sender, time, edited/deleted/attachment flags).
 */
import type { CaseData, SearchDocRow } from '../case/data/interface.ts';

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

const SEP = '\u001f';

/** The searchable fields in index order; the import path (record-terms.ts) and the case path must agree. */
export function docFields(subject: string | null | undefined, text: string, edits: readonly string[], attachmentNames: readonly string[]): string[] {
  const fields: string[] = [];
  if (subject) fields.push(subject);
  fields.push(text);
  fields.push(...edits);
  fields.push(...attachmentNames);
  return fields;
}

/** A message row as the index reads it. */
export function toDoc(r: SearchDocRow): IndexDoc {
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
export function* readDocs(data: CaseData, afterId: number, upToId = Number.MAX_SAFE_INTEGER, page = 5_000): Generator<IndexDoc[]> {
  let from = afterId;
  for (;;) {
    const rows = data.read.searchDocs.after(from, upToId, page);
    if (rows.length === 0) return;
    yield rows.map(toDoc);
    from = rows[rows.length - 1]!.id;
    if (rows.length < page) return;
  }
}

