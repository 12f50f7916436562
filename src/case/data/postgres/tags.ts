import type { Bridge } from './bridge.ts';
import type { TagGroupReader, TagGroupRow, TagGroupWriter, TagReader } from '../interface.ts';

export function tagReader(b: Bridge): TagReader {
  return {
    namesOn: (messageIds) =>
      b.rows<[number, string]>('SELECT mt.message_id, t.name FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.message_id = ANY($1::bigint[]) ORDER BY t.name, mt.message_id', [messageIds]),
  };
}

/** Names are unique case-insensitively (a unique index on lower(name), SQLite's COLLATE NOCASE). */
export function tagGroupReader(b: Bridge): TagGroupReader {
  return {
    get: (groupId) => b.get<TagGroupRow>('SELECT * FROM tag_groups WHERE id = $1', [groupId]),
    all: () => b.all<TagGroupRow>('SELECT * FROM tag_groups ORDER BY lower(name), id'),
    nameTaken: (name, self) => b.value<string>('SELECT name FROM tag_groups WHERE lower(name) = lower($1) AND id IS DISTINCT FROM $2::bigint', [name, self]),
    tagIds: (groupId) => b.column<number>('SELECT id FROM tags WHERE group_id = $1 ORDER BY shortcut IS NULL, shortcut, lower(name)', [groupId]),
    members: (groupId) => b.column<number>('SELECT id FROM tags WHERE group_id = $1 ORDER BY id', [groupId]),
    conflicts: (groupId) =>
      b.value<number>(
        'SELECT count(*) FROM (SELECT mt.message_id FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE t.group_id = $1 GROUP BY mt.message_id HAVING count(*) > 1) c',
        [groupId],
      ) ?? 0,
  };
}

export function tagGroupWriter(b: Bridge): TagGroupWriter {
  return {
    create: (g) => b.value<number>('INSERT INTO tag_groups(name, choice, required) VALUES ($1, $2, $3) RETURNING id', [g.name, g.choice, g.required])!,
    assignTag: (tagId, groupId) => b.run('UPDATE tags SET group_id = $1 WHERE id = $2', [groupId, tagId]) > 0,
    update: (groupId, g) => {
      b.run('UPDATE tag_groups SET name = $1, choice = $2, required = $3 WHERE id = $4', [g.name, g.choice, g.required, groupId]);
    },
    delete: (groupId) => {
      b.run('UPDATE tags SET group_id = NULL WHERE group_id = $1', [groupId]);
      b.run('DELETE FROM tag_groups WHERE id = $1', [groupId]);
    },
  };
}
