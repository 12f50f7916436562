import { z } from 'zod';
import { method } from '../contract.ts';
import type { MessageDTO } from '../dto.ts';
import { id } from './common.ts';

export const messagesMethods = {
  /** Messages by id, in the order asked (ids that do not exist are left out). */
  'messages.get': method<MessageDTO[]>()(z.strictObject({ ids: z.array(id).min(1).max(500) })),
};
