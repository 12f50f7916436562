import { conversationWindow } from '../../case/conversations.ts';
import { getConversation, listConversations } from '../../review/conversations.ts';
import { deleteConversation } from '../../review/delete.ts';
import { setPersonal } from '../../review/personal.ts';
import { listReviewUnits, listUnitMessages } from '../../review/units.ts';
import { listReviewSlices, reviewSliceIds } from '../../review/slices.ts';
import type { NamespaceHandlers } from '../dispatch.ts';

export const conversationsHandlers: NamespaceHandlers<'conversations'> = {
  'conversations.list': (ctx, a) => listConversations(ctx.session(), a),
  'conversations.get': (ctx, a) => getConversation(ctx.session(), a.conversationId),
  'conversations.messages': (ctx, a) => conversationWindow(ctx.session(), a),
  'conversations.units': (ctx, a) => listReviewUnits(ctx.session(), a.conversationId),
  'conversations.unitMessages': (ctx, a) => listUnitMessages(ctx.session(), a),
  'conversations.slices': (ctx, a) => listReviewSlices(ctx.session(), a),
  'conversations.sliceIds': (ctx, a) => reviewSliceIds(ctx.session(), a),
  'conversations.delete': async (ctx, a) => {
    const r = await deleteConversation(ctx.session(), a);
    ctx.changed('conversations');
    return r;
  },
  'conversations.setPersonal': (ctx, a) => {
    const r = setPersonal(ctx.session(), a);
    if (r.changed) ctx.changed('conversations');
    return r;
  },
};
