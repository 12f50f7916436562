import type { Migration } from './types.ts';

/**
 * The first schema. Every row that an import writes carries `run_id`, so an interrupted run is
 * removed with one DELETE per table. Times are UTC milliseconds. What each table means: docs/SCHEMA.md.
 */
export const initial: Migration = {
  version: 1,
  name: 'initial',
  up: `
CREATE TABLE case_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

CREATE TABLE custodians(
  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL) STRICT;

CREATE TABLE sources(
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL, name TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL UNIQUE,
  format TEXT NOT NULL, importer_version TEXT NOT NULL,
  custodian_id INTEGER REFERENCES custodians(id),
  tz TEXT NOT NULL, date_order TEXT, options TEXT NOT NULL DEFAULT '{}',
  imported_at INTEGER NOT NULL, run_id INTEGER NOT NULL) STRICT;

CREATE TABLE import_runs(
  id INTEGER PRIMARY KEY, source_path TEXT NOT NULL, source_sha256 TEXT NOT NULL,
  importer TEXT NOT NULL, importer_version TEXT NOT NULL,
  started_at INTEGER NOT NULL, finished_at INTEGER,
  status TEXT NOT NULL CHECK (status IN ('running','complete','failed','interrupted','cancelled')),
  pid INTEGER, stats TEXT NOT NULL DEFAULT '{}',
  -- Highest message id ever used when the run began (the write lock keeps other runs out), so a
  -- rollback finds the run's messages by id range instead of a run_id index every insert would pay for.
  messages_after INTEGER NOT NULL DEFAULT 0) STRICT;

CREATE TABLE source_files(
  id INTEGER PRIMARY KEY, source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  inner_path TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL, run_id INTEGER NOT NULL) STRICT;

CREATE TABLE participants(
  id INTEGER PRIMARY KEY, display_name TEXT NOT NULL, created_at INTEGER NOT NULL) STRICT;

CREATE TABLE handles(
  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, value TEXT NOT NULL, display TEXT,
  participant_id INTEGER REFERENCES participants(id), run_id INTEGER,
  UNIQUE(kind, value)) STRICT;

CREATE TABLE conversations(
  id INTEGER PRIMARY KEY, platform TEXT NOT NULL, external_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('direct','group','channel')), name TEXT,
  personal INTEGER NOT NULL DEFAULT 0, run_id INTEGER,
  UNIQUE(platform, external_id)) STRICT;

CREATE TABLE conversation_names(
  conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  name TEXT NOT NULL, from_at INTEGER, run_id INTEGER,
  UNIQUE(conversation_id, name, from_at)) STRICT;

CREATE TABLE conversation_members(
  conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  handle_id INTEGER NOT NULL REFERENCES handles(id), joined_at INTEGER, left_at INTEGER, run_id INTEGER,
  UNIQUE(conversation_id, handle_id)) STRICT;

CREATE TABLE messages(
  -- AUTOINCREMENT: ids are never reused after a rollback, so the search index can trust them.
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  conversation_id INTEGER NOT NULL REFERENCES conversations(id),
  sender_handle_id INTEGER REFERENCES handles(id),
  sent_at INTEGER NOT NULL, raw_time TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('message','system')), system_type TEXT,
  text TEXT NOT NULL, subject TEXT,
  reply_to_id INTEGER REFERENCES messages(id) ON DELETE SET NULL,
  edited INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0,
  direction TEXT NOT NULL CHECK (direction IN ('in','out','unknown')),
  forwarded_from TEXT,
  external_id TEXT,
  fingerprint TEXT NOT NULL, content_sha256 TEXT NOT NULL,
  -- The fingerprint's first 52 bits (fingerprintKey): dedupe looks this small key up (a 32-char TEXT UNIQUE index
  -- cost a fifth of the insert rate) and compares the full fingerprint on a hit.
  fingerprint_key INTEGER NOT NULL,
  run_id INTEGER NOT NULL, source_id INTEGER NOT NULL REFERENCES sources(id), locator TEXT NOT NULL) STRICT;
CREATE INDEX messages_fingerprint ON messages(fingerprint_key);
-- kind makes it covering for per-conversation counts and review units.
CREATE INDEX messages_conversation_time ON messages(conversation_id, sent_at, kind);
CREATE INDEX messages_time ON messages(sent_at);
CREATE INDEX messages_sender ON messages(sender_handle_id);
-- Threads, and the ON DELETE SET NULL lookup when a message is deleted.
CREATE INDEX messages_reply ON messages(reply_to_id) WHERE reply_to_id IS NOT NULL;

CREATE TABLE message_occurrences(
  message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  source_id INTEGER NOT NULL REFERENCES sources(id),
  custodian_id INTEGER REFERENCES custodians(id), locator TEXT NOT NULL, run_id INTEGER NOT NULL,
  PRIMARY KEY(message_id, source_id)) STRICT, WITHOUT ROWID;
-- A run writes exactly one source, so its occurrences are found by source (no run_id index).
CREATE INDEX occurrences_custodian ON message_occurrences(custodian_id, message_id);
CREATE INDEX occurrences_source ON message_occurrences(source_id, message_id);

CREATE TABLE message_edits(
  message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL, edited_at INTEGER, text TEXT NOT NULL, run_id INTEGER,
  PRIMARY KEY(message_id, seq)) STRICT;

CREATE TABLE reactions(
  id INTEGER PRIMARY KEY,
  message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  handle_id INTEGER REFERENCES handles(id), value TEXT NOT NULL, at INTEGER,
  removed INTEGER NOT NULL DEFAULT 0, run_id INTEGER, locator TEXT,
  UNIQUE(message_id, handle_id, value, at)) STRICT;

CREATE TABLE blobs(
  sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, mime TEXT, chunks INTEGER NOT NULL, run_id INTEGER) STRICT;
CREATE TABLE blob_chunks(
  sha256 TEXT NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL,
  PRIMARY KEY(sha256, seq)) STRICT, WITHOUT ROWID;

CREATE TABLE attachments(
  id INTEGER PRIMARY KEY,
  message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL, name TEXT NOT NULL, mime TEXT, size INTEGER,
  sha256 TEXT REFERENCES blobs(sha256), missing_reason TEXT, run_id INTEGER, locator TEXT) STRICT;
CREATE INDEX attachments_message ON attachments(message_id);
CREATE INDEX attachments_blob ON attachments(sha256);

CREATE TABLE tags(
  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  kind TEXT NOT NULL DEFAULT 'coding' CHECK (kind IN ('coding','issue','privilege')),
  color TEXT, shortcut INTEGER CHECK (shortcut BETWEEN 0 AND 9),
  builtin INTEGER NOT NULL DEFAULT 0) STRICT;
CREATE UNIQUE INDEX tags_shortcut ON tags(shortcut) WHERE shortcut IS NOT NULL;
-- The default tag set every case starts with (keyboard shortcuts 1..5).
INSERT INTO tags(name, kind, color, shortcut, builtin) VALUES
  ('Responsive', 'coding', '#2e7d32', 1, 1),
  ('Non-responsive', 'coding', '#757575', 2, 1),
  ('Privileged', 'privilege', '#6a1b9a', 3, 1),
  ('Hot', 'issue', '#c62828', 4, 1),
  ('Needs redaction', 'issue', '#ef6c00', 5, 1);
CREATE TABLE message_tags(
  message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
  by TEXT NOT NULL, at INTEGER NOT NULL, basis TEXT,
  PRIMARY KEY(message_id, tag_id)) STRICT;
CREATE INDEX message_tags_tag ON message_tags(tag_id, message_id);

CREATE TABLE notes(
  id INTEGER PRIMARY KEY,
  message_id INTEGER REFERENCES messages(id) ON DELETE CASCADE,
  conversation_id INTEGER REFERENCES conversations(id) ON DELETE CASCADE,
  by TEXT NOT NULL, at INTEGER NOT NULL, text TEXT NOT NULL,
  CHECK ((message_id IS NULL) <> (conversation_id IS NULL))) STRICT;
CREATE INDEX notes_message ON notes(message_id) WHERE message_id IS NOT NULL;
CREATE INDEX notes_conversation ON notes(conversation_id) WHERE conversation_id IS NOT NULL;

CREATE TABLE holds(
  id INTEGER PRIMARY KEY, name TEXT NOT NULL, matter TEXT, reason TEXT,
  created_by TEXT NOT NULL, created_at INTEGER NOT NULL,
  released_at INTEGER, released_by TEXT, release_reason TEXT,
  scope TEXT NOT NULL) STRICT;
CREATE TABLE hold_items(
  hold_id INTEGER NOT NULL REFERENCES holds(id),
  message_id INTEGER NOT NULL REFERENCES messages(id),
  PRIMARY KEY(hold_id, message_id)) STRICT, WITHOUT ROWID;
CREATE INDEX hold_items_message ON hold_items(message_id);

CREATE TABLE retention_policies(
  -- keep: a period from the sent date, '90d', '18m' or '7y' (calendar months and years, not fixed days).
  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, keep TEXT NOT NULL, scope TEXT NOT NULL DEFAULT '{}',
  created_by TEXT NOT NULL, created_at INTEGER NOT NULL) STRICT;

CREATE TABLE productions(
  id INTEGER PRIMARY KEY, name TEXT NOT NULL, definition TEXT NOT NULL, format TEXT NOT NULL,
  bates_prefix TEXT, bates_first TEXT, bates_last TEXT, out_dir TEXT NOT NULL,
  created_by TEXT NOT NULL, created_at INTEGER NOT NULL, manifest TEXT, manifest_sha256 TEXT,
  status TEXT NOT NULL DEFAULT 'running') STRICT;
CREATE TABLE production_items(
  production_id INTEGER NOT NULL REFERENCES productions(id) ON DELETE CASCADE,
  message_id INTEGER NOT NULL, bates TEXT, file TEXT, context INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY(production_id, message_id)) STRICT, WITHOUT ROWID;

-- Non-destructive redaction marks: the stored text never changes; productions leave the span out.
-- start/end are UTF-16 code-unit offsets into messages.text; both NULL = the whole message.
CREATE TABLE redactions(
  id INTEGER PRIMARY KEY,
  message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  start INTEGER, "end" INTEGER, reason TEXT NOT NULL, by TEXT NOT NULL, at INTEGER NOT NULL,
  CHECK ((start IS NULL AND "end" IS NULL) OR (start >= 0 AND "end" > start))) STRICT;
CREATE INDEX redactions_message ON redactions(message_id);

CREATE TABLE audit_log(
  seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
  details TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL) STRICT;
CREATE INDEX audit_action ON audit_log(action);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- The search index (src/search/README.md): binary chunks, encrypted with the rest of the case.
CREATE TABLE search_index_chunks(key TEXT PRIMARY KEY, data BLOB NOT NULL) STRICT;

CREATE TABLE jobs(
  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, params TEXT NOT NULL, state TEXT NOT NULL,
  progress REAL NOT NULL DEFAULT 0, started_at INTEGER NOT NULL, finished_at INTEGER, error TEXT) STRICT;

CREATE TABLE case_lock(
  id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, thread INTEGER NOT NULL DEFAULT 0, host TEXT NOT NULL,
  purpose TEXT NOT NULL, acquired_at INTEGER NOT NULL) STRICT;
`,
};
