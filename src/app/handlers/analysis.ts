import type { NamespaceHandlers } from '../dispatch.ts';
import { gapReport } from '../../analysis/gaps/report.ts';
import type { GapOptions } from '../../analysis/gaps/report.ts';
import { writeGapReport } from '../gap-report-file.ts';
import { tagFinding } from '../finding-tags.ts';
import { dataOf } from '../../case/data/index.ts';
import { enrichPending, entities } from '../../enrich/enrich.ts';
import { entityKey } from '../../enrich/codes.ts';
import { availableOcrLanguages, checkOcrLanguages, defaultOcrLanguages } from '../../enrich/ocr-languages.ts';
import type { OcrOptions } from '../../enrich/ocr.ts';

function gapOptions(a: { from?: string | undefined; to?: string | undefined; minSilenceDays?: number | undefined; deletionWindowMinutes?: number | undefined }): GapOptions {
  return {
    ...(a.from ? { from: Date.parse(a.from) } : {}),
    ...(a.to ? { to: Date.parse(a.to) } : {}),
    ...(a.minSilenceDays ? { minSilenceDays: a.minSilenceDays } : {}),
    ...(a.deletionWindowMinutes ? { deletionWindowMinutes: a.deletionWindowMinutes } : {}),
  };
}

export const analysisHandlers: NamespaceHandlers<'analysis'> = {
  'analysis.gaps': (ctx, a) => gapReport(ctx.session(), gapOptions(a)),
  'analysis.gapsReport': (ctx, a) => writeGapReport(ctx.session(), gapReport(ctx.session(), gapOptions(a)), { path: ctx.outputPath(a.path), around: a.around }),
  'analysis.tagFinding': (ctx, a) => {
    const r = tagFinding(ctx.session(), a);
    ctx.changed('tags');
    return r;
  },
};

export const enrichHandlers: NamespaceHandlers<'enrich'> = {
  'enrich.entities': (ctx, a) => {
    const all = entities(ctx.session(), { ...(a.kind ? { kind: a.kind } : {}), ...(a.value !== undefined ? { value: entityKey(a.value) } : {}) });
    return { total: all.length, items: a.limit === undefined ? all : all.slice(0, a.limit) };
  },
  'enrich.ocr': (ctx, a) => {
    const langs = checkOcrLanguages(a.langs ?? defaultOcrLanguages(dataOf(ctx.session()).read.enrichment.languageCounts()));
    const params: OcrOptions = { langs, ...(a.redo ? { redo: true } : {}) };
    // What was recognised before a cancel or a failure is kept: the images' text and the count left change then too.
    const job = ctx.jobs.start('ocr', `Recognise text in images (${langs.join('+')})`, params, ctx.jobTarget(), undefined, () => ctx.changed('recognised'));
    return { jobId: job.id };
  },
  'enrich.ocrOptions': (ctx) => {
    const read = dataOf(ctx.session()).read.enrichment;
    return {
      languages: availableOcrLanguages().map(({ code, name }) => ({ code, name })),
      suggested: defaultOcrLanguages(read.languageCounts()),
      pendingImages: read.pendingImageCount(),
    };
  },
  'enrich.pending': (ctx) => {
    const r = enrichPending(ctx.session());
    // Search facets and lang:/entity: answers changed as after an import.
    if (r.messages) ctx.changed('imported');
    return r;
  },
  'enrich.imageText': (ctx, a) => {
    const r = dataOf(ctx.session()).read.enrichment.derivedTextOfAttachment(a.attachmentId);
    return r
      ? { kind: 'ocr', attachmentId: r.attachment_id, attachment: r.name, text: r.text, engine: r.engine, engineVersion: r.engine_version, lang: r.lang, dataSha256: r.data_sha256, confidence: r.confidence }
      : null;
  },
};
