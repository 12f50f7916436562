import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { intOption, positional, printJsonl, withApi } from '../io.ts';
import type { Client } from '../../api/client.ts';
import type { MessageDTO } from '../../api/dto.ts';

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
      for await (const m of listedMessages(api, { includePersonal: values['include-personal'] ?? false, conversationId })) {
        if (values.jsonl) printJsonl(ctx, m);
        else ctx.stdout.write(`${m.sentAt}  [${m.conversation}] ${m.sender ?? '(system)'}: ${m.text}\n`);
      }
    });
    return 0;
  },
};

/** The messages `holdfast messages` prints: the listed conversations (or the one asked for) by id, each window by window in time order. */
export async function* listedMessages(api: Client, opts: { includePersonal: boolean; conversationId?: number | undefined }): AsyncGenerator<MessageDTO> {
  const listed = await api.call('conversations.list', { includePersonal: opts.includePersonal });
  const ids = listed.map((c) => c.id).filter((id) => opts.conversationId === undefined || id === opts.conversationId).sort((a, b) => a - b);
  for (const conversationId of ids) {
    for (let offset = 0, total = Infinity; offset < total; offset += WINDOW) {
      const window = await api.call('conversations.messages', { conversationId, offset, limit: WINDOW });
      total = window.total;
      yield* window.messages;
    }
  }
}
