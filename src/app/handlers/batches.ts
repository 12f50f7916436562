/** Review batches and the QC queue (src/review/batches), announced as they change. */
import { createBatchSet } from '../../review/batches/create.ts';
import { assignBatch, checkInBatch, checkOutBatch } from '../../review/batches/checkout.ts';
import { batchProgress, getBatch, listBatchSets } from '../../review/batches/progress.ts';
import { decideQc, qcQueue, sampleForQc } from '../../review/batches/qc.ts';
import { checkOutOffline } from '../../review/batches/offline/checkout.ts';
import { checkInOffline } from '../../review/batches/offline/checkin.ts';
import { listConflicts } from '../../review/batches/offline/conflicts.ts';
import type { NamespaceHandlers } from '../dispatch.ts';
import type { AppContext } from '../app-context.ts';
import type { CaseChange } from '../../api/events.ts';

async function changing<T>(ctx: AppContext, what: CaseChange, fn: () => T): Promise<T> {
  const r = fn();
  ctx.changed(what);
  return r;
}

export const batchesHandlers: NamespaceHandlers<'batches'> = {
  'batches.create': (ctx, a) => changing(ctx, 'batches', () => createBatchSet(ctx.session(), a)),
  'batches.list': (ctx) => listBatchSets(ctx.session()),
  'batches.get': (ctx, a) => getBatch(ctx.session(), a),
  'batches.assign': (ctx, a) => changing(ctx, 'batches', () => assignBatch(ctx.session(), a)),
  'batches.checkout': (ctx, a) => changing(ctx, 'batches', () => checkOutBatch(ctx.session(), a)),
  'batches.checkin': (ctx, a) => changing(ctx, 'batches', () => checkInBatch(ctx.session(), a)),
  'batches.checkoutOffline': (ctx, a) => changing(ctx, 'batches', () => checkOutOffline(ctx.session(), a)),
  'batches.checkinOffline': async (ctx, a) => {
    const r = checkInOffline(ctx.session(), a);
    ctx.changed('batches');
    ctx.changed('tags');
    return r;
  },
  'batches.conflicts': (ctx, a) => listConflicts(ctx.session(), a),
  'batches.progress': (ctx, a) => batchProgress(ctx.session(), a),
  'batches.qcSample': (ctx, a) => changing(ctx, 'batches', () => sampleForQc(ctx.session(), a)),
  'batches.qcQueue': (ctx, a) => qcQueue(ctx.session(), a),
  // An overturn recodes: whatever shows coding refreshes too.
  'batches.qcDecide': async (ctx, a) => {
    const r = decideQc(ctx.session(), a);
    ctx.changed('batches');
    if (r.decision === 'overturned') ctx.changed('tags');
    return r;
  },
};
