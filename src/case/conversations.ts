/** Reading conversations back: the list, one conversation, and windows of its messages for the viewer. */
import type { ConversationDTO, ConversationWindowDTO, PageDTO } from '../api/dto.ts';
import { isoTime } from '../api/dto.ts';
import { HoldfastError } from '../api/errors.ts';
import type { DB } from './store.ts';
import { getMessages } from './messages.ts';

const PARTICIPANTS_SHOWN = 20;

interface ConversationRow {
  id: number;
  platform: string;
  kind: 'direct' | 'group' | 'channel';
  name: string | null;
  personal: number;
  first_at: number | null;
  last_at: number | null;
}

// min/max per conversation are single lookups on messages(conversation_id, sent_at).
const SELECT = `
  SELECT c.id, c.platform, c.kind, c.name, c.personal,
         (SELECT min(sent_at) FROM messages WHERE conversation_id = c.id) AS first_at,
         (SELECT max(sent_at) FROM messages WHERE conversation_id = c.id) AS last_at
    FROM conversations c`;

export function listConversations(db: DB, opts: { name?: string | undefined; includePersonal: boolean; offset: number; limit: number }): PageDTO<ConversationDTO> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (!opts.includePersonal) where.push('c.personal = 0');
  if (opts.name) {
    where.push("c.name LIKE ? ESCAPE '\\'");
    params.push(`%${opts.name.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = db.prepare(`SELECT count(*) FROM conversations c ${clause}`).pluck().get(...params) as number;
  const rows = db.prepare(`${SELECT} ${clause} ORDER BY last_at DESC NULLS LAST, c.id LIMIT ? OFFSET ?`).all(...params, opts.limit, opts.offset) as ConversationRow[];
  return { total, offset: opts.offset, items: rows.map((r) => hydrate(db, r)) };
}

export function getConversation(db: DB, id: number): ConversationDTO {
  const row = db.prepare(`${SELECT} WHERE c.id = ?`).get(id) as ConversationRow | undefined;
  if (!row) throw new HoldfastError('NOT_FOUND', `There is no conversation ${id} in this case.`, { conversationId: id });
  return hydrate(db, row);
}

function hydrate(db: DB, r: ConversationRow): ConversationDTO {
  const count = db.prepare("SELECT count(*) FROM messages WHERE conversation_id = ? AND kind = 'message'").pluck().get(r.id) as number;
  let participants = db
    .prepare(
      `SELECT COALESCE(p.display_name, h.display, h.value) FROM conversation_members cm JOIN handles h ON h.id = cm.handle_id
         LEFT JOIN participants p ON p.id = h.participant_id WHERE cm.conversation_id = ? ORDER BY 1 LIMIT ?`,
    )
    .pluck()
    .all(r.id, PARTICIPANTS_SHOWN) as string[];
  if (participants.length === 0) {
    // Sources without member lists (WhatsApp text exports): whoever wrote in it.
    participants = db
      .prepare(
        `SELECT COALESCE(p.display_name, h.display, h.value) AS name FROM handles h LEFT JOIN participants p ON p.id = h.participant_id
          WHERE h.id IN (SELECT DISTINCT sender_handle_id FROM messages WHERE conversation_id = ? AND sender_handle_id IS NOT NULL) ORDER BY 1 LIMIT ?`,
      )
      .pluck()
      .all(r.id, PARTICIPANTS_SHOWN) as string[];
  }
  return {
    id: r.id,
    platform: r.platform,
    kind: r.kind,
    name: r.name ?? `Conversation ${r.id}`,
    personal: r.personal === 1,
    messages: count,
    firstAt: isoTime(r.first_at),
    lastAt: isoTime(r.last_at),
    participants,
  };
}

/**
 * Messages `offset .. offset+limit` of the conversation in (sent_at, id) order — the order of the
 * (conversation_id, sent_at) index, whose entries end in the rowid — or the window centred on `around`.
 */
export function conversationWindow(db: DB, opts: { conversationId: number; around?: number | undefined; offset: number; limit: number }): ConversationWindowDTO {
  const conversation = getConversation(db, opts.conversationId);
  const total = db.prepare('SELECT count(*) FROM messages WHERE conversation_id = ?').pluck().get(opts.conversationId) as number;
  let offset = opts.offset;
  let anchorIndex: number | null = null;
  if (opts.around !== undefined) {
    const anchor = db.prepare('SELECT sent_at FROM messages WHERE id = ? AND conversation_id = ?').get(opts.around, opts.conversationId) as { sent_at: number } | undefined;
    if (!anchor) throw new HoldfastError('NOT_FOUND', `Message ${opts.around} is not in conversation ${opts.conversationId}.`, { messageId: opts.around, conversationId: opts.conversationId });
    anchorIndex = db
      .prepare('SELECT count(*) FROM messages WHERE conversation_id = ? AND (sent_at < ? OR (sent_at = ? AND id < ?))')
      .pluck()
      .get(opts.conversationId, anchor.sent_at, anchor.sent_at, opts.around) as number;
    offset = Math.max(0, Math.min(anchorIndex - Math.floor(opts.limit / 2), total - opts.limit));
  }
  const ids = db
    .prepare('SELECT id FROM messages WHERE conversation_id = ? ORDER BY sent_at, id LIMIT ? OFFSET ?')
    .pluck()
    .all(opts.conversationId, opts.limit, offset) as number[];
  return { conversation, total, offset, messages: getMessages(db, ids), anchorIndex };
}
