import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { positional, printJson, UsageError, withApi } from '../io.ts';
import { ENTITY_KINDS } from '../../enrich/codes.ts';
import type { EntityKind } from '../../enrich/codes.ts';
import { optional } from './review-options.ts';

export const enrichCommand: Command = {
  name: 'enrich',
  usage: 'enrich CASE [--json]',
  summary: 'Detect the language and entities of every message not enriched yet (imports do this themselves).',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
    const file = positional(positionals, 0, 'CASE');
    const result = await withApi(ctx, file, (api) => api.call('enrich.pending', {}));
    if (values.json) printJson(ctx, result);
    else ctx.stdout.write(`Enriched ${result.messages} messages.\n`);
    return 0;
  },
};

export const entitiesCommand: Command = {
  name: 'entities',
  usage: `entities CASE [--kind ${ENTITY_KINDS.join('|')}] [--value V] [--json]`,
  summary: 'Which entity (phone, email, IBAN, ...) appears in which conversations, with counts.',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { kind: { type: 'string' }, value: { type: 'string' }, json: { type: 'boolean' } } });
    const file = positional(positionals, 0, 'CASE');
    const kind = values.kind as EntityKind | undefined;
    if (kind !== undefined && !ENTITY_KINDS.includes(kind)) throw new UsageError(`--kind takes ${ENTITY_KINDS.join(', ')}, not "${values.kind}"`);
    const list = (await withApi(ctx, file, (api) => api.call('enrich.entities', optional({ kind, value: values.value })))).items;
    if (values.json) printJson(ctx, list);
    else {
      for (const e of list) {
        ctx.stdout.write(`${e.kind.padEnd(6)}  ${e.value}  ${e.messages} messages in ${e.conversations.map((c) => `${c.conversation} (${c.messages})`).join(', ')}\n`);
      }
    }
    return 0;
  },
};
