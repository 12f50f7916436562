import type { DB } from './connection.ts';
import type { ConversationMemberRow, ConversationReviewReader, ConversationRow } from '../interface.ts';
import { IN_IDS, jsonIds } from './ids.ts';

/** Handles seen in a conversation: senders and listed members. */
const CONVERSATION_HANDLES = `
  SELECT DISTINCT conversation_id, sender_handle_id AS handle_id FROM messages WHERE sender_handle_id IS NOT NULL
  UNION SELECT conversation_id, handle_id FROM conversation_members`;

export function conversationReviewReader(db: DB): ConversationReviewReader {
  return {
    list: (filters) => {
      const where: string[] = [];
      const params: unknown[] = [];
      if (filters.personal !== undefined) {
        where.push('c.personal = ?');
        params.push(filters.personal ? 1 : 0);
      } else if (!filters.includePersonal) where.push('c.personal = 0');
      if (filters.platform) {
        where.push('c.platform = ?');
        params.push(filters.platform);
      }
      if (filters.name) {
        where.push("lower(coalesce(c.name, '')) LIKE ? ESCAPE '\\'");
        params.push(`%${filters.name.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
      }
      if (filters.custodian) {
        where.push(`c.id IN (SELECT m.conversation_id FROM message_occurrences o JOIN custodians cu ON cu.id = o.custodian_id
                          JOIN messages m ON m.id = o.message_id WHERE cu.name = ?)`);
        params.push(filters.custodian);
      }
      if (filters.participantId !== undefined) {
        where.push(`c.id IN (SELECT x.conversation_id FROM (${CONVERSATION_HANDLES}) x JOIN handles h ON h.id = x.handle_id WHERE h.participant_id = ?)`);
        params.push(filters.participantId);
      }
      if (filters.ids) {
        where.push(`c.id ${IN_IDS}`);
        params.push(jsonIds(filters.ids));
      }
      return db
        .prepare(`SELECT c.id, c.platform, c.kind, c.name, c.external_id, c.personal FROM conversations c ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY c.id`)
        .all(...params) as ConversationRow[];
    },
    get: (conversationId) => db.prepare('SELECT id, platform, kind, name, external_id, personal FROM conversations WHERE id = ?').get(conversationId) as ConversationRow | undefined,
    counts: (ids) =>
      db
        .prepare(
          `SELECT conversation_id AS id, sum(kind = 'message') AS messages, count(*) AS events, min(sent_at) AS firstAt, max(sent_at) AS lastAt
           FROM messages WHERE conversation_id ${IN_IDS} GROUP BY conversation_id`,
        )
        .all(jsonIds(ids)) as { id: number; messages: number; events: number; firstAt: number; lastAt: number }[],
    participants: (ids) =>
      db
        .prepare(
          `SELECT DISTINCT x.conversation_id AS cid, p.id, p.display_name AS name FROM (${CONVERSATION_HANDLES}) x
           JOIN handles h ON h.id = x.handle_id JOIN participants p ON p.id = h.participant_id
          WHERE x.conversation_id ${IN_IDS} ORDER BY p.display_name, p.id`,
        )
        .all(jsonIds(ids)) as { cid: number; id: number; name: string }[],
    custodians: (ids) =>
      db
        .prepare(
          `SELECT DISTINCT m.conversation_id AS cid, cu.name FROM messages m JOIN message_occurrences o ON o.message_id = m.id
           JOIN custodians cu ON cu.id = o.custodian_id WHERE m.conversation_id ${IN_IDS} ORDER BY cu.name`,
        )
        .all(jsonIds(ids)) as { cid: number; name: string }[],
    noteCounts: (ids) =>
      db
        .prepare(
          `SELECT coalesce(n.conversation_id, m.conversation_id) AS cid, count(*) AS n FROM notes n LEFT JOIN messages m ON m.id = n.message_id
          WHERE coalesce(n.conversation_id, m.conversation_id) ${IN_IDS} GROUP BY 1`,
        )
        .all(jsonIds(ids)) as { cid: number; n: number }[],
    heldCounts: (ids) =>
      db
        .prepare(
          `SELECT m.conversation_id AS cid, count(DISTINCT m.id) AS n FROM hold_items hi JOIN holds h ON h.id = hi.hold_id AND h.released_at IS NULL
           JOIN messages m ON m.id = hi.message_id WHERE m.conversation_id ${IN_IDS} GROUP BY m.conversation_id`,
        )
        .all(jsonIds(ids)) as { cid: number; n: number }[],
    nameHistory: (conversationId) =>
      db.prepare('SELECT name, from_at FROM conversation_names WHERE conversation_id = ? ORDER BY from_at IS NOT NULL, from_at, rowid').all(conversationId) as {
        name: string;
        from_at: number | null;
      }[],
    members: (conversationId) =>
      db
        .prepare(
          `SELECT x.handle_id, h.kind, h.value, h.display, h.participant_id, p.display_name AS participant, cm.joined_at, cm.left_at,
                (SELECT count(*) FROM messages m WHERE m.conversation_id = @cid AND m.sender_handle_id = x.handle_id) AS messages,
                (SELECT min(sent_at) FROM messages m WHERE m.conversation_id = @cid AND m.sender_handle_id = x.handle_id) AS first_at,
                (SELECT max(sent_at) FROM messages m WHERE m.conversation_id = @cid AND m.sender_handle_id = x.handle_id) AS last_at
           FROM (${CONVERSATION_HANDLES}) x
           JOIN handles h ON h.id = x.handle_id
           LEFT JOIN participants p ON p.id = h.participant_id
           LEFT JOIN conversation_members cm ON cm.conversation_id = x.conversation_id AND cm.handle_id = x.handle_id
          WHERE x.conversation_id = @cid
          ORDER BY coalesce(cm.joined_at, first_at), h.id`,
        )
        .all({ cid: conversationId }) as ConversationMemberRow[],
    membershipEvents: (conversationId) =>
      db
        .prepare(
          `SELECT m.id, m.sent_at, m.system_type, coalesce(h.display, h.value) AS sender, m.text FROM messages m LEFT JOIN handles h ON h.id = m.sender_handle_id
          WHERE m.conversation_id = ? AND m.kind = 'system' AND m.system_type IN ('join','leave','rename','created','number-change')
          ORDER BY m.sent_at, m.id`,
        )
        .all(conversationId) as { id: number; sent_at: number; system_type: string | null; sender: string | null; text: string }[],
  };
}
