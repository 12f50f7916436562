import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { positional, printJson, UsageError, withApi } from '../io.ts';
import type { NoteDTO } from '../../api/dto.ts';
import { oneId, optional } from './review-options.ts';

export const notesCommand: Command = {
  name: 'notes',
  usage: 'notes CASE [list] [--message ID | --conversation ID] | add (--message ID | --conversation ID) --text T | edit NOTE_ID --text T | delete NOTE_ID  [--json]',
  summary: 'Reviewers\' notes on messages and conversations (audited).',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true,
      options: { message: { type: 'string' }, conversation: { type: 'string' }, text: { type: 'string' }, json: { type: 'boolean' } },
    });
    const file = positional(positionals, 0, 'CASE');
    const action = positionals[1] ?? 'list';
    const messageId = oneId(values.message, 'message');
    const conversationId = oneId(values.conversation, 'conversation');
    const result = await withApi(ctx, file, (api): Promise<NoteDTO | NoteDTO[] | { deleted: number }> => {
      switch (action) {
        case 'list':
          return api.call('notes.list', { ...optional({ messageId, conversationId }), withMessages: true });
        case 'add':
          if (values.text === undefined) throw new UsageError('add needs --text T');
          return api.call('notes.add', { ...optional({ messageId, conversationId }), text: values.text });
        case 'edit':
          if (values.text === undefined) throw new UsageError('edit needs --text T');
          return api.call('notes.edit', { noteId: oneId(positional(positionals, 2, 'NOTE_ID'), 'note id')!, text: values.text });
        case 'delete':
          return api.call('notes.delete', { noteId: oneId(positional(positionals, 2, 'NOTE_ID'), 'note id')! });
        default:
          throw new UsageError(`unknown notes action "${action}" (list, add, edit, delete)`);
      }
    });
    if (values.json) printJson(ctx, result);
    else if ('deleted' in result) ctx.stdout.write(`Deleted note ${result.deleted}.\n`);
    else {
      for (const n of Array.isArray(result) ? result : [result]) {
        ctx.stdout.write(`${String(n.id).padStart(5)}  ${n.at} ${n.by} on ${n.messageId !== null ? `message ${n.messageId}` : `conversation ${n.conversationId}`}: ${n.text}\n`);
      }
    }
    return 0;
  },
};
