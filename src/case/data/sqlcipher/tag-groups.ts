import type { DB } from './connection.ts';
import type { TagGroupReader, TagGroupRow, TagGroupWriter } from '../interface.ts';

export function tagGroupReader(db: DB): TagGroupReader {
  return {
    get: (groupId) => db.prepare('SELECT * FROM tag_groups WHERE id = ?').get(groupId) as TagGroupRow | undefined,
    all: () => db.prepare('SELECT * FROM tag_groups ORDER BY name COLLATE NOCASE').all() as TagGroupRow[],
    nameTaken: (name, self) => db.prepare('SELECT name FROM tag_groups WHERE name = ? COLLATE NOCASE AND id IS NOT ?').pluck().get(name, self) as string | undefined,
    tagIds: (groupId) => db.prepare('SELECT id FROM tags WHERE group_id = ? ORDER BY shortcut IS NULL, shortcut, name COLLATE NOCASE').pluck().all(groupId) as number[],
    members: (groupId) => db.prepare('SELECT id FROM tags WHERE group_id = ?').pluck().all(groupId) as number[],
    conflicts: (groupId) =>
      db
        .prepare('SELECT count(*) FROM (SELECT mt.message_id FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE t.group_id = ? GROUP BY mt.message_id HAVING count(*) > 1)')
        .pluck()
        .get(groupId) as number,
  };
}

export function tagGroupWriter(db: DB): TagGroupWriter {
  return {
    create: (g) => Number(db.prepare('INSERT INTO tag_groups(name, choice, required) VALUES (?, ?, ?)').run(g.name, g.choice, g.required).lastInsertRowid),
    assignTag: (tagId, groupId) => db.prepare('UPDATE tags SET group_id = ? WHERE id = ?').run(groupId, tagId).changes > 0,
    update: (groupId, g) => {
      db.prepare('UPDATE tag_groups SET name = ?, choice = ?, required = ? WHERE id = ?').run(g.name, g.choice, g.required, groupId);
    },
    delete: (groupId) => {
      db.prepare('UPDATE tags SET group_id = NULL WHERE group_id = ?').run(groupId);
      db.prepare('DELETE FROM tag_groups WHERE id = ?').run(groupId);
    },
  };
}
