import type { Migration } from './types.ts';

/**
 * Review status: a message is reviewed when it carries a coding or privilege tag, or when a
 * reviewer marked it reviewed (read, nothing to code); `message_reviews` holds those marks.
 * Saved searches: named queries shared by everyone working in the case.
 */
export const reviewsSavedSearches: Migration = {
  version: 6,
  name: 'reviews-saved-searches',
  up: `
CREATE TABLE message_reviews(
  message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
  by TEXT NOT NULL, at INTEGER NOT NULL) STRICT;
CREATE TABLE saved_searches(
  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE, query TEXT NOT NULL,
  sort TEXT NOT NULL DEFAULT 'relevance', include_personal INTEGER NOT NULL DEFAULT 0 CHECK (include_personal IN (0,1)),
  created_by TEXT NOT NULL, created_at INTEGER NOT NULL) STRICT;
`,
};
