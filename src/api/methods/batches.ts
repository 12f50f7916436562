/** Review batches and the QC queue (src/review/batches). */
import { z } from 'zod';
import { method } from '../contract.ts';
import type { BatchDTO, BatchDetailDTO, BatchProgressDTO, BatchSetDTO, QcSampleDTO, QcSampleResultDTO } from '../dto.ts';
import { id, noArgs } from './common.ts';
import { reason } from './review.ts';

const tagRef = z.union([z.string().min(1).max(100), id]);

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
