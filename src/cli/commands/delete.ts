import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { positional, printJson, UsageError, withApi } from '../io.ts';
import { idList, noStrayArgs, oneId, optional } from './review-options.ts';

export const deleteCommand: Command = {
  name: 'delete',
  usage: 'delete CASE (--message ID... | --conversation ID) [--reason R] [--json]',
  summary: 'Delete messages or a conversation for good (audited); anything under legal hold is refused with HOLD_VIOLATION.',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true,
      options: { message: { type: 'string', multiple: true }, conversation: { type: 'string' }, reason: { type: 'string' }, json: { type: 'boolean' } },
    });
    const file = positional(positionals, 0, 'CASE');
    const messageIds = idList(values.message, 'message', positionals.slice(1));
    noStrayArgs(positionals.slice(1), messageIds.length > 0);
    if ((messageIds.length > 0) === (values.conversation !== undefined)) throw new UsageError('give --message ID... or --conversation ID');
    const result = await withApi(ctx, file, (api) =>
      messageIds.length
        ? api.call('messages.delete', { messageIds, ...optional({ reason: values.reason }) })
        : api.call('conversations.delete', { conversationId: oneId(values.conversation, 'conversation')!, ...optional({ reason: values.reason }) }),
    );
    if (values.json) printJson(ctx, result);
    else {
      ctx.stdout.write(`Deleted ${result.deleted} messages, ${result.attachments} attachments (${result.blobs} contents no longer used)` +
        `${result.conversationsRemoved.length ? `; removed conversation ${result.conversationsRemoved.join(', ')}` : ''}.\n`);
    }
    return 0;
  },
};
