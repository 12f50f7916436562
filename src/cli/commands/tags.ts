import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { intOption, positional, printJson, UsageError, withApi } from '../io.ts';
import { TAG_KINDS } from '../../review/tags.ts';
import type { TagKind } from '../../review/tags.ts';
import { oneId, optional } from './review-options.ts';

function kindOption(value: string | undefined): TagKind | undefined {
  if (value === undefined) return undefined;
  if (!(TAG_KINDS as readonly string[]).includes(value)) throw new UsageError(`--kind is one of ${TAG_KINDS.join(', ')}`);
  return value as TagKind;
}

export const tagsCommand: Command = {
  name: 'tags',
  usage: 'tags CASE [list] | create NAME [--kind coding|issue|privilege] [--color #RRGGBB] [--shortcut 0-9] | update TAG_ID [--name N] [--color C] [--shortcut K] | delete TAG_ID  [--json]',
  summary: 'The tag set: the defaults (keys 1-5) and custom tags, with how many messages carry each.',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true,
      options: { kind: { type: 'string' }, color: { type: 'string' }, shortcut: { type: 'string' }, name: { type: 'string' }, json: { type: 'boolean' } },
    });
    const file = positional(positionals, 0, 'CASE');
    const action = positionals[1] ?? 'list';
    const shortcut = intOption(values.shortcut, 'shortcut');
    const result = await withApi(ctx, file, async (api) => {
      switch (action) {
        case 'list':
          return api.call('tags.list', {});
        case 'create':
          return api.call('tags.create', { name: positional(positionals, 2, 'NAME'), ...optional({ kind: kindOption(values.kind), color: values.color, shortcut }) });
        case 'update':
          return api.call('tags.update', { tagId: oneId(positional(positionals, 2, 'TAG_ID'), 'tag id')!, ...optional({ name: values.name, kind: kindOption(values.kind), color: values.color, shortcut }) });
        case 'delete':
          return api.call('tags.delete', { tagId: oneId(positional(positionals, 2, 'TAG_ID'), 'tag id')! });
        default:
          throw new UsageError(`unknown tags action "${action}" (list, create, update, delete)`);
      }
    });
    if (values.json) printJson(ctx, result);
    else if (Array.isArray(result)) {
      for (const t of result) ctx.stdout.write(`${String(t.id).padStart(4)}  ${t.shortcut ?? ' '}  ${t.name} (${t.kind}${t.builtin ? ', default' : ''})  ${t.messages} messages\n`);
    } else ctx.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  },
};

