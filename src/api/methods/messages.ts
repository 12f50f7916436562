import { z } from 'zod';
import { method } from '../contract.ts';
import type { DeleteResultDTO, MessageDTO, ThreadDTO } from '../dto.ts';
import { id } from './common.ts';

export const messagesMethods = {
  /** Messages by id, in the order asked (ids that do not exist are left out). */
  'messages.get': method<MessageDTO[]>()(z.strictObject({ ids: z.array(id).min(1).max(500) })),
  /** Each message's tag names (for result lists, which carry no tags). */
  'messages.tags': method<Record<string, string[]>>()(z.strictObject({ ids: z.array(id).min(1).max(1000) })),
  /** The reply thread a message belongs to: its root and every reply below it. */
  'messages.thread': method<ThreadDTO>()(z.strictObject({ messageId: id })),
  /** Deletes unheld messages (held ones: HOLD_VIOLATION, nothing changes); audited with the reason. */
  'messages.delete': method<DeleteResultDTO>()(z.strictObject({ messageIds: z.array(id).min(1).max(100_000), reason: z.string().trim().min(1).max(4000).optional() })),
};
