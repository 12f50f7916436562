/**
 * Conversations for review: counts, period, participants, custodians and holds per conversation,
 * and one conversation in detail with its members over time (joins, leaves) and its names over time.
 */
import type { ConversationDetailDTO, ConversationMemberDTO, ConversationSummaryDTO, ParticipantRefDTO } from '../api/dto.ts';
import { isoTime } from '../api/dto.ts';
import type { CaseSession } from '../case/session.ts';
import type { DB } from '../case/store.ts';
import { IN_IDS, jsonIds } from '../case/data/sqlcipher/ids.ts';
import { requireConversation } from './ids.ts';

export interface ConversationFilters {
  /** Include conversations marked personal (hidden from review by default). */
  includePersonal?: boolean;
  /** Only personal (true) or only in-scope (false) conversations; overrides includePersonal. */
  personal?: boolean;
  platform?: string;
  /** Conversations with at least one message from this custodian's sources. */
  custodian?: string;
  /** Conversations this person took part in (sent a message or was a member). */
  participantId?: number;
  /** Part of the conversation's name, case-insensitive. */
  name?: string;
  ids?: readonly number[];
}

interface ConversationRow {
  id: number;
  platform: string;
  kind: 'direct' | 'group' | 'channel';
  name: string | null;
  external_id: string;
  personal: number;
}

/** Handles seen in a conversation: senders and listed members. */
const CONVERSATION_HANDLES = `
  SELECT DISTINCT conversation_id, sender_handle_id AS handle_id FROM messages WHERE sender_handle_id IS NOT NULL
  UNION SELECT conversation_id, handle_id FROM conversation_members`;

export function listConversations(session: CaseSession, filters: ConversationFilters = {}): ConversationSummaryDTO[] {
  const db = session.db;
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
  const rows = db
    .prepare(`SELECT c.id, c.platform, c.kind, c.name, c.external_id, c.personal FROM conversations c ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY c.id`)
    .all(...params) as ConversationRow[];
  return summarise(db, rows);
}

function summarise(db: DB, rows: ConversationRow[]): ConversationSummaryDTO[] {
  if (rows.length === 0) return [];
  const ids = jsonIds(rows.map((r) => r.id));
  const counts = new Map(
    (db
      .prepare(
        `SELECT conversation_id AS id, sum(kind = 'message') AS messages, count(*) AS events, min(sent_at) AS firstAt, max(sent_at) AS lastAt
           FROM messages WHERE conversation_id ${IN_IDS} GROUP BY conversation_id`,
      )
      .all(ids) as { id: number; messages: number; events: number; firstAt: number; lastAt: number }[]).map((r) => [r.id, r]),
  );
  const participants = groupBy(
    db
      .prepare(
        `SELECT DISTINCT x.conversation_id AS cid, p.id, p.display_name AS name FROM (${CONVERSATION_HANDLES}) x
           JOIN handles h ON h.id = x.handle_id JOIN participants p ON p.id = h.participant_id
          WHERE x.conversation_id ${IN_IDS} ORDER BY p.display_name, p.id`,
      )
      .all(ids) as { cid: number; id: number; name: string }[],
    (r): ParticipantRefDTO => ({ id: r.id, name: r.name }),
  );
  const custodians = groupBy(
    db
      .prepare(
        `SELECT DISTINCT m.conversation_id AS cid, cu.name FROM messages m JOIN message_occurrences o ON o.message_id = m.id
           JOIN custodians cu ON cu.id = o.custodian_id WHERE m.conversation_id ${IN_IDS} ORDER BY cu.name`,
      )
      .all(ids) as { cid: number; name: string }[],
    (r) => r.name,
  );
  const notes = new Map(
    (db
      .prepare(
        `SELECT coalesce(n.conversation_id, m.conversation_id) AS cid, count(*) AS n FROM notes n LEFT JOIN messages m ON m.id = n.message_id
          WHERE coalesce(n.conversation_id, m.conversation_id) ${IN_IDS} GROUP BY 1`,
      )
      .all(ids) as { cid: number; n: number }[]).map((r) => [r.cid, r.n]),
  );
  const held = new Map(
    (db
      .prepare(
        `SELECT m.conversation_id AS cid, count(DISTINCT m.id) AS n FROM hold_items hi JOIN holds h ON h.id = hi.hold_id AND h.released_at IS NULL
           JOIN messages m ON m.id = hi.message_id WHERE m.conversation_id ${IN_IDS} GROUP BY m.conversation_id`,
      )
      .all(ids) as { cid: number; n: number }[]).map((r) => [r.cid, r.n]),
  );
  return rows.map((r) => {
    const c = counts.get(r.id);
    return {
      id: r.id, platform: r.platform, kind: r.kind, name: r.name ?? r.external_id, personal: r.personal === 1,
      messages: c?.messages ?? 0, events: c?.events ?? 0, firstAt: isoTime(c?.firstAt), lastAt: isoTime(c?.lastAt),
      participants: participants.get(r.id) ?? [], custodians: custodians.get(r.id) ?? [], notes: notes.get(r.id) ?? 0, heldMessages: held.get(r.id) ?? 0,
    };
  });
}

export function getConversation(session: CaseSession, conversationId: number): ConversationDetailDTO {
  const db = session.db;
  requireConversation(db, conversationId);
  const row = db.prepare('SELECT id, platform, kind, name, external_id, personal FROM conversations WHERE id = ?').get(conversationId) as ConversationRow;
  const [summary] = summarise(db, [row]);
  const nameHistory = (
    db.prepare('SELECT name, from_at FROM conversation_names WHERE conversation_id = ? ORDER BY from_at IS NOT NULL, from_at, rowid').all(conversationId) as {
      name: string;
      from_at: number | null;
    }[]
  ).map((n) => ({ name: n.name, fromAt: isoTime(n.from_at) }));
  const members = (
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
      .all({ cid: conversationId }) as {
      handle_id: number; kind: string; value: string; display: string | null; participant_id: number | null; participant: string | null;
      joined_at: number | null; left_at: number | null; messages: number; first_at: number | null; last_at: number | null;
    }[]
  ).map(
    (m): ConversationMemberDTO => ({
      participantId: m.participant_id, participant: m.participant, handleId: m.handle_id, handle: m.display ?? m.value, handleKind: m.kind,
      joinedAt: isoTime(m.joined_at), leftAt: isoTime(m.left_at), messages: m.messages, firstAt: isoTime(m.first_at), lastAt: isoTime(m.last_at),
    }),
  );
  const membershipEvents = (
    db
      .prepare(
        `SELECT m.id, m.sent_at, m.system_type, coalesce(h.display, h.value) AS sender, m.text FROM messages m LEFT JOIN handles h ON h.id = m.sender_handle_id
          WHERE m.conversation_id = ? AND m.kind = 'system' AND m.system_type IN ('join','leave','rename','created','number-change')
          ORDER BY m.sent_at, m.id`,
      )
      .all(conversationId) as { id: number; sent_at: number; system_type: string | null; sender: string | null; text: string }[]
  ).map((e) => ({ messageId: e.id, at: isoTime(e.sent_at)!, type: e.system_type, sender: e.sender, text: e.text }));
  return { ...summary!, externalId: row.external_id, nameHistory, members, membershipEvents };
}

function groupBy<R extends { cid: number }, T>(rows: R[], map: (r: R) => T): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const r of rows) {
    const list = out.get(r.cid);
    if (list) list.push(map(r));
    else out.set(r.cid, [map(r)]);
  }
  return out;
}
