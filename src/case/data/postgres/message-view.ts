import type { Bridge } from './bridge.ts';
import type { MessageViewDetails, MessageViewReader, MessageViewRow, StoredMessageRow } from '../interface.ts';
import { params } from './params.ts';
import { MESSAGE_VIEW_SELECT } from '../portable-sql.ts';
import { reviewed } from './review-marks.ts';

const ORDER = 'ORDER BY m.conversation_id, m.sent_at, m.id';

const BATCH = 500;

export function messageViewReader(b: Bridge): MessageViewReader {
  return {
    *batches(filter) {
      const where = (p: ReturnType<typeof params>) => [
        ...(filter.conversationId !== undefined ? [`m.conversation_id = ${p.add(filter.conversationId)}`] : []),
        ...(filter.includePersonal ? [] : ['c.personal = 0']),
      ];
      if (filter.ids) {
        const ids = [...filter.ids];
        for (let i = 0; i < ids.length; i += BATCH) {
          const p = params();
          const conditions = [...where(p), `m.id = ANY(${p.add(ids.slice(i, i + BATCH))}::bigint[])`];
          yield b.all<MessageViewRow>(`${MESSAGE_VIEW_SELECT} WHERE ${conditions.join(' AND ')} ${ORDER}`, p.values);
        }
        return;
      }
      // A batch at a time, each after the last row of the one before (keyset paging: memory stays at a batch).
      let last: MessageViewRow | undefined;
      for (;;) {
        const p = params();
        const conditions = where(p);
        if (last) conditions.push(`(m.conversation_id, m.sent_at, m.id) > (${p.add(last.conversation_id)}, ${p.add(last.sent_at)}, ${p.add(last.id)})`);
        const rows = b.all<MessageViewRow>(`${MESSAGE_VIEW_SELECT} ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''} ${ORDER} LIMIT ${BATCH}`, p.values);
        if (rows.length) yield rows;
        if (rows.length < BATCH) return;
        last = rows[rows.length - 1];
      }
    },
    details: (ids): MessageViewDetails => ({
      attachments: b.all('SELECT id, message_id, name, sha256, size, mime, missing_reason FROM attachments WHERE message_id = ANY($1::bigint[]) ORDER BY message_id, seq', [ids]),
      reactions: b.all(
        `SELECT r.message_id, r.value, COALESCE(h.display, h.value) AS sender, r.at, r.removed FROM reactions r LEFT JOIN handles h ON h.id = r.handle_id
          WHERE r.message_id = ANY($1::bigint[]) ORDER BY r.message_id, r.at NULLS FIRST, r.id`,
        [ids],
      ),
      edits: b.all('SELECT message_id, seq, edited_at, text FROM message_edits WHERE message_id = ANY($1::bigint[]) ORDER BY message_id, seq', [ids]),
      recipients: b.all(
        'SELECT r.message_id, r.role, h.display, h.value FROM message_recipients r JOIN handles h ON h.id = r.handle_id WHERE r.message_id = ANY($1::bigint[]) ORDER BY r.message_id, r.seq',
        [ids],
      ),
      redactions: b.all('SELECT message_id, start, "end" FROM redactions WHERE message_id = ANY($1::bigint[]) ORDER BY message_id, start NULLS FIRST, id', [ids]),
      tags: b.all('SELECT mt.message_id, t.name FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.message_id = ANY($1::bigint[]) ORDER BY t.name, mt.message_id', [ids]),
      reviewed: b.column<number>(`SELECT m.id FROM messages m WHERE m.id = ANY($1::bigint[]) AND ${reviewed('m')} ORDER BY m.id`, [ids]),
    }),
    position: (conversationId, messageId) => {
      const anchor = b.value<number>('SELECT sent_at FROM messages WHERE id = $1 AND conversation_id = $2', [messageId, conversationId]);
      if (anchor === undefined) return undefined;
      return b.value<number>('SELECT count(*) FROM messages WHERE conversation_id = $1 AND (sent_at, id) < ($2, $3)', [conversationId, anchor, messageId]) ?? 0;
    },
    page: (conversationId, limit, offset) => b.column<number>('SELECT id FROM messages WHERE conversation_id = $1 ORDER BY sent_at, id LIMIT $2 OFFSET $3', [conversationId, limit, offset]),
    stored: () => b.all<StoredMessageRow>('SELECT * FROM messages ORDER BY id').values(),
  };
}
