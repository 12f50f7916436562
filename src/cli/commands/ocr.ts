import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { awaitJob, positional, printJson, withApi } from '../io.ts';
import type { OcrOptionsDTO, OcrResultDTO } from '../../api/analysis-dto.ts';

export const ocrCommand: Command = {
  name: 'ocr',
  usage: 'ocr CASE [--lang CODE,CODE…] [--redo] [--list-languages] [--json]',
  summary: 'Recognise text in image attachments not read yet (offline, tesseract.js, packaged languages); searchable with ocr:, marked derived.',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { json: { type: 'boolean' }, lang: { type: 'string', multiple: true }, redo: { type: 'boolean' }, 'list-languages': { type: 'boolean' } },
    });
    const file = positional(positionals, 0, 'CASE');
    if (values['list-languages']) {
      const options = await withApi(ctx, file, (api) => api.call('enrich.ocrOptions', {}));
      if (values.json) printJson(ctx, options);
      else printOptions(ctx.stdout, options);
      return 0;
    }
    const langs = (values.lang ?? []).flatMap((l) => l.split(',')).map((l) => l.trim());
    const result = await withApi(ctx, file, async (api) =>
      awaitJob<OcrResultDTO>(
        ctx,
        api,
        (await api.call('enrich.ocr', { ...(langs.length ? { langs } : {}), ...(values.redo ? { redo: true } : {}) })).jobId,
        (p) => `recognising image ${p.done} of ${p.total}`,
      ),
    );
    if (values.json) printJson(ctx, result);
    else {
      ctx.stdout.write(`Recognised text in ${result.recognised} of ${result.images} images (${result.lang}).\n`);
      for (const f of result.failed) ctx.stdout.write(`  attachment ${f.attachmentId}: ${f.error}\n`);
    }
    return 0;
  },
};

function printOptions(out: NodeJS.WritableStream, o: OcrOptionsDTO): void {
  for (const l of o.languages) out.write(`${l.code.padEnd(8)} ${l.name}${o.suggested.includes(l.code) ? ' (default for this case)' : ''}\n`);
  out.write(`Default: --lang ${o.suggested.join(',')}; ${o.pendingImages} image${o.pendingImages === 1 ? '' : 's'} not read yet.\n`);
}
