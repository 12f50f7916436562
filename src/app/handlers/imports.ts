import fs from 'node:fs';
import type { DetectResultDTO } from '../../api/dto.ts';
import { HoldfastError } from '../../api/errors.ts';
import { IMPORTERS, detectImporter, importerById } from '../../importers/registry.ts';
import { importTimeZone } from '../run-import.ts';
import type { ImportParams } from '../run-import.ts';
import type { NamespaceHandlers } from '../dispatch.ts';
import { listSources, sourceFiles } from '../../case/sources.ts';
import { dataOf } from '../../case/data/index.ts';

export const importsHandlers: NamespaceHandlers<'imports'> = {
  'imports.formats': () => IMPORTERS.map((i) => ({ id: i.id, name: i.name, description: i.description })),
  'imports.detect': async (ctx, raw): Promise<DetectResultDTO> => {
    const a = { ...raw, path: ctx.inputPath(raw.path) };
    // A mistyped path is "not found", not "a format Holdfast does not recognise".
    if (!fs.existsSync(a.path)) throw new HoldfastError('NOT_FOUND', `File not found: ${a.path}. Check the path (or choose the file).`, { file: a.path });
    const found = a.format ? { importer: importerById(a.format), confidence: (await importerById(a.format).detect(a.path)).confidence } : await detectImporter(a.path);
    const timeZone = importTimeZone(ctx.session().displayTz, a.tz);
    const probe = await found.importer.probe(a.path, { tz: timeZone.zone, ...(a.dateOrder ? { dateOrder: a.dateOrder } : {}) });
    return {
      path: a.path,
      format: found.importer.id,
      name: found.importer.name,
      description: found.importer.description,
      confidence: found.confidence,
      timeZone,
      probe: {
        variant: probe.variant ?? null,
        conversations: probe.conversations ?? null,
        messages: probe.messages ?? null,
        hasAttachments: probe.hasAttachments ?? null,
        hasReactions: probe.hasReactions ?? null,
        hasEdits: probe.hasEdits ?? null,
        encrypted: probe.encrypted ?? null,
      },
    };
  },
  'imports.start': (ctx, a) => {
    const params: ImportParams = { ...a, source: ctx.inputPath(a.source) };
    const job = ctx.jobs.start('import', `Import ${a.source}`, params, ctx.jobTarget(), (result) => {
      if (!result.alreadyImported) ctx.changed('imported');
    });
    return { jobId: job.id };
  },
};

export const sourcesHandlers: NamespaceHandlers<'sources'> = {
  'sources.list': (ctx) => listSources(dataOf(ctx.session()), (format) => IMPORTERS.find((i) => i.id === format)?.name ?? format),
  'sources.files': (ctx, a) => sourceFiles(dataOf(ctx.session()), a),
};
