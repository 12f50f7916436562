import type { Migration } from './types.ts';

/**
 * Per-message recipients (email To/Cc/Bcc), every name an identity is known by (for from:), where a message's time came from when the source's own
 * timestamp was missing or unreadable, the zone a source's wall-clock times were read in and why,
 * and other identities under which a conversation is known (the same chat exported as a bare
 * text, a folder or a zip).
 */
export const recipientsTimeSource: Migration = {
  version: 4,
  name: 'recipients-time-source',
  up: `
ALTER TABLE messages ADD COLUMN time_source TEXT;

CREATE TABLE message_recipients(
  message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('to','cc','bcc')),
  handle_id INTEGER NOT NULL REFERENCES handles(id),
  run_id INTEGER NOT NULL,
  PRIMARY KEY(message_id, seq)) STRICT, WITHOUT ROWID;
CREATE INDEX message_recipients_handle ON message_recipients(handle_id);

ALTER TABLE sources ADD COLUMN tz_reason TEXT;

CREATE TABLE handle_names(
  handle_id INTEGER NOT NULL REFERENCES handles(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  run_id INTEGER NOT NULL,
  PRIMARY KEY(handle_id, name)) STRICT, WITHOUT ROWID;

CREATE TABLE conversation_aliases(
  platform TEXT NOT NULL, external_id TEXT NOT NULL,
  conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  run_id INTEGER NOT NULL,
  PRIMARY KEY(platform, external_id)) STRICT, WITHOUT ROWID;
`,
};
