/** How a production's --query is matched: review's one bridge to search (src/review/query.ts). */
import { queryMessageIds } from '../review/query.ts';
import type { QueryMatcher } from './select.ts';

/** Personal conversations are filtered by the selection itself, so search is asked for everything. */
export async function defaultQueryMatcher(): Promise<QueryMatcher> {
  return (session, query) => queryMessageIds(session, query, { includePersonal: true });
}
