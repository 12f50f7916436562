import type { DB } from './connection.ts';
import type { SavedSearchReader, SavedSearchRow, SavedSearchWriter } from '../interface.ts';

export function savedSearchReader(db: DB): SavedSearchReader {
  return {
    all: () => db.prepare('SELECT * FROM saved_searches ORDER BY name COLLATE NOCASE').all() as SavedSearchRow[],
    get: (savedSearchId) => db.prepare('SELECT * FROM saved_searches WHERE id = ?').get(savedSearchId) as SavedSearchRow | undefined,
    nameTaken: (name) => db.prepare('SELECT name FROM saved_searches WHERE name = ? COLLATE NOCASE').pluck().get(name) as string | undefined,
  };
}

export function savedSearchWriter(db: DB): SavedSearchWriter {
  return {
    create: (s) =>
      Number(
        db.prepare('INSERT INTO saved_searches(name, query, sort, include_personal, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)')
          .run(s.name, s.query, s.sort, s.includePersonal ? 1 : 0, s.createdBy, s.createdAt).lastInsertRowid,
      ),
    delete: (savedSearchId) => {
      db.prepare('DELETE FROM saved_searches WHERE id = ?').run(savedSearchId);
    },
  };
}
