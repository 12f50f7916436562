import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { positional, printJson, UsageError, withApi } from '../io.ts';
import { oneId, optional } from './review-options.ts';

export const personalCommand: Command = {
  name: 'personal',
  usage: 'personal CASE --conversation ID [--off] [--reason R] [--json]',
  summary: 'Mark a conversation personal (out of scope): preserved, and held if held, but hidden from review, search and productions.',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true,
      options: { conversation: { type: 'string' }, off: { type: 'boolean' }, reason: { type: 'string' }, json: { type: 'boolean' } },
    });
    const file = positional(positionals, 0, 'CASE');
    const conversationId = oneId(values.conversation, 'conversation');
    if (conversationId === undefined) throw new UsageError('--conversation ID is required');
    const result = await withApi(ctx, file, (api) => api.call('conversations.setPersonal', { conversationId, personal: !values.off, ...optional({ reason: values.reason }) }));
    if (values.json) printJson(ctx, result);
    else {
      const state = result.personal ? 'personal (hidden from review, search and productions)' : 'in scope';
      ctx.stdout.write(`Conversation ${result.conversationId} ${result.changed ? 'is now' : 'was already'} ${state}.\n`);
    }
    return 0;
  },
};
