import type { Bridge } from './bridge.ts';
import type { HandleRow, ProducedHandle, ProducedReader } from '../interface.ts';
import { params } from './params.ts';

/** A handle as productions name it: its identity's display name, else its own. */
const DISPLAY = 'COALESCE(p.display_name, h.display, h.value)';
const HANDLE = `h.id AS "handleId", ${DISPLAY} AS display, h.value, h.kind`;

const PRIVILEGED = `EXISTS (SELECT 1 FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.message_id = m.id AND t.kind = 'privilege')`;

export function producedReader(b: Bridge): ProducedReader {
  const pairs = <V>(sql: string) => (ids: readonly number[]) => b.rows<[number, V]>(sql, [ids]);
  return {
    tagId: (name) => b.value<number>('SELECT id FROM tags WHERE lower(name) = lower($1)', [name]),
    taggedWith: (tagIds) => b.column<number>('SELECT DISTINCT message_id FROM message_tags WHERE tag_id = ANY($1::bigint[]) ORDER BY message_id', [tagIds]),
    eligible: (filter) => {
      const p = params();
      const where: string[] = [];
      if (!filter.includePersonal) where.push('c.personal = 0');
      if (filter.privilegedOnly) where.push(PRIVILEGED);
      if (filter.conversationIds.length) where.push(`m.conversation_id = ANY(${p.add(filter.conversationIds)}::bigint[])`);
      return b.rows<[number, number, number, number]>(
        `SELECT m.id, m.conversation_id, m.sent_at, ${filter.markPrivileged ? `(${PRIVILEGED})::int` : '0'} FROM messages m JOIN conversations c ON c.id = m.conversation_id
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY m.conversation_id, m.sent_at, m.id`,
        p.values,
      ).values();
    },
    collectedAttachments: (ids) =>
      b.value<number>(
        `SELECT count(*) FROM attachments a WHERE a.sha256 IS NOT NULL AND a.message_id = ANY($1::bigint[])
         AND NOT EXISTS (SELECT 1 FROM redactions r WHERE r.message_id = a.message_id AND r.start IS NULL)`,
        [ids],
      ) ?? 0,
    contentHashes: (ids) => b.rows<[number, string, number]>('SELECT id, content_sha256, sent_at FROM messages WHERE id = ANY($1::bigint[]) ORDER BY id', [ids]),
    custodians: pairs<string>('SELECT o.message_id, c.name FROM message_occurrences o JOIN custodians c ON c.id = o.custodian_id WHERE o.message_id = ANY($1::bigint[]) ORDER BY o.message_id, c.name'),
    notes: pairs<string>('SELECT message_id, text FROM notes WHERE message_id = ANY($1::bigint[]) ORDER BY message_id, at, id'),
    privilegeBases: pairs<string>(
      `SELECT mt.message_id, t.name || ': ' || mt.basis FROM message_tags mt JOIN tags t ON t.id = mt.tag_id
       WHERE t.kind = 'privilege' AND mt.basis IS NOT NULL AND mt.message_id = ANY($1::bigint[]) ORDER BY mt.message_id, t.name`,
    ),
    senderIdentities: pairs<string>(
      'SELECT DISTINCT p.id, p.display_name FROM messages m JOIN handles h ON h.id = m.sender_handle_id JOIN participants p ON p.id = h.participant_id WHERE m.id = ANY($1::bigint[]) ORDER BY p.id',
    ),
    sourceName: (sourceId) => b.value<string>('SELECT name FROM sources WHERE id = $1', [sourceId]),
    conversation: (conversationId) => b.get('SELECT id, name, platform, kind, external_id FROM conversations WHERE id = $1', [conversationId]),
    members: (conversationId) =>
      b.all(
        `SELECT ${HANDLE}, cm.joined_at AS "joinedAt", cm.left_at AS "leftAt" FROM conversation_members cm
         JOIN handles h ON h.id = cm.handle_id LEFT JOIN participants p ON p.id = h.participant_id
         WHERE cm.conversation_id = $1 ORDER BY display, h.id`,
        [conversationId],
      ),
    writers: (conversationId) =>
      b.all<ProducedHandle>(
        `SELECT ${HANDLE} FROM handles h LEFT JOIN participants p ON p.id = h.participant_id
         WHERE h.id IN (SELECT sender_handle_id FROM messages WHERE conversation_id = $1 AND sender_handle_id IS NOT NULL) ORDER BY display, h.id`,
        [conversationId],
      ),
    owners: (conversationId) =>
      b.all<ProducedHandle>(
        `SELECT ${HANDLE} FROM handles h LEFT JOIN participants p ON p.id = h.participant_id
         WHERE h.id IN (SELECT sender_handle_id FROM messages WHERE conversation_id = $1 AND direction = 'out' AND sender_handle_id IS NOT NULL) ORDER BY display, h.id`,
        [conversationId],
      ),
    conversationCustodians: (conversationId) =>
      b.column<string>(
        `SELECT DISTINCT cu.name FROM message_occurrences o JOIN custodians cu ON cu.id = o.custodian_id
         WHERE o.message_id IN (SELECT id FROM messages WHERE conversation_id = $1) ORDER BY cu.name`,
        [conversationId],
      ),
    quote: (messageId) =>
      b.get<{ text: string; sender: string | null }>('SELECT m.text, COALESCE(h.display, h.value) AS sender FROM messages m LEFT JOIN handles h ON h.id = m.sender_handle_id WHERE m.id = $1', [messageId]),
    attachmentCounts: pairs<number>('SELECT message_id, count(*) FROM attachments WHERE message_id = ANY($1::bigint[]) GROUP BY message_id ORDER BY message_id'),
    attachmentBytes: pairs<number>(
      'SELECT a.message_id, sum(bl.size) FROM attachments a JOIN blobs bl ON bl.sha256 = a.sha256 WHERE a.message_id = ANY($1::bigint[]) GROUP BY a.message_id ORDER BY a.message_id',
    ),
    privilegeTags: (ids) =>
      b.all(
        `SELECT mt.message_id, t.name, mt.basis FROM message_tags mt JOIN tags t ON t.id = mt.tag_id
         WHERE t.kind = 'privilege' AND mt.message_id = ANY($1::bigint[]) ORDER BY mt.message_id, t.name`,
        [ids],
      ),
    senderHandles: (ids) =>
      b.all<HandleRow & { mid: number }>('SELECT m.id AS mid, h.id, h.display, h.value, h.kind FROM messages m JOIN handles h ON h.id = m.sender_handle_id WHERE m.id = ANY($1::bigint[]) ORDER BY m.id', [ids]),
    reactionHandles: (ids) =>
      b.all(
        `SELECT r.message_id, r.value AS reaction, r.handle_id AS "handleId", h.display, h.value, h.kind FROM reactions r LEFT JOIN handles h ON h.id = r.handle_id
         WHERE r.removed = 0 AND r.message_id = ANY($1::bigint[]) ORDER BY r.message_id, r.at NULLS FIRST, r.id`,
        [ids],
      ),
    blobSize: (sha256) => b.value<number>('SELECT size FROM blobs WHERE sha256 = $1', [sha256]),
  };
}
