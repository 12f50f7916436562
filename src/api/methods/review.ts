/** Review: tags and coding, notes, holds, retention, identities (src/review). */
import { z } from 'zod';
import { method } from '../contract.ts';
import type {
  CodingFieldDTO, FieldSetResultDTO, FieldValueDTO, HoldDTO, HoldPreviewDTO, ReviewMarkResultDTO, ReviewProgressDTO, IdentitySuggestionDTO, NoteDTO, ParticipantDTO, RetentionPolicyDTO, RetentionResultDTO, TagDTO, TagGroupDTO, TagResultDTO, UndoResultDTO,
} from '../dto.ts';
import { id, noArgs } from './common.ts';
import { query } from './search.ts';

/** What a review action applies to: exactly one of a selection, a review unit, a conversation, a query. */
export const target = z
  .strictObject({
    messageIds: z.array(id).min(1).max(1_000_000).optional(),
    unit: z.string().regex(/^\d+:\d{4}-\d{2}-\d{2}:\d+$/, 'is not a review unit key (CONVERSATION:YYYY-MM-DD:PART)').optional(),
    conversationId: id.optional(),
    query: query.min(1).optional(),
  })
  .refine((t) => [t.messageIds, t.unit, t.conversationId, t.query].filter((v) => v !== undefined).length === 1, 'give exactly one of messageIds, unit, conversationId, query');

const tagRef = z.union([z.string().min(1).max(100), id]);
const name = z.string().trim().min(1).max(200);
export const reason = z.string().trim().min(1).max(4000);
const day = z.string().max(40);
/** A retention period such as 90d, 18m or 7y (checked by the core). */
const period = z.string().trim().min(2).max(20);

export const tagsMethods = {
  'tags.list': method<TagDTO[]>()(noArgs),
  'tags.create': method<TagDTO>()(
    z.strictObject({
      name: z.string().trim().min(1).max(100),
      kind: z.enum(['coding', 'issue', 'privilege']).default('coding'),
      color: z.string().regex(/^#[0-9a-fA-F]{6}$/).nullable().optional(),
      shortcut: z.number().int().min(1).max(9).nullable().optional(),
      groupId: id.nullable().optional(),
    }),
  ),
  'tags.update': method<TagDTO>()(
    z.strictObject({
      tagId: id,
      name: z.string().trim().min(1).max(100).optional(),
      kind: z.enum(['coding', 'issue', 'privilege']).optional(),
      color: z.string().regex(/^#[0-9a-fA-F]{6}$/).nullable().optional(),
      shortcut: z.number().int().min(1).max(9).nullable().optional(),
      groupId: id.nullable().optional(),
    }),
  ),
  'tags.delete': method<{ deleted: string; untagged: number }>()(z.strictObject({ tagId: id })),
  /** Tags the target; `basis` (privilege tags) is the privilege log's basis; `create` makes a coding tag of a name not in the case yet. */
  'tags.apply': method<TagResultDTO>()(z.strictObject({ tag: tagRef, target, basis: z.string().max(4000).optional(), create: z.boolean().optional() })),
  'tags.remove': method<TagResultDTO>()(z.strictObject({ tag: tagRef, target })),
  /** The privilege tags on a message with their basis. */
  'tags.basis': method<{ tagId: number; tag: string; basis: string | null }[]>()(z.strictObject({ messageId: id })),
  /** Undoes one coding action (its `change` from tags.apply / tags.remove); audited as tag.undo. */
  'tags.undo': method<UndoResultDTO>()(z.strictObject({ change: id })),
  /** Coding layouts: tag groups (single- or multi-choice, required or not). */
  'tags.groups': method<TagGroupDTO[]>()(noArgs),
  'tags.createGroup': method<TagGroupDTO>()(
    z.strictObject({ name: z.string().trim().min(1).max(100), choice: z.enum(['single', 'multi']), required: z.boolean().optional(), tagIds: z.array(id).max(100).optional() }),
  ),
  'tags.updateGroup': method<TagGroupDTO>()(
    z.strictObject({ groupId: id, name: z.string().trim().min(1).max(100).optional(), choice: z.enum(['single', 'multi']).optional(), required: z.boolean().optional() }),
  ),
  'tags.deleteGroup': method<{ deleted: string }>()(z.strictObject({ groupId: id })),
};

export const reviewMethods = {
  /** Marks the target reviewed (read, nothing to code), or takes the mark off; audited as review.mark / review.unmark. */
  'review.mark': method<ReviewMarkResultDTO>()(z.strictObject({ target, reviewed: z.boolean() })),
  /** How many of a search's results, or of a conversation's messages, are reviewed (coded or marked). */
  'review.progress': method<ReviewProgressDTO>()(
    z
      .strictObject({ query: query.min(1).optional(), conversationId: id.optional(), includePersonal: z.boolean().default(false) })
      .refine((a) => (a.query === undefined) !== (a.conversationId === undefined), 'give a query or a conversation'),
  ),
  /** Those of `ids` that are reviewed (coded or marked), ascending. */
  'review.of': method<number[]>()(z.strictObject({ ids: z.array(id).min(1).max(1000) })),
};

/** Custom coding fields (text, fixed choice, date) and each message's value in them; work product. */
export const fieldsMethods = {
  'fields.list': method<CodingFieldDTO[]>()(noArgs),
  'fields.create': method<CodingFieldDTO>()(
    z
      .strictObject({
        name: z.string().trim().min(1).max(100),
        type: z.enum(['text', 'choice', 'date']).default('text'),
        choices: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
      })
      .refine((a) => (a.type === 'choice') === (a.choices !== undefined && a.choices.length > 0), 'a choice field, and only a choice field, has choices'),
  ),
  /** Deletes the field and its values (the audit log keeps them). */
  'fields.delete': method<{ deleted: string; cleared: number }>()(z.strictObject({ fieldId: id })),
  /** A message's values, in field name order. */
  'fields.values': method<FieldValueDTO[]>()(z.strictObject({ messageId: id })),
  /** Sets the field's value on the target; null or empty clears it. Audited as field.set with each value before. */
  'fields.set': method<FieldSetResultDTO>()(z.strictObject({ fieldId: id, target, value: z.string().max(4000).nullable() })),
};

export const notesMethods = {
  'notes.list': method<NoteDTO[]>()(z.strictObject({ messageId: id.optional(), conversationId: id.optional(), withMessages: z.boolean().optional() })),
  'notes.add': method<NoteDTO>()(
    z
      .strictObject({ messageId: id.optional(), conversationId: id.optional(), text: z.string().trim().min(1).max(20_000) })
      .refine((a) => (a.messageId === undefined) !== (a.conversationId === undefined), 'a note belongs to a message or a conversation'),
  ),
  'notes.edit': method<NoteDTO>()(z.strictObject({ noteId: id, text: z.string().trim().min(1).max(20_000) })),
  'notes.delete': method<{ deleted: number }>()(z.strictObject({ noteId: id })),
};

export const holdsMethods = {
  'holds.create': method<HoldDTO>()(
    z.strictObject({
      name,
      matter: z.string().max(200).optional(),
      reason: z.string().max(4000).optional(),
      custodians: z.array(z.string().min(1).max(200)).max(1000).optional(),
      conversations: z.array(id).max(100_000).optional(),
      query: query.min(1).optional(),
      after: day.optional(),
      before: day.optional(),
    }),
  ),
  /** How many messages a hold of this scope would hold now, before creating it. */
  'holds.preview': method<HoldPreviewDTO>()(
    z.strictObject({
      custodians: z.array(z.string().min(1).max(200)).max(1000).optional(),
      conversations: z.array(id).max(100_000).optional(),
      query: query.min(1).optional(),
      after: day.optional(),
      before: day.optional(),
    }),
  ),
  'holds.list': method<HoldDTO[]>()(z.strictObject({ active: z.boolean().optional() })),
  'holds.get': method<HoldDTO>()(z.strictObject({ holdId: id })),
  'holds.release': method<HoldDTO>()(z.strictObject({ holdId: id, reason })),
};

export const retentionMethods = {
  /** Purges expired, unheld messages (or, with dryRun, says exactly which would go). */
  'retention.run': method<RetentionResultDTO>()(
    z
      .strictObject({
        olderThan: period.optional(),
        policyId: id.optional(),
        custodians: z.array(z.string().min(1).max(200)).max(1000).optional(),
        conversations: z.array(id).max(100_000).optional(),
        dryRun: z.boolean().default(true),
      })
      .refine((a) => (a.olderThan === undefined) !== (a.policyId === undefined), 'give a period (olderThan) or a saved policy (policyId)'),
  ),
  'retention.policies': method<RetentionPolicyDTO[]>()(noArgs),
  'retention.createPolicy': method<RetentionPolicyDTO>()(
    z.strictObject({ name, keep: period, custodians: z.array(z.string().min(1).max(200)).max(1000).optional(), conversations: z.array(id).max(100_000).optional() }),
  ),
  'retention.deletePolicy': method<{ deleted: number }>()(z.strictObject({ policyId: id })),
};

export const identitiesMethods = {
  'identities.list': method<ParticipantDTO[]>()(z.strictObject({ participantIds: z.array(id).max(10_000).optional() })),
  'identities.suggest': method<IdentitySuggestionDTO[]>()(noArgs),
  /** One person across handles: into an existing participant, or a new one named `name`. */
  'identities.link': method<ParticipantDTO>()(z.strictObject({ handleIds: z.array(id).min(1).max(1000), participantId: id.optional(), name: z.string().trim().min(1).max(200).optional() })),
  'identities.unlink': method<ParticipantDTO>()(z.strictObject({ handleId: id, name: z.string().trim().min(1).max(200).optional() })),
  'identities.rename': method<ParticipantDTO>()(z.strictObject({ participantId: id, name: z.string().trim().min(1).max(200) })),
};
