/** How a production's --query is matched: the search index's own evaluation (src/search). */
import { matchingMessageIds } from '../search/search.ts';
import type { QueryMatcher } from './select.ts';

/** Personal conversations are filtered by the selection itself, so search is asked for everything. */
export async function defaultQueryMatcher(): Promise<QueryMatcher> {
  return (session, query) => matchingMessageIds(session, query, { includePersonal: true });
}
