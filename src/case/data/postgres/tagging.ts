import type { Bridge } from './bridge.ts';
import type { TagRow, Tagging, TaggingReader, TaggingWriter } from '../interface.ts';

const TAGGING = 'SELECT message_id AS "messageId", basis, by, at FROM message_tags WHERE tag_id = $1';
const CODING_CHANGE = "action IN ('tag.apply','tag.remove','tag.basis')";

export function taggingReader(b: Bridge): TaggingReader {
  return {
    withCounts: () =>
      b.all<TagRow & { messages: number }>(
        'SELECT t.*, (SELECT count(*) FROM message_tags mt WHERE mt.tag_id = t.id) AS messages FROM tags t ORDER BY t.shortcut IS NULL, t.shortcut, lower(t.name)',
      ),
    get: (tagId) => b.get<TagRow>('SELECT * FROM tags WHERE id = $1', [tagId]),
    byName: (name) => b.get<TagRow>('SELECT * FROM tags WHERE lower(name) = lower($1)', [name]),
    countTagged: (tagId) => b.value<number>('SELECT count(*) FROM message_tags WHERE tag_id = $1', [tagId]) ?? 0,
    shortcutOwner: (shortcut, self) => b.value<string>('SELECT name FROM tags WHERE shortcut = $1 AND id IS DISTINCT FROM $2::bigint', [shortcut, self]),
    siblings: (groupId, tagId) => b.all<TagRow>('SELECT * FROM tags WHERE group_id = $1 AND id <> $2 ORDER BY id', [groupId, tagId]),
    taggings: (tagId, messageIds) =>
      messageIds === undefined
        ? b.all<Tagging>(`${TAGGING} ORDER BY message_id`, [tagId])
        : b.all<Tagging>(`${TAGGING} AND message_id = ANY($2::bigint[]) ORDER BY message_id`, [tagId, messageIds]),
    bases: (tagId, messageIds) =>
      b.rows<[number, string | null]>('SELECT message_id, basis FROM message_tags WHERE tag_id = $1 AND message_id = ANY($2::bigint[]) ORDER BY message_id', [tagId, messageIds]),
    taggedAt: (tagId, at, messageIds) =>
      b.column<number>('SELECT message_id FROM message_tags WHERE tag_id = $1 AND at = $2 AND message_id = ANY($3::bigint[]) ORDER BY message_id', [tagId, at, messageIds]),
    privilegeBases: (messageId) =>
      b.all<{ tagId: number; tag: string; basis: string | null }>(
        `SELECT t.id AS "tagId", t.name AS tag, mt.basis FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.message_id = $1 AND t.kind = 'privilege' ORDER BY t.name`,
        [messageId],
      ),
    changeEntries: (change) =>
      b.all<{ seq: number; action: 'tag.apply' | 'tag.remove' | 'tag.basis'; details: string }>(
        `SELECT seq, action, details FROM audit_log WHERE seq >= $1 AND ${CODING_CHANGE} AND details::jsonb -> 'change' = to_jsonb($1::bigint) ORDER BY seq DESC`,
        [change],
      ),
    undoneBy: (change) => b.value<number>("SELECT seq FROM audit_log WHERE action = 'tag.undo' AND details::jsonb -> 'undoes' = to_jsonb($1::bigint) ORDER BY seq LIMIT 1", [change]),
  };
}

export function taggingWriter(b: Bridge): TaggingWriter {
  return {
    create: (t) =>
      b.value<number>('INSERT INTO tags(name, kind, color, shortcut, group_id) VALUES ($1, $2, $3, $4, $5) RETURNING id', [t.name, t.kind, t.color, t.shortcut, t.groupId])!,
    update: (tagId, t) => {
      b.run('UPDATE tags SET name = $1, kind = $2, color = $3, shortcut = $4, group_id = $5 WHERE id = $6', [t.name, t.kind, t.color, t.shortcut, t.groupId, tagId]);
    },
    delete: (tagId) => {
      b.run('DELETE FROM message_tags WHERE tag_id = $1', [tagId]);
      b.run('DELETE FROM tags WHERE id = $1', [tagId]);
    },
    apply: (tagId, messageIds, t) => {
      b.run('INSERT INTO message_tags(message_id, tag_id, by, at, basis) SELECT unnest($1::bigint[]), $2, $3, $4, $5', [messageIds, tagId, t.by, t.at, t.basis]);
    },
    remove: (tagId, messageIds) => {
      b.run('DELETE FROM message_tags WHERE tag_id = $1 AND message_id = ANY($2::bigint[])', [tagId, messageIds]);
    },
    rebase: (tagId, messageIds, t) => {
      b.run('UPDATE message_tags SET basis = $1, by = $2, at = $3 WHERE tag_id = $4 AND message_id = ANY($5::bigint[])', [t.basis, t.by, t.at, tagId, messageIds]);
    },
    restore: (tagId, taggings) =>
      taggings
        .filter(
          (t) =>
            b.run('INSERT INTO message_tags(message_id, tag_id, by, at, basis) SELECT id, $1, $2, $3, $4 FROM messages WHERE id = $5 ON CONFLICT DO NOTHING', [
              tagId, t.by, t.at, t.basis, t.messageId,
            ]) > 0,
        )
        .map((t) => t.messageId),
    restoreBases: (tagId, at, messageIds, bases) =>
      messageIds.filter((id, i) => b.run('UPDATE message_tags SET basis = $1 WHERE tag_id = $2 AND message_id = $3 AND at = $4', [bases[i] ?? null, tagId, id, at]) > 0),
  };
}
