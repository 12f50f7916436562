import type { Migration } from './types.ts';

/**
 * Review batches: a set of review units (from a saved search or a list of conversations) cut into
 * batches of N units that reviewers check out and in, and the QC samples of what they coded.
 * A unit's messages are frozen at the cut (`batch_unit_messages`): a later import adds messages to
 * a day, not to a batch. Deleting a message takes it out of its units by cascade.
 */
export const reviewBatches: Migration = {
  version: 9,
  name: 'review-batches',
  up: `
CREATE TABLE batch_sets(
  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  -- JSON: {"savedSearchId","name","query","includePersonal"} or {"conversationIds":[...]}.
  source TEXT NOT NULL,
  unit_size INTEGER NOT NULL CHECK (unit_size > 0),
  created_by TEXT NOT NULL, created_at INTEGER NOT NULL) STRICT;

CREATE TABLE batches(
  id INTEGER PRIMARY KEY, set_id INTEGER NOT NULL REFERENCES batch_sets(id) ON DELETE CASCADE,
  number INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','checked-out','checked-in')),
  assignee TEXT, holder TEXT, checked_out_at INTEGER, checked_in_by TEXT, checked_in_at INTEGER,
  UNIQUE(set_id, number)) STRICT;

CREATE TABLE batch_units(
  id INTEGER PRIMARY KEY, batch_id INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
  set_id INTEGER NOT NULL REFERENCES batch_sets(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL, unit_key TEXT NOT NULL, conversation_id INTEGER NOT NULL,
  UNIQUE(set_id, unit_key)) STRICT;
CREATE INDEX batch_units_batch ON batch_units(batch_id, seq);

CREATE TABLE batch_unit_messages(
  unit_id INTEGER NOT NULL REFERENCES batch_units(id) ON DELETE CASCADE,
  message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  PRIMARY KEY(unit_id, message_id)) STRICT, WITHOUT ROWID;
CREATE INDEX batch_unit_messages_message ON batch_unit_messages(message_id);

CREATE TABLE qc_samples(
  id INTEGER PRIMARY KEY, set_id INTEGER NOT NULL REFERENCES batch_sets(id) ON DELETE CASCADE,
  unit_id INTEGER NOT NULL UNIQUE REFERENCES batch_units(id) ON DELETE CASCADE,
  reviewer TEXT NOT NULL, seed TEXT NOT NULL, sampled_by TEXT NOT NULL, sampled_at INTEGER NOT NULL,
  decision TEXT CHECK (decision IN ('confirmed','overturned')),
  decided_by TEXT, decided_at INTEGER,
  -- JSON: what an overturn changed (tags applied and removed, with their coding change ids).
  changes TEXT) STRICT;
CREATE INDEX qc_samples_set ON qc_samples(set_id, reviewer);
`,
};
