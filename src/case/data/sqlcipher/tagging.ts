import type { DB } from './connection.ts';
import type { TagRow, Tagging, TaggingReader, TaggingWriter } from '../interface.ts';
import { IN_IDS, jsonIds } from './ids.ts';

export function taggingReader(db: DB): TaggingReader {
  return {
    withCounts: () =>
      db
        .prepare(
          `SELECT t.*, (SELECT count(*) FROM message_tags mt WHERE mt.tag_id = t.id) AS messages FROM tags t
        ORDER BY t.shortcut IS NULL, t.shortcut, t.name COLLATE NOCASE`,
        )
        .all() as (TagRow & { messages: number })[],
    get: (tagId) => db.prepare('SELECT * FROM tags WHERE id = ?').get(tagId) as TagRow | undefined,
    byName: (name) => db.prepare('SELECT * FROM tags WHERE name = ? COLLATE NOCASE').get(name) as TagRow | undefined,
    countTagged: (tagId) => db.prepare('SELECT count(*) FROM message_tags WHERE tag_id = ?').pluck().get(tagId) as number,
    shortcutOwner: (shortcut, self) => db.prepare('SELECT name FROM tags WHERE shortcut = ? AND id IS NOT ?').pluck().get(shortcut, self) as string | undefined,
    siblings: (groupId, tagId) => db.prepare('SELECT * FROM tags WHERE group_id = ? AND id <> ?').all(groupId, tagId) as TagRow[],
    taggings: (tagId, messageIds) =>
      (messageIds === undefined
        ? db.prepare('SELECT message_id AS messageId, basis, by, at FROM message_tags WHERE tag_id = ? ORDER BY message_id').all(tagId)
        : db.prepare(`SELECT message_id AS messageId, basis, by, at FROM message_tags WHERE tag_id = ? AND message_id ${IN_IDS} ORDER BY message_id`).all(tagId, jsonIds(messageIds))) as Tagging[],
    bases: (tagId, messageIds) =>
      db.prepare(`SELECT message_id, basis FROM message_tags WHERE tag_id = ? AND message_id ${IN_IDS}`).raw().all(tagId, jsonIds(messageIds)) as [number, string | null][],
    taggedAt: (tagId, at, messageIds) =>
      db.prepare(`SELECT message_id FROM message_tags WHERE tag_id = ? AND at = ? AND message_id ${IN_IDS}`).pluck().all(tagId, at, jsonIds(messageIds)) as number[],
    privilegeBases: (messageId) =>
      db
        .prepare("SELECT t.id AS tagId, t.name AS tag, mt.basis FROM message_tags mt JOIN tags t ON t.id = mt.tag_id WHERE mt.message_id = ? AND t.kind = 'privilege' ORDER BY t.name")
        .all(messageId) as { tagId: number; tag: string; basis: string | null }[],
    changeEntries: (change) =>
      db
        .prepare(`SELECT seq, action, details FROM audit_log WHERE seq >= ? AND action IN ('tag.apply','tag.remove','tag.basis') AND json_extract(details, '$.change') = ? ORDER BY seq DESC`)
        .all(change, change) as { seq: number; action: 'tag.apply' | 'tag.remove' | 'tag.basis'; details: string }[],
    undoneBy: (change) => db.prepare("SELECT seq FROM audit_log WHERE action = 'tag.undo' AND json_extract(details, '$.undoes') = ?").pluck().get(change) as number | undefined,
  };
}

export function taggingWriter(db: DB): TaggingWriter {
  return {
    create: (t) => Number(db.prepare('INSERT INTO tags(name, kind, color, shortcut, group_id) VALUES (?, ?, ?, ?, ?)').run(t.name, t.kind, t.color, t.shortcut, t.groupId).lastInsertRowid),
    update: (tagId, t) => {
      db.prepare('UPDATE tags SET name = ?, kind = ?, color = ?, shortcut = ?, group_id = ? WHERE id = ?').run(t.name, t.kind, t.color, t.shortcut, t.groupId, tagId);
    },
    delete: (tagId) => {
      db.prepare('DELETE FROM message_tags WHERE tag_id = ?').run(tagId);
      db.prepare('DELETE FROM tags WHERE id = ?').run(tagId);
    },
    apply: (tagId, messageIds, t) => {
      db.prepare(`INSERT INTO message_tags(message_id, tag_id, by, at, basis) SELECT value, ?, ?, ?, ? FROM json_each(?)`).run(tagId, t.by, t.at, t.basis, jsonIds(messageIds));
    },
    remove: (tagId, messageIds) => {
      db.prepare(`DELETE FROM message_tags WHERE tag_id = ? AND message_id ${IN_IDS}`).run(tagId, jsonIds(messageIds));
    },
    rebase: (tagId, messageIds, t) => {
      db.prepare(`UPDATE message_tags SET basis = ?, by = ?, at = ? WHERE tag_id = ? AND message_id ${IN_IDS}`).run(t.basis, t.by, t.at, tagId, jsonIds(messageIds));
    },
    restore: (tagId, taggings) => {
      const ins = db.prepare('INSERT OR IGNORE INTO message_tags(message_id, tag_id, by, at, basis) SELECT id, ?, ?, ?, ? FROM messages WHERE id = ?');
      const restored: number[] = [];
      for (const t of taggings) if (ins.run(tagId, t.by, t.at, t.basis, t.messageId).changes) restored.push(t.messageId);
      return restored;
    },
    restoreBases: (tagId, at, messageIds, bases) => {
      const upd = db.prepare('UPDATE message_tags SET basis = ? WHERE tag_id = ? AND message_id = ? AND at = ?');
      const changed: number[] = [];
      messageIds.forEach((id, i) => {
        if (upd.run(bases[i] ?? null, tagId, id, at).changes) changed.push(id);
      });
      return changed;
    },
  };
}
