import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { intOption, positional, printJson, progressPrinter, UsageError, withApi } from '../io.ts';
import { markedText } from '../../search/snippet.ts';
import type { SearchSort } from '../../api/dto.ts';

const SORTS = ['relevance', 'time-asc', 'time-desc'] as const;
/** The CLI's page when --limit is not given (the API's cap applies to --limit). */
const CLI_PAGE = 50;
/** The name this run's search has for its progress events and its cancellation. */
const SEARCH_ID = 'cli';

export const searchCommand: Command = {
  name: 'search',
  usage: 'search CASE QUERY [--limit N] [--offset N] [--sort relevance|time-asc|time-desc] [--include-personal] [--json]',
  summary: 'Full-text search with the query language: words, "phrases", prefix*, OR, NOT/-, (), w/N pre/N, fuzzy~, stem:, /regex/, and fields (docs/CLI.md).',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true,
      options: {
        limit: { type: 'string' }, offset: { type: 'string' }, sort: { type: 'string' },
        'include-personal': { type: 'boolean' }, json: { type: 'boolean' },
      },
    });
    const file = positional(positionals, 0, 'CASE');
    if (positionals.length > 2) throw new UsageError('put the whole query in one argument (quote it): holdfast search CASE \'from:"Jane Doe" contract\'');
    const query = positional(positionals, 1, 'QUERY');
    const sort = values.sort ?? 'relevance';
    if (!(SORTS as readonly string[]).includes(sort)) throw new UsageError(`--sort is one of ${SORTS.join(', ')}`);
    const limit = intOption(values.limit, 'limit');
    const offset = intOption(values.offset, 'offset');
    const progress = progressPrinter(ctx);
    const result = await withApi(ctx, file, async (api) => {
      const stop = api.on('search.progress', (e) => progress(`regular expression: ${e.done}/${e.total} messages`));
      const onAbort = () => void api.call('search.cancel', { searchId: SEARCH_ID });
      ctx.signal.addEventListener('abort', onAbort);
      try {
        return await api.call('search.query', {
          query, sort: sort as SearchSort, includePersonal: values['include-personal'] ?? false, searchId: SEARCH_ID,
          limit: limit ?? CLI_PAGE, ...(offset !== undefined ? { offset } : {}),
        });
      } finally {
        ctx.signal.removeEventListener('abort', onAbort);
        stop();
      }
    });
    progress('');
    if (values.json) {
      printJson(ctx, result);
      return 0;
    }
    const ansi = (ctx.stdout as NodeJS.WritableStream & { isTTY?: boolean }).isTTY === true;
    ctx.stdout.write(`${result.total} message${result.total === 1 ? '' : 's'} (${result.tookMs} ms)${result.total > result.hits.length ? `; showing ${result.offset + 1}-${result.offset + result.hits.length}` : ''}\n`);
    for (const w of result.warnings) ctx.stdout.write(`  note: ${w}\n`);
    for (const e of result.expansions ?? []) ctx.stdout.write(`  ${e.operand} → ${e.terms.join(' ')}${e.more ? ` (+${e.more} more)` : ''}\n`);
    for (const h of result.hits) {
      ctx.stdout.write(`${h.sentAt}  #${h.messageId} [${h.conversation}] ${h.sender ?? '(system)'}: ${markedText(h.snippet, h.highlights, ansi)}\n`);
    }
    return 0;
  },
};
