import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { positional, printJson, withSession } from '../io.ts';
import { HoldfastError } from '../../api/errors.ts';
import { checkAnchors, parseAnchor } from '../../case/anchors.ts';
import { verifyCase } from '../../case/verify.ts';
import { productionManifestCheck } from '../../production/manifest.ts';
import { messageCountCheck } from '../../review/verify-counts.ts';

export const verifyCommand: Command = {
  name: 'verify',
  usage: 'verify CASE [--anchor MANIFEST.json|SEQ:HASH]... [--json]',
  summary: 'Recompute the audit chain and every stored hash, and check it against earlier anchors; exit 1 when anything was altered.',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true, options: { json: { type: 'boolean' }, anchor: { type: 'string', multiple: true } },
    });
    const anchors = (values.anchor ?? []).map(parseAnchor);
    const anchorCheck = anchors.length ? [(db: Parameters<typeof checkAnchors>[0]) => ({ checked: anchors.length, problems: checkAnchors(db, anchors) })] : [];
    const result = await withSession(ctx, positional(positionals, 0, 'CASE'), (s) => verifyCase(s.db, [productionManifestCheck, messageCountCheck, ...anchorCheck]));
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
