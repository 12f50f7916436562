import type { DB } from './connection.ts';
import { reviewedSql } from './review-marks.ts';
import type { MessageViewDetails, MessageViewReader, MessageViewRow, StoredMessageRow } from '../interface.ts';
import { statementCache } from './statements.ts';
import { MESSAGE_VIEW_SELECT } from '../portable-sql.ts';


const BATCH = 500;

export function messageViewReader(db: DB): MessageViewReader {
  // Reading a million messages in batches of 500 would otherwise compile the same statements two
  // thousand times each. Only `.all()` statements are kept: an iterating one cannot be reused while open.
  const prepared = statementCache(db);
  return {
    *batches(filter) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter.conversationId !== undefined) {
        where.push('m.conversation_id = ?');
        params.push(filter.conversationId);
      }
      if (!filter.includePersonal) where.push('c.personal = 0');
      if (filter.ids) {
        const ids = [...filter.ids];
        for (let i = 0; i < ids.length; i += BATCH) {
          const slice = ids.slice(i, i + BATCH);
          yield prepared(`${MESSAGE_VIEW_SELECT} WHERE ${[...where, `m.id IN (${slice.map(() => '?').join(',')})`].join(' AND ')} ORDER BY m.conversation_id, m.sent_at, m.id`)
            .all(...params, ...slice) as MessageViewRow[];
        }
        return;
      }
      const sql = `${MESSAGE_VIEW_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY m.conversation_id, m.sent_at, m.id`;
      let batch: MessageViewRow[] = [];
      for (const row of db.prepare(sql).iterate(...params) as IterableIterator<MessageViewRow>) {
        batch.push(row);
        if (batch.length === BATCH) {
          // Whoever takes the batch reads more from the connection, which the open iterator keeps busy: copy rows out first.
          const rows = batch;
          batch = [];
          yield rows;
        }
      }
      if (batch.length) yield batch;
    },
    details: (ids): MessageViewDetails => {
      const marks = ids.map(() => '?').join(',');
      return {
        attachments: prepared(`SELECT id, message_id, name, sha256, size, mime, missing_reason FROM attachments WHERE message_id IN (${marks}) ORDER BY message_id, seq`).all(
          ...ids,
        ) as MessageViewDetails['attachments'],
        reactions: prepared(
          `SELECT r.message_id, r.value, COALESCE(h.display, h.value) AS sender, r.at, r.removed FROM reactions r LEFT JOIN handles h ON h.id = r.handle_id
            WHERE r.message_id IN (${marks}) ORDER BY r.message_id, r.at, r.id`,
        ).all(...ids) as MessageViewDetails['reactions'],
        edits: prepared(`SELECT message_id, seq, edited_at, text FROM message_edits WHERE message_id IN (${marks}) ORDER BY message_id, seq`).all(...ids) as MessageViewDetails['edits'],
        recipients: prepared(
          `SELECT r.message_id, r.role, h.display, h.value FROM message_recipients r JOIN handles h ON h.id = r.handle_id
            WHERE r.message_id IN (${marks}) ORDER BY r.message_id, r.seq`,
        ).all(...ids) as MessageViewDetails['recipients'],
        redactions: prepared(`SELECT message_id, start, "end" FROM redactions WHERE message_id IN (${marks}) ORDER BY message_id, start`).all(...ids) as MessageViewDetails['redactions'],
        tags: prepared(`SELECT mt.message_id, t.name FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.message_id IN (${marks}) ORDER BY t.name`).all(...ids) as MessageViewDetails['tags'],
        reviewed: prepared(`SELECT m.id FROM messages m WHERE m.id IN (${marks}) AND ${reviewedSql('m')}`).pluck().all(...ids) as number[],
      };
    },
    position: (conversationId, messageId) => {
      const anchor = db.prepare('SELECT sent_at FROM messages WHERE id = ? AND conversation_id = ?').get(messageId, conversationId) as { sent_at: number } | undefined;
      if (!anchor) return undefined;
      return db
        .prepare('SELECT count(*) FROM messages WHERE conversation_id = ? AND (sent_at < ? OR (sent_at = ? AND id < ?))')
        .pluck()
        .get(conversationId, anchor.sent_at, anchor.sent_at, messageId) as number;
    },
    page: (conversationId, limit, offset) =>
      db.prepare('SELECT id FROM messages WHERE conversation_id = ? ORDER BY sent_at, id LIMIT ? OFFSET ?').pluck().all(conversationId, limit, offset) as number[],
    stored: () => db.prepare('SELECT * FROM messages ORDER BY id').iterate() as IterableIterator<StoredMessageRow>,
  };
}
