import { isoTime } from '../../api/dto.ts';
import { dataOf } from '../../case/data/index.ts';
import { matchingMessageIds, searchMessages } from '../../search/search.ts';
import { parseTermsFile, searchTerms } from '../../search/term-list.ts';
import type { NamespaceHandlers } from '../dispatch.ts';
import { searchFacets } from '../../review/facets.ts';
import { deleteSavedSearch, listSavedSearches, saveSearch } from '../../review/saved-searches.ts';

/** Hits beyond this in one conversation are counted but not listed. */
const IN_CONVERSATION_LISTED = 100_000;

export const searchHandlers: NamespaceHandlers<'search'> = {
  'search.query': (ctx, a) => searchMessages(ctx.session(), a),
  'search.inConversation': (ctx, a) => {
    const session = ctx.session();
    const ids = matchingMessageIds(session, a.query, { includePersonal: a.includePersonal });
    const rows = dataOf(session).read.messages.inConversation(a.conversationId, ids);
    return {
      total: rows.length,
      truncated: rows.length > IN_CONVERSATION_LISTED,
      items: rows.slice(0, IN_CONVERSATION_LISTED).map(([id, at]) => ({ id, sentAt: isoTime(at) ?? '' })),
    };
  },
  'search.facets': (ctx, a) => searchFacets(ctx.session(), a),
  'search.saved': (ctx) => listSavedSearches(ctx.session()),
  'search.save': (ctx, a) => {
    const r = saveSearch(ctx.session(), a);
    ctx.changed('searches');
    return r;
  },
  'search.deleteSaved': (ctx, a) => {
    const r = deleteSavedSearch(ctx.session(), a);
    ctx.changed('searches');
    return r;
  },
  // ExcelJS is loaded on first use, not when the app starts.
  'search.exportXlsx': async (ctx, a) => (await import('../../review/results-export.ts')).resultsXlsx(ctx.session(), a),
  'search.terms': (ctx, a) => searchTerms(ctx.session(), parseTermsFile(a.terms), { includePersonal: a.includePersonal }),
};
