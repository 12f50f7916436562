import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { checkedActor, passphrase, positional, printJson, runCliJob } from '../io.ts';
import type { OcrResultDTO } from '../../api/analysis-dto.ts';

export const ocrCommand: Command = {
  name: 'ocr',
  usage: 'ocr CASE [--json]',
  summary: 'Recognise text in image attachments not read yet (offline, tesseract.js, English); searchable with ocr:, marked derived.',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
    const file = positional(positionals, 0, 'CASE');
    const key = await passphrase(ctx);
    const actor = checkedActor(file, key);
    const result = await runCliJob<OcrResultDTO>(ctx, { kind: 'ocr', casePath: file, params: {}, actor }, key, (p) => `recognising image ${p.done} of ${p.total}`);
    if (values.json) printJson(ctx, result);
    else {
      ctx.stdout.write(`Recognised text in ${result.recognised} of ${result.images} images.\n`);
      for (const f of result.failed) ctx.stdout.write(`  attachment ${f.attachmentId}: ${f.error}\n`);
    }
    return 0;
  },
};
