import { getMessages } from '../../case/messages.ts';
import { dataOf } from '../../case/data/index.ts';
import { getThread } from '../../review/threads.ts';
import { deleteMessages } from '../../review/delete.ts';
import type { NamespaceHandlers } from '../dispatch.ts';

export const messagesHandlers: NamespaceHandlers<'messages'> = {
  'messages.get': (ctx, a) => getMessages(ctx.session(), a.ids),
  'messages.tags': (ctx, a) => {
    const rows = dataOf(ctx.session()).read.tags.namesOn(a.ids);
    const out: Record<string, string[]> = Object.fromEntries(a.ids.map((id) => [String(id), []]));
    for (const [id, name] of rows) out[String(id)]!.push(name);
    return out;
  },
  'messages.thread': (ctx, a) => getThread(ctx.session(), a.messageId),
  'messages.delete': async (ctx, a) => {
    const r = await deleteMessages(ctx.session(), a);
    ctx.changed('conversations');
    return r;
  },
};
