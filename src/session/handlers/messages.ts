import { getMessages } from '../../case/messages.ts';
import { getThread } from '../../review/threads.ts';
import { deleteMessages } from '../../review/delete.ts';
import type { NamespaceHandlers } from '../dispatch.ts';

export const messagesHandlers: NamespaceHandlers<'messages'> = {
  'messages.get': (ctx, a) => getMessages(ctx.session().db, a.ids),
  'messages.thread': (ctx, a) => getThread(ctx.session(), a.messageId),
  'messages.delete': async (ctx, a) => {
    const r = await deleteMessages(ctx.session(), a);
    ctx.changed('conversations');
    return r;
  },
};
