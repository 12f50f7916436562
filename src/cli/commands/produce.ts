import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { awaitJob, intOption, percentLine, positional, printJson, UsageError, withApi } from '../io.ts';
import { discardPartialOutput } from '../../production/output.ts';
import { PAGE_SIZES, PRODUCTION_FORMATS, PRODUCTION_GROUPINGS, WORK_PRODUCT_FIELDS } from '../../production/types.ts';
import type { PageSize, ProductionFormat, ProductionGrouping, ProductionResultDTO, WorkProductField } from '../../production/types.ts';
import type { Args } from '../../api/methods/index.ts';
import { optional } from './review-options.ts';

export const produceCommand: Command = {
  name: 'produce',
  usage:
    'produce CASE --format pdf|xlsx|rsmf|dat|privlog --out DIR [--query Q] [--tag T]... [--conversation ID]... [--bates-prefix P] [--bates-start N] ' +
    '[--bates-width N] [--per unit|conversation|message] [--context N] [--legend TEXT] [--name NAME] [--page-size LETTER|A4] [--include-privileged] [--include-personal] ' +
    '[--fields tags,notes,basis,coding] [--allow-empty] [--fixed-date DATE] [--json]',
  summary: 'Produce messages (Bates-numbered PDF transcripts, XLSX, RSMF 2.0, Concordance DAT, privilege log) with a hash manifest.',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true,
      options: {
        format: { type: 'string' }, out: { type: 'string' }, query: { type: 'string' }, tag: { type: 'string', multiple: true },
        conversation: { type: 'string', multiple: true }, 'bates-prefix': { type: 'string' }, 'bates-start': { type: 'string' },
        'bates-width': { type: 'string' }, per: { type: 'string' }, context: { type: 'string' }, legend: { type: 'string' }, name: { type: 'string' },
        'page-size': { type: 'string' }, 'include-privileged': { type: 'boolean' }, 'include-personal': { type: 'boolean' }, json: { type: 'boolean' },
        fields: { type: 'string', multiple: true }, 'allow-empty': { type: 'boolean' }, 'fixed-date': { type: 'string' },
      },
    });
    const file = positional(positionals, 0, 'CASE');
    const format = values.format;
    if (!format || !(PRODUCTION_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format is one of ${PRODUCTION_FORMATS.join(', ')}`);
    if (!values.out) throw new UsageError('--out DIR is required (a new or empty folder)');
    if (values.per !== undefined && !(PRODUCTION_GROUPINGS as readonly string[]).includes(values.per)) throw new UsageError(`--per is one of ${PRODUCTION_GROUPINGS.join(', ')}`);
    const pageSize = values['page-size']?.toUpperCase();
    if (pageSize !== undefined && !(PAGE_SIZES as readonly string[]).includes(pageSize)) throw new UsageError(`--page-size is one of ${PAGE_SIZES.join(', ')}`);
    const fields = (values.fields ?? []).flatMap((f) => f.split(',')).map((f) => f.trim().toLowerCase()).filter(Boolean);
    for (const f of fields) if (!(WORK_PRODUCT_FIELDS as readonly string[]).includes(f)) throw new UsageError(`--fields takes ${WORK_PRODUCT_FIELDS.join(', ')} (comma-separated), not "${f}"`);
    const params: Args<'productions.start'> = {
      format: format as ProductionFormat,
      out: values.out,
      ...optional({
        query: values.query,
        tags: values.tag,
        conversationIds: values.conversation?.map((c) => intOption(c, 'conversation')!),
        batesPrefix: values['bates-prefix'],
        batesStart: intOption(values['bates-start'], 'bates-start'),
        batesWidth: intOption(values['bates-width'], 'bates-width'),
        per: values.per as ProductionGrouping | undefined,
        context: intOption(values.context, 'context'),
        legend: values.legend,
        name: values.name,
        pageSize: pageSize as PageSize | undefined,
        includePrivileged: values['include-privileged'],
        includePersonal: values['include-personal'],
        fields: fields as WorkProductField[],
        allowEmpty: values['allow-empty'],
        fixedDate: values['fixed-date'],
      }),
    };
    try {
      const result = await withApi(ctx, file, async (api) => {
        const { out, ...definition } = params;
        // The preview checks the definition before the worker starts; its warnings are said first, so a producer who did not mean it can stop it.
        for (const w of (await api.call('productions.preview', definition)).warnings) ctx.stderr.write(`holdfast: warning: ${w}\n`);
        return awaitJob<ProductionResultDTO>(ctx, api, (await api.call('productions.start', { ...definition, out })).jobId, percentLine);
      });
      if (values.json) {
        printJson(ctx, {
          productionId: result.productionId, name: result.name, format: result.format, outDir: result.outDir,
          messages: result.messages, contextMessages: result.contextMessages, batesFirst: result.batesFirst, batesLast: result.batesLast,
          manifestSha256: result.manifestSha256, withheld: result.withheld, attachments: result.attachments,
          documentDate: result.documentDate, documentDateFixed: result.documentDateFixed, warnings: result.warnings,
          files: result.files.map((f) => ({ path: f.path, sha256: f.sha256, size: f.size, firstBates: f.firstBates, lastBates: f.lastBates, ...(f.pages !== undefined ? { pages: f.pages } : {}) })),
        });
      } else {
        ctx.stdout.write(
          `Production ${result.productionId} (${result.format}): ${result.messages} messages${result.contextMessages ? ` (${result.contextMessages} context)` : ''}, ` +
            `${result.withheld ? `${result.withheld} withheld (slip sheets, privilege log), ` : ''}${result.attachments ? `${result.attachments} attachments, ` : ''}` +
            `Bates ${result.batesFirst ?? '-'}–${result.batesLast ?? '-'}, ${result.files.length} files in ${result.outDir}\nManifest SHA-256 ${result.manifestSha256}\n`,
        );
      }
      return 0;
    } catch (err) {
      // A worker stopped by force cannot clean up after itself: its temporary folder goes here.
      discardPartialOutput(values.out);
      throw err;
    }
  },
};
