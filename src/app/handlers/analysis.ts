import type { NamespaceHandlers } from '../dispatch.ts';
import { gapReport } from '../../analysis/gaps/report.ts';

export const analysisHandlers: NamespaceHandlers<'analysis'> = {
  'analysis.gaps': (ctx, a) =>
    gapReport(ctx.session().db, {
      ...(a.from ? { from: Date.parse(a.from) } : {}),
      ...(a.to ? { to: Date.parse(a.to) } : {}),
      ...(a.minSilenceDays ? { minSilenceDays: a.minSilenceDays } : {}),
    }),
};

export const enrichHandlers: NamespaceHandlers<'enrich'> = {
  'enrich.ocr': (ctx) => ({ jobId: ctx.jobs.start('ocr', 'Recognise text in images', {}, ctx.jobTarget()).id }),
};
