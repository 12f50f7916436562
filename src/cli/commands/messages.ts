import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { intOption, positional, printJsonl, withSession } from '../io.ts';
import { iterateMessages } from '../../case/messages.ts';

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
    await withSession(ctx, positional(positionals, 0, 'CASE'), (s) => {
      for (const m of iterateMessages(s.db, { ...(conversationId !== undefined ? { conversationId } : {}), includePersonal: values['include-personal'] ?? false })) {
        if (values.jsonl) printJsonl(ctx, m);
        else ctx.stdout.write(`${m.sentAt}  [${m.conversation}] ${m.sender ?? '(system)'}: ${m.text}\n`);
      }
    });
    return 0;
  },
};
