import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { intOption, positional, printJsonl, withApi } from '../io.ts';

/** The API's largest window of a conversation. */
const WINDOW = 500;

export const messagesCommand: Command = {
  name: 'messages',
  usage: 'messages CASE [--conversation ID] [--include-personal] --jsonl',
  summary: 'The normalised messages, in conversation then time order.',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true,
      options: { conversation: { type: 'string' }, jsonl: { type: 'boolean' }, 'include-personal': { type: 'boolean' } },
    });
    const conversationId = intOption(values.conversation, 'conversation');
    await withApi(ctx, positional(positionals, 0, 'CASE'), async (api) => {
      const listed = await api.call('conversations.list', { includePersonal: values['include-personal'] ?? false });
      const ids = listed.map((c) => c.id).filter((id) => conversationId === undefined || id === conversationId).sort((a, b) => a - b);
      for (const id of ids) {
        for (let offset = 0, total = Infinity; offset < total; offset += WINDOW) {
          const window = await api.call('conversations.messages', { conversationId: id, offset, limit: WINDOW });
          total = window.total;
          for (const m of window.messages) {
            if (values.jsonl) printJsonl(ctx, m);
            else ctx.stdout.write(`${m.sentAt}  [${m.conversation}] ${m.sender ?? '(system)'}: ${m.text}\n`);
          }
        }
      }
    });
    return 0;
  },
};
