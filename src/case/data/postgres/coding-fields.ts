import type { Bridge } from './bridge.ts';
import type { CodingFieldReader, CodingFieldRow, CodingFieldWriter, FieldValueRow } from '../interface.ts';

export function codingFieldReader(b: Bridge): CodingFieldReader {
  return {
    get: (fieldId) => b.get<CodingFieldRow>('SELECT * FROM coding_fields WHERE id = $1', [fieldId]),
    all: () =>
      b.all<CodingFieldRow & { messages: number }>('SELECT f.*, (SELECT count(*) FROM message_field_values v WHERE v.field_id = f.id) AS messages FROM coding_fields f ORDER BY lower(f.name), f.id'),
    named: (name) => b.value<number>('SELECT id FROM coding_fields WHERE lower(name) = lower($1)', [name]),
    onMessage: (messageId) =>
      b.all<FieldValueRow & { name: string }>('SELECT v.*, f.name FROM message_field_values v JOIN coding_fields f ON f.id = v.field_id WHERE v.message_id = $1 ORDER BY lower(f.name), f.id', [messageId]),
    valuesOf: (fieldId, ids) =>
      b.rows<[number, string]>('SELECT message_id, value FROM message_field_values WHERE field_id = $1 AND message_id = ANY($2::bigint[]) ORDER BY message_id', [fieldId, ids]),
    everyValue: (fieldId) => b.rows<[number, string]>('SELECT message_id, value FROM message_field_values WHERE field_id = $1 ORDER BY message_id', [fieldId]),
    labelledOn: (ids) =>
      b.rows<[number, string]>(
        `SELECT v.message_id, f.name || ': ' || v.value FROM message_field_values v JOIN coding_fields f ON f.id = v.field_id
         WHERE v.message_id = ANY($1::bigint[]) ORDER BY v.message_id, lower(f.name), f.id`,
        [ids],
      ),
  };
}

export function codingFieldWriter(b: Bridge): CodingFieldWriter {
  return {
    create: (f) => b.value<number>('INSERT INTO coding_fields(name, type, choices, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id', [f.name, f.type, f.choices, f.by, f.at])!,
    delete: (fieldId) => {
      b.run('DELETE FROM message_field_values WHERE field_id = $1', [fieldId]);
      b.run('DELETE FROM coding_fields WHERE id = $1', [fieldId]);
    },
    set: (fieldId, ids, v) => {
      b.run(
        `INSERT INTO message_field_values(message_id, field_id, value, by, at) SELECT unnest($1::bigint[]), $2, $3, $4, $5
         ON CONFLICT (message_id, field_id) DO UPDATE SET value = excluded.value, by = excluded.by, at = excluded.at`,
        [ids, fieldId, v.value, v.by, v.at],
      );
    },
    clear: (fieldId, ids) => {
      b.run('DELETE FROM message_field_values WHERE field_id = $1 AND message_id = ANY($2::bigint[])', [fieldId, ids]);
    },
  };
}
