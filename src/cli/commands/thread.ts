import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { positional, printJson, UsageError, withApi } from '../io.ts';
import { oneId } from './review-options.ts';

export const threadCommand: Command = {
  name: 'thread',
  usage: 'thread CASE --message ID [--json]',
  summary: 'The reply thread a message belongs to: its root and every reply, in time order.',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { message: { type: 'string' }, json: { type: 'boolean' } } });
    const file = positional(positionals, 0, 'CASE');
    const messageId = oneId(values.message, 'message');
    if (messageId === undefined) throw new UsageError('--message ID is required');
    const thread = await withApi(ctx, file, (api) => api.call('messages.thread', { messageId }));
    if (values.json) printJson(ctx, thread);
    else {
      for (const m of [{ ...thread.root, depth: 0 }, ...thread.replies]) {
        ctx.stdout.write(`${'  '.repeat(m.depth)}${m.id === thread.focusId ? '>' : ' '} ${m.id} ${m.sentAt} ${m.sender ?? '(system)'}: ${m.text}\n`);
      }
    }
    return 0;
  },
};
