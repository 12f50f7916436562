import type { Bridge } from './bridge.ts';
import type { SavedSearchReader, SavedSearchRow, SavedSearchWriter } from '../interface.ts';

export function savedSearchReader(b: Bridge): SavedSearchReader {
  return {
    all: () => b.all<SavedSearchRow>('SELECT * FROM saved_searches ORDER BY lower(name), id'),
    get: (savedSearchId) => b.get<SavedSearchRow>('SELECT * FROM saved_searches WHERE id = $1', [savedSearchId]),
    nameTaken: (name) => b.value<string>('SELECT name FROM saved_searches WHERE lower(name) = lower($1)', [name]),
  };
}

export function savedSearchWriter(b: Bridge): SavedSearchWriter {
  return {
    create: (s) =>
      b.value<number>('INSERT INTO saved_searches(name, query, sort, include_personal, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id', [
        s.name, s.query, s.sort, s.includePersonal ? 1 : 0, s.createdBy, s.createdAt,
      ])!,
    delete: (savedSearchId) => {
      b.run('DELETE FROM saved_searches WHERE id = $1', [savedSearchId]);
    },
  };
}
