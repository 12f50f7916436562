import type { DB } from './connection.ts';
import type { CodingFieldReader, CodingFieldRow, CodingFieldWriter, FieldValueRow } from '../interface.ts';
import { IN_IDS, jsonIds } from './ids.ts';

export function codingFieldReader(db: DB): CodingFieldReader {
  return {
    get: (fieldId) => db.prepare('SELECT * FROM coding_fields WHERE id = ?').get(fieldId) as CodingFieldRow | undefined,
    all: () =>
      db
        .prepare('SELECT f.*, (SELECT count(*) FROM message_field_values v WHERE v.field_id = f.id) AS messages FROM coding_fields f ORDER BY f.name COLLATE NOCASE')
        .all() as (CodingFieldRow & { messages: number })[],
    named: (name) => db.prepare('SELECT id FROM coding_fields WHERE name = ? COLLATE NOCASE').pluck().get(name) as number | undefined,
    onMessage: (messageId) =>
      db
        .prepare('SELECT v.*, f.name FROM message_field_values v JOIN coding_fields f ON f.id = v.field_id WHERE v.message_id = ? ORDER BY f.name COLLATE NOCASE')
        .all(messageId) as (FieldValueRow & { name: string })[],
    valuesOf: (fieldId, ids) =>
      db.prepare(`SELECT message_id, value FROM message_field_values WHERE field_id = ? AND message_id ${IN_IDS} ORDER BY message_id`).raw().all(fieldId, jsonIds(ids)) as [number, string][],
    everyValue: (fieldId) => db.prepare('SELECT message_id, value FROM message_field_values WHERE field_id = ? ORDER BY message_id').raw().all(fieldId) as [number, string][],
    labelledOn: (ids) =>
      db
        .prepare(`SELECT v.message_id, f.name || ': ' || v.value FROM message_field_values v JOIN coding_fields f ON f.id = v.field_id WHERE v.message_id ${IN_IDS} ORDER BY v.message_id, f.name COLLATE NOCASE`)
        .raw()
        .all(jsonIds(ids)) as [number, string][],
  };
}

export function codingFieldWriter(db: DB): CodingFieldWriter {
  return {
    create: (f) => Number(db.prepare('INSERT INTO coding_fields(name, type, choices, created_by, created_at) VALUES (?, ?, ?, ?, ?)').run(f.name, f.type, f.choices, f.by, f.at).lastInsertRowid),
    delete: (fieldId) => {
      db.prepare('DELETE FROM message_field_values WHERE field_id = ?').run(fieldId);
      db.prepare('DELETE FROM coding_fields WHERE id = ?').run(fieldId);
    },
    set: (fieldId, ids, v) => {
      db.prepare(
        `INSERT INTO message_field_values(message_id, field_id, value, by, at) SELECT value, @fieldId, @value, @by, @at FROM json_each(@ids) WHERE true
         ON CONFLICT(message_id, field_id) DO UPDATE SET value = excluded.value, by = excluded.by, at = excluded.at`,
      ).run({ fieldId, value: v.value, by: v.by, at: v.at, ids: jsonIds(ids) });
    },
    clear: (fieldId, ids) => {
      db.prepare(`DELETE FROM message_field_values WHERE field_id = ? AND message_id ${IN_IDS}`).run(fieldId, jsonIds(ids));
    },
  };
}
