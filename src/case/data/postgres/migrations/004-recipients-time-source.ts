import type { PgMigration } from './types.ts';

/** src/case/migrations/004-recipients-time-source.ts: recipients, handle names, where a time came from, zone reasons, conversation aliases. */
export const recipientsTimeSource: PgMigration = {
  version: 4,
  name: 'recipients-time-source',
  up: `
ALTER TABLE messages ADD COLUMN time_source text;

CREATE TABLE message_recipients(
  message_id bigint NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  seq bigint NOT NULL,
  role text NOT NULL CHECK (role IN ('to','cc','bcc')),
  handle_id bigint NOT NULL REFERENCES handles(id),
  run_id bigint NOT NULL,
  PRIMARY KEY(message_id, seq));
CREATE INDEX message_recipients_handle ON message_recipients(handle_id);

ALTER TABLE sources ADD COLUMN tz_reason text;

CREATE TABLE handle_names(
  handle_id bigint NOT NULL REFERENCES handles(id) ON DELETE CASCADE,
  name text NOT NULL,
  run_id bigint NOT NULL,
  PRIMARY KEY(handle_id, name));

CREATE TABLE conversation_aliases(
  platform text NOT NULL, external_id text NOT NULL,
  conversation_id bigint NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  run_id bigint NOT NULL,
  PRIMARY KEY(platform, external_id));
`,
};
