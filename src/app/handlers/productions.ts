import { addRedaction, getProduction, listProductions, listRedactions, previewProduction, redactAllInstances, removeRedaction, verifyProduction } from '../../production/api.ts';
import type { NamespaceHandlers } from '../dispatch.ts';

export const productionsHandlers: NamespaceHandlers<'productions'> = {
  'productions.start': (ctx, a) => {
    const out = ctx.outputPath(a.out);
    const job = ctx.jobs.start('produce', `Produce ${a.format.toUpperCase()} into ${out}`, { ...a, out }, ctx.jobTarget(), () => ctx.changed('productions'));
    return { jobId: job.id };
  },
  'productions.preview': (ctx, a) => previewProduction(ctx.session(), a),
  'productions.list': (ctx) => listProductions(ctx.session()),
  'productions.get': (ctx, a) => getProduction(ctx.session(), a),
  'productions.verify': (ctx, a) => verifyProduction(ctx.session(), a),
};

export const redactionsHandlers: NamespaceHandlers<'redactions'> = {
  'redactions.list': (ctx, a) => listRedactions(ctx.session(), a),
  'redactions.add': (ctx, a) => {
    const r = addRedaction(ctx.session(), a);
    ctx.changed('productions');
    return r;
  },
  'redactions.addAll': (ctx, a) => {
    const r = redactAllInstances(ctx.session(), a);
    if (r.added) ctx.changed('productions');
    return r;
  },
  'redactions.remove': (ctx, a) => {
    const r = removeRedaction(ctx.session(), a);
    ctx.changed('productions');
    return r;
  },
};
