import { z } from 'zod';
import { method } from '../contract.ts';
import type { FacetsDTO, JobStartedDTO, MessageHighlightsDTO, SavedSearchDTO, SearchResultDTO, TermReportDTO } from '../dto.ts';
import { id, noArgs } from './common.ts';

export const query = z.string().max(10_000);
/** Chosen by the caller to follow a search's progress (`search.progress` events) and to cancel it. */
const searchId = z.string().min(1).max(64);

export const searchMethods = {
  /** The query language; the exact total and one page of hits, each with a plain-text snippet and its highlight ranges. */
  'search.query': method<SearchResultDTO>()(
    z.strictObject({
      query,
      offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
      limit: z.number().int().min(0).max(1000).default(100),
      sort: z.enum(['relevance', 'time-asc', 'time-desc']).default('relevance'),
      includePersonal: z.boolean().default(false),
      searchId: searchId.optional(),
    }),
  ),
  /** Stops a search that is reading messages for a /regular expression/: it ends with CANCELLED (false when none runs under that id). */
  'search.cancel': method<boolean>()(z.strictObject({ searchId })),
  /** The query's hits in one conversation, in time order (for moving through them in the conversation view). */
  'search.inConversation': method<{ total: number; truncated: boolean; items: { id: number; sentAt: string }[] }>()(
    z.strictObject({ query, conversationId: id, includePersonal: z.boolean().default(true) }),
  ),
  /** Where the query lights up in the text of those of the messages it matches (the others are left out), ascending ids. */
  'search.highlights': method<MessageHighlightsDTO[]>()(
    z.strictObject({ query, messageIds: z.array(id).max(1000), includePersonal: z.boolean().default(true) }),
  ),
  /** Counts of the query's messages by custodian, platform, conversation, sender, tag and month. */
  'search.facets': method<FacetsDTO>()(z.strictObject({ query: query.min(1), includePersonal: z.boolean().default(false) })),
  /** Saved searches: named, stored in the case, shared; saving and deleting are audited (search.save, search.unsave). */
  'search.saved': method<SavedSearchDTO[]>()(noArgs),
  'search.save': method<SavedSearchDTO>()(
    z.strictObject({
      name: z.string().trim().min(1).max(200),
      query: query.min(1),
      sort: z.enum(['relevance', 'time-asc', 'time-desc']).default('relevance'),
      includePersonal: z.boolean().default(false),
    }),
  ),
  'search.deleteSaved': method<{ deleted: string }>()(z.strictObject({ savedSearchId: id })),
  /** The results (at most 10,000, in this order) as an XLSX spreadsheet for the team, base64-encoded. */
  'search.exportXlsx': method<{ name: string; rows: number; total: number; base64: string }>()(
    z.strictObject({ query: query.min(1), sort: z.enum(['relevance', 'time-asc', 'time-desc']).default('relevance'), includePersonal: z.boolean().default(false) }),
  ),
  /** Rebuilds the search index from the messages in a job (it is kept up to date on its own; this is for repairs). */
  'search.reindex': method<JobStartedDTO>()(noArgs),
  /** Term-list report: one query per line (blank lines and # comments skipped); with a `searchId`, progress and cancel as for search.query. */
  'search.terms': method<TermReportDTO>()(
    z.strictObject({ terms: z.string().max(1_000_000), includePersonal: z.boolean().default(false), searchId: searchId.optional() }),
  ),
};
