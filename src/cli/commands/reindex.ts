import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { awaitJob, positional, printJson, withApi } from '../io.ts';
import type { ReindexResultDTO } from '../../api/dto.ts';

export const reindexCommand: Command = {
  name: 'reindex',
  usage: 'reindex CASE [--json]',
  summary: 'Rebuild the search index from the messages (it is kept up to date on its own; this is for repairs).',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
    const file = positional(positionals, 0, 'CASE');
    const result = await withApi(ctx, file, async (api) =>
      awaitJob<ReindexResultDTO>(ctx, api, (await api.call('search.reindex', {})).jobId, (p) => `indexing ${p.items} messages`),
    );
    if (values.json) printJson(ctx, result);
    else ctx.stdout.write(`Indexed ${result.messages} messages (${result.terms} terms) in ${result.tookMs} ms.\n`);
    return 0;
  },
};
