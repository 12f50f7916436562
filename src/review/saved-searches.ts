/**
 * Saved searches: named queries stored in the case, so everyone who opens it shares them. Creating
 * and deleting one is audited with its query; the query is checked when it is saved, so a saved
 * search never fails to run for a syntax error.
 */
import type { SavedSearchDTO, SearchSort } from '../api/dto.ts';
import { HoldfastError } from '../api/errors.ts';
import type { CaseSession } from '../case/session.ts';
import { appendAudit } from '../case/audit.ts';
import { dataOf } from '../case/data/index.ts';
import type { SavedSearchRow } from '../case/data/interface.ts';
import { parseQuery } from '../search/query-parser.ts';

function toDto(r: SavedSearchRow): SavedSearchDTO {
  return { id: r.id, name: r.name, query: r.query, sort: r.sort as SearchSort, includePersonal: r.include_personal === 1, createdBy: r.created_by, createdAt: new Date(r.created_at).toISOString() };
}

export function listSavedSearches(session: CaseSession): SavedSearchDTO[] {
  return dataOf(session).read.savedSearches.all().map(toDto);
}

export function saveSearch(session: CaseSession, args: { name: string; query: string; sort?: SearchSort; includePersonal?: boolean }): SavedSearchDTO {
  const name = args.name.trim();
  const query = args.query.trim();
  if (!name) throw new HoldfastError('VALIDATION', 'A saved search needs a name.');
  parseQuery(query);
  const data = dataOf(session);
  const { read, write } = dataOf(session);
  return data.write.transaction.run(() => {
    const clash = read.savedSearches.nameTaken(name);
    if (clash) throw new HoldfastError('VALIDATION', `There is already a saved search named "${clash}".`, { name });
    const at = Date.now();
    const id = write.savedSearches.create({ name, query, sort: args.sort ?? 'relevance', includePersonal: !!args.includePersonal, createdBy: session.actor, createdAt: at });
    const row = read.savedSearches.get(id)!;
    appendAudit(dataOf(session), session.actor, 'search.save', { savedSearchId: id, before: null, after: { name, query, sort: row.sort, includePersonal: row.include_personal === 1 } }, at);
    return toDto(row);
  });
}

export function deleteSavedSearch(session: CaseSession, args: { savedSearchId: number }): { deleted: string } {
  const data = dataOf(session);
  const { read, write } = dataOf(session);
  return data.write.transaction.run(() => {
    const row = read.savedSearches.get(args.savedSearchId);
    if (!row) throw new HoldfastError('NOT_FOUND', `No saved search with id ${args.savedSearchId} in this case.`, { savedSearchId: args.savedSearchId });
    write.savedSearches.delete(row.id);
    appendAudit(dataOf(session), session.actor, 'search.unsave', { savedSearchId: row.id, before: { name: row.name, query: row.query, sort: row.sort, includePersonal: row.include_personal === 1 }, after: null });
    return { deleted: row.name };
  });
}
