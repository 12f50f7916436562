import { getMessages } from '../../case/messages.ts';
import type { NamespaceHandlers } from '../dispatch.ts';

export const messagesHandlers: NamespaceHandlers<'messages'> = {
  'messages.get': (ctx, a) => getMessages(ctx.session().db, a.ids),
};
