import type { Migration } from './types.ts';

/**
 * Coding layouts: tags belong to at most one group; a single-choice group's tags exclude each other
 * on a message (Responsive / Non-responsive), a required group must be answered before a message
 * counts as fully coded. Existing cases get the default "Responsiveness" group.
 */
export const tagGroups: Migration = {
  version: 5,
  name: 'tag-groups',
  up: `
CREATE TABLE tag_groups(
  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  choice TEXT NOT NULL CHECK (choice IN ('single','multi')),
  required INTEGER NOT NULL DEFAULT 0 CHECK (required IN (0,1))) STRICT;
ALTER TABLE tags ADD COLUMN group_id INTEGER REFERENCES tag_groups(id) ON DELETE SET NULL;
INSERT INTO tag_groups(name, choice, required) VALUES ('Responsiveness', 'single', 1);
UPDATE tags SET group_id = (SELECT id FROM tag_groups WHERE name = 'Responsiveness')
 WHERE builtin = 1 AND name IN ('Responsive', 'Non-responsive');
`,
};
