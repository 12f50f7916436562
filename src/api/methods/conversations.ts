import { z } from 'zod';
import { method } from '../contract.ts';
import type { ConversationDetailDTO, DeleteResultDTO, ConversationSummaryDTO, ConversationWindowDTO, MessageDTO, PersonalResultDTO, ReviewSliceDTO, ReviewUnitDTO } from '../dto.ts';
import { id, limit, offset } from './common.ts';

export const conversationsMethods = {
  'conversations.list': method<ConversationSummaryDTO[]>()(
    z.strictObject({
      includePersonal: z.boolean().optional(),
      personal: z.boolean().optional(),
      platform: z.string().max(40).optional(),
      custodian: z.string().max(200).optional(),
      participantId: id.optional(),
      /** Part of the conversation's name (case-insensitive). */
      name: z.string().max(200).optional(),
    }),
  ),
  'conversations.get': method<ConversationDetailDTO>()(z.strictObject({ conversationId: id })),
  /**
   * A window of the conversation in time order: from `offset`, or centred on the message `around`
   * (then `offset` is ignored and `anchorIndex` says where it is).
   */
  'conversations.messages': method<ConversationWindowDTO>()(
    z.strictObject({ conversationId: id, around: id.optional(), offset, limit: limit(500, 100) }),
  ),
  /** Review units: the conversation's days in the case's display time zone. */
  'conversations.units': method<ReviewUnitDTO[]>()(z.strictObject({ conversationId: id })),
  'conversations.unitMessages': method<MessageDTO[]>()(z.strictObject({ unit: z.string().regex(/^\d+:\d{4}-\d{2}-\d{2}:\d+$/) })),
  /** Review units of a chosen length in whole hours (24: the days above; 168: weeks from the first day), in the display zone. */
  'conversations.slices': method<ReviewSliceDTO[]>()(z.strictObject({ conversationId: id, hours: z.number().int().min(1).max(8784) })),
  /** The message ids of one slice (its part), to select them for coding. */
  'conversations.sliceIds': method<number[]>()(z.strictObject({ conversationId: id, from: z.iso.datetime(), to: z.iso.datetime(), part: z.number().int().min(1) })),
  /** Personal / out of scope: preserved (and held) but hidden from review, search and productions. */
  /** Deletes the conversation's messages when none is held (else HOLD_VIOLATION); audited. */
  'conversations.delete': method<DeleteResultDTO>()(z.strictObject({ conversationId: id, reason: z.string().trim().min(1).max(4000).optional() })),
  'conversations.setPersonal': method<PersonalResultDTO>()(z.strictObject({ conversationId: id, personal: z.boolean(), reason: z.string().trim().max(4000).optional() })),
};
