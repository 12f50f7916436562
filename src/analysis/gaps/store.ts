/**
 * Every SQL read of the gap analysis, in one place. Rows come back in the order the analyses walk
 * them, and the large reads are iterators so a million-message case is never held in memory at once.
 */
import type { DB } from '../../case/store.ts';

export interface ConversationRef {
  id: number;
  name: string;
  platform: string;
  externalId: string;
}

/** Every conversation with its display name (its name, else its external id). */
export function conversationRefs(db: DB): Map<number, ConversationRef> {
  const rows = db.prepare('SELECT id, coalesce(name, external_id) AS name, platform, external_id AS externalId FROM conversations').all() as ConversationRef[];
  return new Map(rows.map((r) => [r.id, r]));
}

export function custodianNames(db: DB): Map<number, string> {
  const rows = db.prepare('SELECT id, name FROM custodians').raw().all() as [number, string][];
  return new Map(rows);
}

/**
 * One row per copy of each dated message (not system events): the message, its conversation and time,
 * and the custodian whose source held that copy; in conversation, then time order.
 */
export function messageCopies(db: DB): IterableIterator<[conversationId: number, messageId: number, sentAt: number, custodianId: number]> {
  return db
    .prepare(
      `SELECT m.conversation_id, m.id, m.sent_at, o.custodian_id
         FROM messages m JOIN message_occurrences o ON o.message_id = m.id
        WHERE m.kind = 'message' AND m.time_unknown = 0 AND o.custodian_id IS NOT NULL
        ORDER BY m.conversation_id, m.sent_at, m.id`,
    )
    .raw()
    .iterate() as IterableIterator<[number, number, number, number]>;
}

/** Dated messages (not system events) in conversation, then time order. */
export function datedMessages(db: DB): IterableIterator<[conversationId: number, messageId: number, sentAt: number]> {
  return db
    .prepare(`SELECT conversation_id, id, sent_at FROM messages WHERE kind = 'message' AND time_unknown = 0 ORDER BY conversation_id, sent_at, id`)
    .raw()
    .iterate() as IterableIterator<[number, number, number]>;
}

export interface SourceSpan {
  sourceId: number;
  name: string;
  format: string;
  custodianId: number;
  from: number | null;
  to: number | null;
  messages: number;
}

/** Each custodian's sources with the first and last dated message each holds. */
export function sourceSpans(db: DB): SourceSpan[] {
  return db
    .prepare(
      `SELECT s.id AS sourceId, s.name, s.format, s.custodian_id AS custodianId,
              min(CASE WHEN m.time_unknown = 0 THEN m.sent_at END) AS "from",
              max(CASE WHEN m.time_unknown = 0 THEN m.sent_at END) AS "to",
              count(m.id) AS messages
         FROM sources s
         LEFT JOIN message_occurrences o ON o.source_id = s.id
         LEFT JOIN messages m ON m.id = o.message_id AND m.kind = 'message'
        WHERE s.custodian_id IS NOT NULL
        GROUP BY s.id ORDER BY s.custodian_id, s.id`,
    )
    .all() as SourceSpan[];
}

/** The first and last dated message of the whole case (null in an empty case). */
export function caseSpan(db: DB): { from: number | null; to: number | null } {
  return db.prepare(`SELECT min(sent_at) AS "from", max(sent_at) AS "to" FROM messages WHERE kind = 'message' AND time_unknown = 0`).get() as {
    from: number | null;
    to: number | null;
  };
}
