import { conversationWindow, getConversation, listConversations } from '../../case/conversations.ts';
import type { NamespaceHandlers } from '../dispatch.ts';

export const conversationsHandlers: NamespaceHandlers<'conversations'> = {
  'conversations.list': (ctx, a) => listConversations(ctx.session().db, a),
  'conversations.get': (ctx, a) => getConversation(ctx.session().db, a.conversationId),
  'conversations.messages': (ctx, a) => conversationWindow(ctx.session().db, a),
};
