import type { Bridge } from './bridge.ts';
import type { ConversationMemberRow, ConversationReviewReader, ConversationRow } from '../interface.ts';
import { params } from './params.ts';

/** Handles seen in a conversation: senders and listed members. */
const CONVERSATION_HANDLES = `
  SELECT DISTINCT conversation_id, sender_handle_id AS handle_id FROM messages WHERE sender_handle_id IS NOT NULL
  UNION SELECT conversation_id, handle_id FROM conversation_members`;

export function conversationReviewReader(b: Bridge): ConversationReviewReader {
  return {
    list: (filters) => {
      const p = params();
      const where: string[] = [];
      if (filters.personal !== undefined) where.push(`c.personal = ${p.add(filters.personal ? 1 : 0)}`);
      else if (!filters.includePersonal) where.push('c.personal = 0');
      if (filters.platform) where.push(`c.platform = ${p.add(filters.platform)}`);
      if (filters.name) where.push(`strpos(lower(coalesce(c.name, '')), ${p.add(filters.name.toLowerCase())}) > 0`);
      if (filters.custodian) {
        where.push(`c.id IN (SELECT m.conversation_id FROM message_occurrences o JOIN custodians cu ON cu.id = o.custodian_id
                          JOIN messages m ON m.id = o.message_id WHERE cu.name = ${p.add(filters.custodian)})`);
      }
      if (filters.participantId !== undefined) {
        where.push(`c.id IN (SELECT x.conversation_id FROM (${CONVERSATION_HANDLES}) x JOIN handles h ON h.id = x.handle_id WHERE h.participant_id = ${p.add(filters.participantId)})`);
      }
      if (filters.ids) where.push(`c.id = ANY(${p.add(filters.ids)}::bigint[])`);
      return b.all<ConversationRow>(`SELECT c.id, c.platform, c.kind, c.name, c.external_id, c.personal FROM conversations c ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY c.id`, p.values);
    },
    get: (conversationId) => b.get<ConversationRow>('SELECT id, platform, kind, name, external_id, personal FROM conversations WHERE id = $1', [conversationId]),
    counts: (ids) =>
      b.all(
        `SELECT conversation_id AS id, count(*) FILTER (WHERE kind = 'message') AS messages, count(*) AS events, min(sent_at) AS "firstAt", max(sent_at) AS "lastAt"
         FROM messages WHERE conversation_id = ANY($1::bigint[]) GROUP BY conversation_id ORDER BY conversation_id`,
        [ids],
      ),
    participants: (ids) =>
      b.all(
        `SELECT DISTINCT x.conversation_id AS cid, p.id, p.display_name AS name FROM (${CONVERSATION_HANDLES}) x
         JOIN handles h ON h.id = x.handle_id JOIN participants p ON p.id = h.participant_id
         WHERE x.conversation_id = ANY($1::bigint[]) ORDER BY p.display_name, p.id, x.conversation_id`,
        [ids],
      ),
    custodians: (ids) =>
      b.all(
        `SELECT DISTINCT m.conversation_id AS cid, cu.name FROM messages m JOIN message_occurrences o ON o.message_id = m.id
         JOIN custodians cu ON cu.id = o.custodian_id WHERE m.conversation_id = ANY($1::bigint[]) ORDER BY cu.name, m.conversation_id`,
        [ids],
      ),
    noteCounts: (ids) =>
      b.all(
        `SELECT coalesce(n.conversation_id, m.conversation_id) AS cid, count(*) AS n FROM notes n LEFT JOIN messages m ON m.id = n.message_id
         WHERE coalesce(n.conversation_id, m.conversation_id) = ANY($1::bigint[]) GROUP BY 1 ORDER BY 1`,
        [ids],
      ),
    heldCounts: (ids) =>
      b.all(
        `SELECT m.conversation_id AS cid, count(DISTINCT m.id) AS n FROM hold_items hi JOIN holds h ON h.id = hi.hold_id AND h.released_at IS NULL
         JOIN messages m ON m.id = hi.message_id WHERE m.conversation_id = ANY($1::bigint[]) GROUP BY m.conversation_id ORDER BY m.conversation_id`,
        [ids],
      ),
    // The table has no id: ties go by physical order, which is insertion order for rows never updated (SQLite's rowid).
    nameHistory: (conversationId) =>
      b.all<{ name: string; from_at: number | null }>('SELECT name, from_at FROM conversation_names WHERE conversation_id = $1 ORDER BY from_at IS NOT NULL, from_at, ctid', [conversationId]),
    members: (conversationId) =>
      b.all<ConversationMemberRow>(
        `SELECT * FROM (
           SELECT x.handle_id, h.kind, h.value, h.display, h.participant_id, p.display_name AS participant, cm.joined_at, cm.left_at,
                  (SELECT count(*) FROM messages m WHERE m.conversation_id = $1 AND m.sender_handle_id = x.handle_id) AS messages,
                  (SELECT min(sent_at) FROM messages m WHERE m.conversation_id = $1 AND m.sender_handle_id = x.handle_id) AS first_at,
                  (SELECT max(sent_at) FROM messages m WHERE m.conversation_id = $1 AND m.sender_handle_id = x.handle_id) AS last_at
             FROM (${CONVERSATION_HANDLES}) x
             JOIN handles h ON h.id = x.handle_id
             LEFT JOIN participants p ON p.id = h.participant_id
             LEFT JOIN conversation_members cm ON cm.conversation_id = x.conversation_id AND cm.handle_id = x.handle_id
            WHERE x.conversation_id = $1) q
         ORDER BY coalesce(q.joined_at, q.first_at) NULLS FIRST, q.handle_id`,
        [conversationId],
      ),
    membershipEvents: (conversationId) =>
      b.all(
        `SELECT m.id, m.sent_at, m.system_type, coalesce(h.display, h.value) AS sender, m.text FROM messages m LEFT JOIN handles h ON h.id = m.sender_handle_id
         WHERE m.conversation_id = $1 AND m.kind = 'system' AND m.system_type IN ('join','leave','rename','created','number-change')
         ORDER BY m.sent_at, m.id`,
        [conversationId],
      ),
  };
}
