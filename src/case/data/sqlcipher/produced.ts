import type { DB } from './connection.ts';
import type { HandleRow, ProducedHandle, ProducedReader } from '../interface.ts';
import { inSlices, marks, statementCache } from './statements.ts';

/** A handle as productions name it: its identity's display name, else its own. */
const DISPLAY = 'COALESCE(p.display_name, h.display, h.value)';

const PRIVILEGED = `EXISTS (SELECT 1 FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.message_id = m.id AND t.kind = 'privilege')`;

type Pair<V> = [number, V];

export function producedReader(db: DB): ProducedReader {
  const prepared = statementCache(db);
  const raw = <V>(sql: (n: number) => string) => (ids: readonly number[]) =>
    inSlices(ids, (slice) => prepared(sql(slice.length)).raw().all(...slice) as Pair<V>[]);
  return {
    tagId: (name) => prepared('SELECT id FROM tags WHERE name = ? COLLATE NOCASE').pluck().get(name) as number | undefined,
    taggedWith: (tagIds) => db.prepare(`SELECT DISTINCT message_id FROM message_tags WHERE tag_id IN (${marks(tagIds.length)})`).pluck().all(...tagIds) as number[],
    eligible: (filter) => {
      const where: string[] = [];
      const params: number[] = [];
      if (!filter.includePersonal) where.push('c.personal = 0');
      if (filter.privilegedOnly) where.push(PRIVILEGED);
      if (filter.conversationIds.length) {
        where.push(`m.conversation_id IN (${marks(filter.conversationIds.length)})`);
        params.push(...filter.conversationIds);
      }
      return db
        .prepare(
          `SELECT m.id, m.conversation_id, m.sent_at, ${filter.markPrivileged ? PRIVILEGED : '0'} FROM messages m JOIN conversations c ON c.id = m.conversation_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY m.conversation_id, m.sent_at, m.id`,
        )
        .raw()
        .iterate(...params) as IterableIterator<[number, number, number, number]>;
    },
    collectedAttachments: (ids) =>
      inSlices(ids, (slice) => [
        prepared(
          `SELECT count(*) FROM attachments a WHERE a.sha256 IS NOT NULL AND a.message_id IN (${marks(slice.length)})
           AND NOT EXISTS (SELECT 1 FROM redactions r WHERE r.message_id = a.message_id AND r.start IS NULL)`,
        )
          .pluck()
          .get(...slice) as number,
      ]).reduce((a, b) => a + b, 0),
    contentHashes: (ids) =>
      inSlices(ids, (slice) => prepared(`SELECT id, content_sha256, sent_at FROM messages WHERE id IN (${marks(slice.length)})`).raw().all(...slice) as [number, string, number][]),
    custodians: raw<string>(
      (n) => `SELECT o.message_id, c.name FROM message_occurrences o JOIN custodians c ON c.id = o.custodian_id WHERE o.message_id IN (${marks(n)}) ORDER BY o.message_id, c.name`,
    ),
    notes: raw<string>((n) => `SELECT message_id, text FROM notes WHERE message_id IN (${marks(n)}) ORDER BY message_id, at, id`),
    privilegeBases: raw<string>(
      (n) =>
        `SELECT mt.message_id, t.name || ': ' || mt.basis FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE t.kind = 'privilege' AND mt.basis IS NOT NULL AND mt.message_id IN (${marks(n)}) ORDER BY mt.message_id, t.name`,
    ),
    senderIdentities: raw<string>(
      (n) => `SELECT DISTINCT p.id, p.display_name FROM messages m JOIN handles h ON h.id = m.sender_handle_id JOIN participants p ON p.id = h.participant_id WHERE m.id IN (${marks(n)})`,
    ),
    sourceName: (sourceId) => prepared('SELECT name FROM sources WHERE id = ?').pluck().get(sourceId) as string | undefined,
    conversation: (conversationId) =>
      prepared('SELECT id, name, platform, kind, external_id FROM conversations WHERE id = ?').get(conversationId) as ReturnType<ProducedReader['conversation']>,
    members: (conversationId) =>
      prepared(
        `SELECT h.id AS handleId, ${DISPLAY} AS display, h.value, h.kind, cm.joined_at AS joinedAt, cm.left_at AS leftAt FROM conversation_members cm
          JOIN handles h ON h.id = cm.handle_id LEFT JOIN participants p ON p.id = h.participant_id
          WHERE cm.conversation_id = ? ORDER BY display, h.id`,
      ).all(conversationId) as ReturnType<ProducedReader['members']>,
    writers: (conversationId) =>
      prepared(
        `SELECT h.id AS handleId, ${DISPLAY} AS display, h.value, h.kind FROM handles h LEFT JOIN participants p ON p.id = h.participant_id
            WHERE h.id IN (SELECT DISTINCT sender_handle_id FROM messages WHERE conversation_id = ? AND sender_handle_id IS NOT NULL) ORDER BY display, h.id`,
      ).all(conversationId) as ProducedHandle[],
    owners: (conversationId) =>
      prepared(
        `SELECT h.id AS handleId, ${DISPLAY} AS display, h.value, h.kind FROM handles h LEFT JOIN participants p ON p.id = h.participant_id
          WHERE h.id IN (SELECT DISTINCT sender_handle_id FROM messages WHERE conversation_id = ? AND direction = 'out' AND sender_handle_id IS NOT NULL) ORDER BY display, h.id`,
      ).all(conversationId) as ProducedHandle[],
    conversationCustodians: (conversationId) =>
      prepared(
        `SELECT DISTINCT cu.name FROM message_occurrences o JOIN custodians cu ON cu.id = o.custodian_id
          WHERE o.message_id IN (SELECT id FROM messages WHERE conversation_id = ?) ORDER BY cu.name`,
      )
        .pluck()
        .all(conversationId) as string[],
    quote: (messageId) =>
      prepared('SELECT m.text, COALESCE(h.display, h.value) AS sender FROM messages m LEFT JOIN handles h ON h.id = m.sender_handle_id WHERE m.id = ?').get(messageId) as
        | { text: string; sender: string | null }
        | undefined,
    attachmentCounts: raw<number>((n) => `SELECT message_id, count(*) FROM attachments WHERE message_id IN (${marks(n)}) GROUP BY message_id`),
    attachmentBytes: raw<number>((n) => `SELECT a.message_id, sum(b.size) FROM attachments a JOIN blobs b ON b.sha256 = a.sha256 WHERE a.message_id IN (${marks(n)}) GROUP BY a.message_id`),
    privilegeTags: (ids) =>
      inSlices(ids, (slice) =>
        prepared(
          `SELECT mt.message_id, t.name, mt.basis FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE t.kind = 'privilege' AND mt.message_id IN (${marks(slice.length)}) ORDER BY mt.message_id, t.name`,
        ).all(...slice) as ReturnType<ProducedReader['privilegeTags']>,
      ),
    senderHandles: (ids) =>
      inSlices(ids, (slice) =>
        prepared(`SELECT m.id AS mid, h.id, h.display, h.value, h.kind FROM messages m JOIN handles h ON h.id = m.sender_handle_id WHERE m.id IN (${marks(slice.length)})`).all(
          ...slice,
        ) as (HandleRow & { mid: number })[],
      ),
    reactionHandles: (ids) =>
      inSlices(ids, (slice) =>
        prepared(
          `SELECT r.message_id, r.value AS reaction, r.handle_id AS handleId, h.display, h.value, h.kind FROM reactions r LEFT JOIN handles h ON h.id = r.handle_id
          WHERE r.removed = 0 AND r.message_id IN (${marks(slice.length)}) ORDER BY r.message_id, r.at, r.id`,
        ).all(...slice) as ReturnType<ProducedReader['reactionHandles']>,
      ),
    blobSize: (sha256) => (prepared('SELECT size FROM blobs WHERE sha256 = ?').get(sha256) as { size: number } | undefined)?.size,
  };
}
