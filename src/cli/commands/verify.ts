import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { awaitJob, positional, printJson, withApi } from '../io.ts';
import { HoldfastError } from '../../api/errors.ts';
import type { VerifyResultDTO } from '../../api/dto.ts';

export const verifyCommand: Command = {
  name: 'verify',
  usage: 'verify CASE [--anchor MANIFEST.json|SEQ:HASH]... [--json]',
  summary: 'Recompute the audit chain and every stored hash, and check it against earlier anchors; exit 1 when anything was altered.',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true, options: { json: { type: 'boolean' }, anchor: { type: 'string', multiple: true } },
    });
    const result = await withApi(ctx, positional(positionals, 0, 'CASE'), async (api) =>
      awaitJob<VerifyResultDTO>(ctx, api, (await api.call('verify.run', values.anchor ? { anchors: values.anchor } : {})).jobId, (p) => `verifying: ${p.phase}`),
    );
    if (values.json) printJson(ctx, result);
    else {
      ctx.stdout.write(result.ok ? `OK: ${result.checked} items checked, nothing altered.\n` : `NOT OK: ${result.problems.length} problems in ${result.checked} items checked.\n`);
      for (const p of result.problems) ctx.stdout.write(`  ${p.table} ${p.id} ${p.field}: ${p.message}\n`);
    }
    if (!result.ok) {
      const first = result.problems[0]!;
      const more = result.problems.length > 1 ? ` (and ${result.problems.length - 1} more problem${result.problems.length > 2 ? 's' : ''})` : '';
      throw new HoldfastError('VERIFY_FAILED', `${first.table} ${first.id} ${first.field}: ${first.message}${more}`, { file: positionals[0] });
    }
    return 0;
  },
};
