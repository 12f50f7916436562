import { isoTime } from '../../api/dto.ts';
import { dataOf } from '../../case/data/index.ts';
import { matchingMessageIds, messageHighlights, scanRegexes, searchMessages } from '../../search/search.ts';
import type { AppContext } from '../app-context.ts';
import type { ScanOptions } from '../../search/regex-scan.ts';
import { parseTermsFile, searchTerms } from '../../search/term-list.ts';
import type { NamespaceHandlers } from '../dispatch.ts';
import { searchFacets } from '../../review/facets.ts';
import { deleteSavedSearch, listSavedSearches, saveSearch } from '../../review/saved-searches.ts';

/** Hits beyond this in one conversation are counted but not listed. */
const IN_CONVERSATION_LISTED = 100_000;

/** Searches reading messages for a /regular expression/ now, by the caller's search id. */
const scanning = new Map<string, AbortController>();

/**
 * Runs `fn` with scan options that send `search.progress` events at most ten times a second when
 * the caller gave a search id, and that `search.cancel` with that id stops. On a case file a long
 * scan may read in a second thread, which opens the file with the passphrase the jobs' workers get.
 */
async function withScan<T>(ctx: AppContext, searchId: string | undefined, fn: (scan: ScanOptions) => T | Promise<T>, onWarning?: (message: string) => void): Promise<T> {
  const abort = new AbortController();
  const target = ctx.jobTarget();
  const caseFile = 'file' in target.case && target.secret ? { path: target.case.file, passphrase: target.secret } : undefined;
  if (searchId) {
    scanning.get(searchId)?.abort();
    scanning.set(searchId, abort);
  }
  let last = 0;
  try {
    return await fn({
      signal: abort.signal,
      ...(caseFile ? { caseFile } : {}),
      ...(onWarning ? { onWarning } : {}),
      onProgress: (done, total) => {
        const now = performance.now();
        if (!searchId || (now - last < 100 && done < total)) return;
        last = now;
        ctx.events.emit('search.progress', { searchId, done, total });
      },
    });
  } finally {
    if (searchId && scanning.get(searchId) === abort) scanning.delete(searchId);
  }
}

/**
 * Reads what the query's /regular expressions/ need without blocking the app (other requests and
 * events go through). Then the query answers from what was read.
 */
async function scanFirst(ctx: AppContext, query: string, includePersonal: boolean, searchId?: string): Promise<string[]> {
  const warnings: string[] = [];
  await withScan(ctx, searchId, (scan) => scanRegexes(ctx.session(), query, includePersonal, scan), (w) => warnings.push(w));
  return warnings;
}

export const searchHandlers: NamespaceHandlers<'search'> = {
  'search.query': async (ctx, { searchId, ...req }) => {
    const started = performance.now();
    const scanWarnings = await scanFirst(ctx, req.query, req.includePersonal, searchId);
    const result = searchMessages(ctx.session(), req);
    // The time the user waited, reading for a /regex/ included.
    return { ...result, warnings: [...result.warnings, ...scanWarnings], tookMs: Math.round((performance.now() - started) * 10) / 10 };
  },
  'search.cancel': (_ctx, a) => {
    const abort = scanning.get(a.searchId);
    abort?.abort();
    return abort !== undefined;
  },
  'search.inConversation': async (ctx, a) => {
    await scanFirst(ctx, a.query, a.includePersonal);
    const session = ctx.session();
    const ids = matchingMessageIds(session, a.query, { includePersonal: a.includePersonal });
    const rows = dataOf(session).read.messages.inConversation(a.conversationId, ids);
    return {
      total: rows.length,
      truncated: rows.length > IN_CONVERSATION_LISTED,
      items: rows.slice(0, IN_CONVERSATION_LISTED).map(([id, at]) => ({ id, sentAt: isoTime(at) ?? '' })),
    };
  },
  // At most 1,000 messages: a /regex/ among them is read at once.
  'search.highlights': (ctx, a) => messageHighlights(ctx.session(), a.query, a.messageIds, a.includePersonal),
  'search.facets': async (ctx, a) => {
    await scanFirst(ctx, a.query, a.includePersonal);
    return searchFacets(ctx.session(), a);
  },
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
  'search.reindex': (ctx) => ({ jobId: ctx.jobs.start('reindex', 'Rebuild the search index', {}, ctx.jobTarget()).id }),
  'search.terms': (ctx, { searchId, ...a }) =>
    withScan(ctx, searchId, (scan) => searchTerms(ctx.session(), parseTermsFile(a.terms), { includePersonal: a.includePersonal, scan })),
};
