import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { checkedActor, passphrase, positional, printJson, runCliJob } from '../io.ts';
import type { ReindexResult } from '../../search/index-manager.ts';

export const reindexCommand: Command = {
  name: 'reindex',
  usage: 'reindex CASE [--json]',
  summary: 'Rebuild the search index from the messages (it is kept up to date on its own; this is for repairs).',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
    const file = positional(positionals, 0, 'CASE');
    const key = await passphrase(ctx);
    const actor = checkedActor(file, key);
    const result = await runCliJob<ReindexResult>(ctx, { kind: 'reindex', casePath: file, params: {}, actor }, key, (p) => `indexing ${p.items} messages`);
    if (values.json) printJson(ctx, result);
    else ctx.stdout.write(`Indexed ${result.messages} messages (${result.terms} terms) in ${result.tookMs} ms.\n`);
    return 0;
  },
};
