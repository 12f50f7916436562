import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { positional, printJson, UsageError, withApi } from '../io.ts';
import type { Args } from '../../api/methods/index.ts';
import { idList, noStrayArgs, oneId } from './review-options.ts';

function targetOptions(values: { query?: string | undefined; message?: string[] | undefined; conversation?: string | undefined; unit?: string | undefined }, rest: string[]): Args<'tags.apply'>['target'] {
  const messageIds = idList(values.message, 'message', rest);
  noStrayArgs(rest, messageIds.length > 0);
  const given = [values.query !== undefined, messageIds.length > 0, values.conversation !== undefined, values.unit !== undefined].filter(Boolean).length;
  if (given !== 1) throw new UsageError('give exactly one of --query, --message, --conversation or --unit');
  if (values.query !== undefined) return { query: values.query };
  if (messageIds.length) return { messageIds };
  if (values.unit !== undefined) return { unit: values.unit };
  return { conversationId: oneId(values.conversation, 'conversation')! };
}

export const tagCommand: Command = {
  name: 'tag',
  usage: 'tag CASE --tag NAME (--query Q | --message ID... | --conversation ID | --unit CONV:YYYY-MM-DD[:PART]) [--remove] [--basis TEXT] [--json]',
  summary: 'Tag (or untag) messages: a selection, a review unit, a conversation or every result of a query.',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true,
      options: {
        tag: { type: 'string' }, query: { type: 'string' }, message: { type: 'string', multiple: true }, conversation: { type: 'string' },
        unit: { type: 'string' }, remove: { type: 'boolean' }, basis: { type: 'string' }, json: { type: 'boolean' },
      },
    });
    const file = positional(positionals, 0, 'CASE');
    if (!values.tag) throw new UsageError('--tag NAME is required');
    if (values.remove && values.basis !== undefined) throw new UsageError('--basis goes with tagging, not --remove');
    const target = targetOptions(values, positionals.slice(1));
    const result = await withApi(ctx, file, (api) =>
      values.remove
        ? api.call('tags.remove', { target, tag: values.tag! })
        : api.call('tags.apply', { target, tag: values.tag!, create: true, ...(values.basis !== undefined ? { basis: values.basis } : {}) }),
    );
    if (values.json) printJson(ctx, result);
    else ctx.stdout.write(`${values.remove ? 'Untagged' : 'Tagged'} ${result.changed} of ${result.selected} selected messages "${result.tag}".\n`);
    return 0;
  },
};
