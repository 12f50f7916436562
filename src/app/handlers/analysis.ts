import type { NamespaceHandlers } from '../dispatch.ts';
import { gapReport } from '../../analysis/gaps/report.ts';
import { derivedTextOfAttachment } from '../../enrich/store.ts';
import { enrichPending, entities } from '../../enrich/enrich.ts';
import { entityKey } from '../../enrich/codes.ts';

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
  'enrich.pending': (ctx) => {
    const r = enrichPending(ctx.session().db);
    // Search facets and lang:/entity: answers changed as after an import.
    if (r.messages) ctx.changed('imported');
    return r;
  },
  'enrich.entities': (ctx, a) => entities(ctx.session().db, { ...(a.kind ? { kind: a.kind } : {}), ...(a.value !== undefined ? { value: entityKey(a.value) } : {}) }),
  'enrich.imageText': (ctx, a) => {
    const r = derivedTextOfAttachment(ctx.session().db, a.attachmentId);
    return r
      ? { kind: 'ocr', attachmentId: r.attachment_id, attachment: r.name, text: r.text, engine: r.engine, engineVersion: r.engine_version, lang: r.lang, dataSha256: r.data_sha256, confidence: r.confidence }
      : null;
  },
};
