/**
 * Saved searches: named queries stored in the case, so everyone who opens it shares them. Creating
 * and deleting one is audited with its query; the query is checked when it is saved, so a saved
 * search never fails to run for a syntax error.
 */
import type { SavedSearchDTO, SearchSort } from '../api/dto.ts';
import { HoldfastError } from '../api/errors.ts';
import type { CaseSession } from '../case/session.ts';
import { appendAudit } from '../case/audit.ts';
import { parseQuery } from '../search/query-parser.ts';

interface Row {
  id: number;
  name: string;
  query: string;
  sort: SearchSort;
  include_personal: number;
  created_by: string;
  created_at: number;
}

function toDto(r: Row): SavedSearchDTO {
  return { id: r.id, name: r.name, query: r.query, sort: r.sort, includePersonal: r.include_personal === 1, createdBy: r.created_by, createdAt: new Date(r.created_at).toISOString() };
}

export function listSavedSearches(session: CaseSession): SavedSearchDTO[] {
  return (session.db.prepare('SELECT * FROM saved_searches ORDER BY name COLLATE NOCASE').all() as Row[]).map(toDto);
}

export function saveSearch(session: CaseSession, args: { name: string; query: string; sort?: SearchSort; includePersonal?: boolean }): SavedSearchDTO {
  const name = args.name.trim();
  const query = args.query.trim();
  if (!name) throw new HoldfastError('VALIDATION', 'A saved search needs a name.');
  parseQuery(query);
  const db = session.db;
  return db.transaction(() => {
    const clash = db.prepare('SELECT name FROM saved_searches WHERE name = ? COLLATE NOCASE').pluck().get(name) as string | undefined;
    if (clash) throw new HoldfastError('VALIDATION', `There is already a saved search named "${clash}".`, { name });
    const at = Date.now();
    const id = Number(
      db.prepare('INSERT INTO saved_searches(name, query, sort, include_personal, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(name, query, args.sort ?? 'relevance', args.includePersonal ? 1 : 0, session.actor, at).lastInsertRowid,
    );
    const row = db.prepare('SELECT * FROM saved_searches WHERE id = ?').get(id) as Row;
    appendAudit(db, session.actor, 'search.save', { savedSearchId: id, before: null, after: { name, query, sort: row.sort, includePersonal: row.include_personal === 1 } }, at);
    return toDto(row);
  })();
}

export function deleteSavedSearch(session: CaseSession, args: { savedSearchId: number }): { deleted: string } {
  const db = session.db;
  return db.transaction(() => {
    const row = db.prepare('SELECT * FROM saved_searches WHERE id = ?').get(args.savedSearchId) as Row | undefined;
    if (!row) throw new HoldfastError('NOT_FOUND', `No saved search with id ${args.savedSearchId} in this case.`, { savedSearchId: args.savedSearchId });
    db.prepare('DELETE FROM saved_searches WHERE id = ?').run(row.id);
    appendAudit(db, session.actor, 'search.unsave', { savedSearchId: row.id, before: { name: row.name, query: row.query, sort: row.sort, includePersonal: row.include_personal === 1 }, after: null });
    return { deleted: row.name };
  })();
}
