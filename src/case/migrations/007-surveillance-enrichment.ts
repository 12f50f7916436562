import type { Migration } from './types.ts';

/**
 * Standing lexicon surveillance (policies of search-language terms, the alerts they raise, their
 * dispositions) and what enrichment derives from messages: entities, the language of each message,
 * and text recognised in image attachments (OCR), kept apart from what the sender wrote.
 */
export const surveillanceEnrichment: Migration = {
  version: 7,
  name: 'surveillance-enrichment',
  up: `
CREATE TABLE surveillance_policies(
  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE, description TEXT,
  -- JSON array of queries in the search language; a message matching any of them raises an alert.
  terms TEXT NOT NULL,
  -- JSON {custodians?, platforms?, from?, to?} (ISO times): which messages the policy watches.
  scope TEXT NOT NULL DEFAULT '{}',
  -- 1 for the starter lexicons: examples to edit, not a vetted standard.
  example INTEGER NOT NULL DEFAULT 0 CHECK (example IN (0,1)),
  enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0,1)),
  created_by TEXT NOT NULL, created_at INTEGER NOT NULL) STRICT;

CREATE TABLE surveillance_alerts(
  id INTEGER PRIMARY KEY,
  policy_id INTEGER NOT NULL REFERENCES surveillance_policies(id) ON DELETE CASCADE,
  message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  term TEXT NOT NULL,
  -- The import that raised it (the policy ran on what it brought); NULL for a run on demand.
  source_id INTEGER REFERENCES sources(id),
  raised_at INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','escalated','false-positive')),
  reason TEXT, disposed_by TEXT, disposed_at INTEGER,
  UNIQUE(policy_id, message_id)) STRICT;
CREATE INDEX surveillance_alerts_status ON surveillance_alerts(status, policy_id);
CREATE INDEX surveillance_alerts_message ON surveillance_alerts(message_id);

-- Entities found in a message's text (src/enrich): value normalised (E.164, lower-case email, IBAN without spaces, ...).
CREATE TABLE message_entities(
  message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('phone','email','url','iban','card','amount','isin')),
  value TEXT NOT NULL,
  PRIMARY KEY(message_id, kind, value)) STRICT, WITHOUT ROWID;
CREATE INDEX message_entities_value ON message_entities(kind, value);

-- The language of each enriched message (ISO 639-3; 'und' when too short or unclear). A row marks the message enriched.
CREATE TABLE message_languages(
  message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
  lang TEXT NOT NULL) STRICT;
CREATE INDEX message_languages_lang ON message_languages(lang);

-- Text recognised in an image attachment: derived, never what the sender wrote. Engine, its version, the
-- language data's SHA-256 and the confidence make the result reproducible and explainable.
CREATE TABLE attachment_text(
  attachment_id INTEGER PRIMARY KEY REFERENCES attachments(id) ON DELETE CASCADE,
  text TEXT NOT NULL, engine TEXT NOT NULL, engine_version TEXT NOT NULL, lang TEXT NOT NULL,
  data_sha256 TEXT NOT NULL, confidence REAL NOT NULL, recognised_at INTEGER NOT NULL) STRICT;
`,
};
