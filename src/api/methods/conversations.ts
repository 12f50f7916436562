import { z } from 'zod';
import { method } from '../contract.ts';
import type { ConversationDTO, ConversationWindowDTO, PageDTO } from '../dto.ts';
import { id, limit, offset } from './common.ts';

export const conversationsMethods = {
  'conversations.list': method<PageDTO<ConversationDTO>>()(
    z.strictObject({
      /** Part of the conversation's name (case-insensitive). */
      name: z.string().max(200).optional(),
      includePersonal: z.boolean().default(false),
      offset,
      limit: limit(1000, 200),
    }),
  ),
  'conversations.get': method<ConversationDTO>()(z.strictObject({ conversationId: id })),
  /**
   * A window of the conversation in time order: from `offset`, or centred on the message `around`
   * (then `offset` is ignored and `anchorIndex` says where it is).
   */
  'conversations.messages': method<ConversationWindowDTO>()(
    z.strictObject({ conversationId: id, around: id.optional(), offset, limit: limit(500, 100) }),
  ),
};
