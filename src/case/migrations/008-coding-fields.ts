import type { Migration } from './types.ts';

/**
 * Custom coding fields made in the app (free text, a fixed choice, a date) and each message's value
 * in them. Work product: productions leave them out unless the producer names them.
 */
export const codingFields: Migration = {
  version: 8,
  name: 'coding-fields',
  up: `
CREATE TABLE coding_fields(
  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  type TEXT NOT NULL CHECK (type IN ('text','choice','date')),
  -- JSON array of the allowed values of a choice field; NULL for the other types.
  choices TEXT,
  created_by TEXT NOT NULL, created_at INTEGER NOT NULL) STRICT;

CREATE TABLE message_field_values(
  message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  field_id INTEGER NOT NULL REFERENCES coding_fields(id) ON DELETE CASCADE,
  value TEXT NOT NULL, by TEXT NOT NULL, at INTEGER NOT NULL,
  PRIMARY KEY(message_id, field_id)) STRICT, WITHOUT ROWID;
CREATE INDEX message_field_values_field ON message_field_values(field_id, value);
`,
};
