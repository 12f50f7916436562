/** Review batches and the QC queue (src/review/batches). */
import { z } from 'zod';
import { method } from '../contract.ts';
import type { BatchDTO, BatchDetailDTO, BatchProgressDTO, BatchSetDTO, QcSampleDTO, QcSampleResultDTO } from '../dto.ts';
import type { BatchConflictDTO, OfflineCheckinResultDTO, OfflineCheckoutDTO } from '../offline-dto.ts';
import { id, noArgs } from './common.ts';
import { reason } from './review.ts';

const tagRef = z.union([z.string().min(1).max(100), id]);

const ms = z.number().int().min(0).max(8_640_000_000_000_000);
const slotValue = z.union([z.array(id).max(1_000), z.string().max(100_000), z.literal(true)]);

/** What a client read from a verified offline file (src/app/offline-file.ts). */
const offlineCheckin = z
  .strictObject({
    checkout: z.string().uuid(),
    caseId: z.string().max(200).nullable(),
    matter: z.string().max(1_000),
    batchId: id,
    serverAuditSeq: id,
    fileAudit: z.strictObject({ entries: z.number().int().min(1), head: z.string().regex(/^[0-9a-f]{64}$/) }),
    changes: z
      .array(
        z.strictObject({
          messageId: id,
          slot: z.string().regex(/^(group:\d+|tag:\d+|field:\d+|review)$/),
          value: slotValue.nullable(),
          bases: z.record(z.string(), z.string().max(4_000)).optional(),
          by: z.string().min(1).max(200),
          at: ms,
        }),
      )
      .max(1_000_000),
    notes: z.array(z.strictObject({ messageId: id.nullable(), conversationId: id.nullable(), text: z.string().min(1).max(100_000), by: z.string().min(1).max(200), at: ms })).max(100_000),
    notesDeleted: z.number().int().min(0),
    force: z.boolean().optional(),
    reason: reason.optional(),
  })
  .refine((a) => !a.force || a.reason !== undefined, 'force needs a reason');

export const batchesMethods = {
  /** Cuts the review units of a saved search's results, or of conversations, into batches of `unitSize` units; audited as batch.create. */
  'batches.create': method<BatchSetDTO>()(
    z
      .strictObject({
        name: z.string().trim().min(1).max(200),
        unitSize: z.number().int().min(1).max(10_000),
        savedSearchId: id.optional(),
        conversationIds: z.array(id).min(1).max(100_000).optional(),
      })
      .refine((a) => (a.savedSearchId === undefined) !== (a.conversationIds === undefined), 'give a saved search or conversations'),
  ),
  /** Every batch set with its batches and their progress. */
  'batches.list': method<BatchSetDTO[]>()(noArgs),
  /** One batch with its units and their frozen messages. */
  'batches.get': method<BatchDetailDTO>()(z.strictObject({ batchId: id })),
  /** Assigns a batch to a reviewer by name (null: to no one). */
  'batches.assign': method<BatchDTO>()(z.strictObject({ batchId: id, assignee: z.string().trim().min(1).max(200).nullable() })),
  /** Checks a batch out to the caller; CASE_BUSY naming the holder when someone else has it. */
  'batches.checkout': method<BatchDTO>()(z.strictObject({ batchId: id })),
  /** Checks the caller's batch in: every unit reviewed, or `force` with a reason. */
  'batches.checkin': method<BatchDTO>()(
    z.strictObject({ batchId: id, force: z.boolean().optional(), reason: reason.optional() }).refine((a) => !a.force || a.reason !== undefined, 'force needs a reason'),
  ),
  /**
   * Checks a batch out to the caller for offline review: its messages, attachments, coding layout, coding and notes with a
   * manifest, which the client writes as a case file of its own (audited as batch.checkout-offline).
   */
  'batches.checkoutOffline': method<OfflineCheckoutDTO>()(z.strictObject({ batchId: id })),
  /** Merges what a verified offline file changed (the later change wins per tag group, conflicts recorded) and checks the batch in. */
  'batches.checkinOffline': method<OfflineCheckinResultDTO>()(offlineCheckin),
  /** The conflicts offline check-ins found, of a batch set or of one batch. */
  'batches.conflicts': method<BatchConflictDTO[]>()(
    z.strictObject({ setId: id.optional(), batchId: id.optional() }).refine((a) => (a.setId === undefined) !== (a.batchId === undefined), 'give a set or a batch'),
  ),
  /** Progress per batch and per reviewer, with QC overturn rates. */
  'batches.progress': method<BatchProgressDTO>()(z.strictObject({ setId: id })),
  /** Samples `percent`% of each reviewer's reviewed units into the QC queue; the seed (given or drawn) is audited. */
  'batches.qcSample': method<QcSampleResultDTO>()(z.strictObject({ setId: id, percent: z.number().gt(0).max(100), seed: z.string().trim().min(1).max(200).optional() })),
  /** The set's QC samples, oldest first; `pending` for those not yet decided. */
  'batches.qcQueue': method<QcSampleDTO[]>()(z.strictObject({ setId: id, pending: z.boolean().optional() })),
  /** Confirms a sample, or overturns it by applying and removing tags on its unit (audited as qc.confirm / qc.overturn). */
  'batches.qcDecide': method<QcSampleDTO>()(
    z.strictObject({
      sampleId: id,
      decision: z.enum(['confirm', 'overturn']),
      apply: z.array(tagRef).max(50).optional(),
      remove: z.array(tagRef).max(50).optional(),
      reason: reason.optional(),
    }),
  ),
};
