import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { positional, printJson, withSession } from '../io.ts';
import { verifyCase } from '../../case/verify.ts';
import { productionManifestCheck } from '../../production/manifest.ts';
import { messageCountCheck } from '../../review/verify-counts.ts';

export const verifyCommand: Command = {
  name: 'verify',
  usage: 'verify CASE [--json]',
  summary: 'Recompute the audit chain and every stored hash; exit 1 when anything was altered.',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
    const result = await withSession(ctx, positional(positionals, 0, 'CASE'), (s) => verifyCase(s.db, [productionManifestCheck, messageCountCheck]));
    if (values.json) printJson(ctx, result);
    else {
      ctx.stdout.write(result.ok ? `OK: ${result.checked} items checked, nothing altered.\n` : `NOT OK: ${result.problems.length} problems in ${result.checked} items checked.\n`);
      for (const p of result.problems) ctx.stdout.write(`  ${p.table} ${p.id} ${p.field}: ${p.message}\n`);
    }
    return result.ok ? 0 : 1;
  },
};
