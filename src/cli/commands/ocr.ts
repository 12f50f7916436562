import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { awaitJob, positional, printJson, withApi } from '../io.ts';
import type { OcrResultDTO } from '../../api/analysis-dto.ts';

export const ocrCommand: Command = {
  name: 'ocr',
  usage: 'ocr CASE [--json]',
  summary: 'Recognise text in image attachments not read yet (offline, tesseract.js, English); searchable with ocr:, marked derived.',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
    const file = positional(positionals, 0, 'CASE');
    const result = await withApi(ctx, file, async (api) =>
      awaitJob<OcrResultDTO>(ctx, api, (await api.call('enrich.ocr', {})).jobId, (p) => `recognising image ${p.done} of ${p.total}`),
    );
    if (values.json) printJson(ctx, result);
    else {
      ctx.stdout.write(`Recognised text in ${result.recognised} of ${result.images} images.\n`);
      for (const f of result.failed) ctx.stdout.write(`  attachment ${f.attachmentId}: ${f.error}\n`);
    }
    return 0;
  },
};
