import type { Migration } from './types.ts';

/**
 * Offline check-out of a review batch (src/review/batches/offline/): the batch remembers the check-out
 * its file belongs to (`offline_checkout`, null when checked out online or not at all), and the
 * coding conflicts its check-in found (both sides changed one tag group, field or review mark of a
 * message) are kept for the project manager, with both values, who and when, and which side won.
 */
export const offlineCheckout: Migration = {
  version: 10,
  name: 'offline-checkout',
  up: `
ALTER TABLE batches ADD COLUMN offline_checkout TEXT;

CREATE TABLE batch_conflicts(
  id INTEGER PRIMARY KEY,
  set_id INTEGER NOT NULL REFERENCES batch_sets(id) ON DELETE CASCADE,
  batch_id INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
  checkout TEXT NOT NULL,
  message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  -- 'group:ID', 'tag:ID' (a tag in no group), 'field:ID' or 'review'; label: its name at the check-in.
  slot TEXT NOT NULL, label TEXT NOT NULL,
  -- JSON values as people read them: tag names, a field's value or null, the review mark true/false.
  base TEXT NOT NULL, offline TEXT NOT NULL, server TEXT NOT NULL,
  offline_by TEXT NOT NULL, offline_at INTEGER NOT NULL, server_by TEXT NOT NULL, server_at INTEGER NOT NULL,
  winner TEXT NOT NULL CHECK (winner IN ('offline','server')),
  recorded_at INTEGER NOT NULL) STRICT;
CREATE INDEX batch_conflicts_batch ON batch_conflicts(batch_id, message_id);
CREATE INDEX batch_conflicts_set ON batch_conflicts(set_id);
`,
};
