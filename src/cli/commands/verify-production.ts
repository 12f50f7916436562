import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { positional, printJson } from '../io.ts';
import { HoldfastError } from '../../api/errors.ts';
import { verifySignedProduction } from '../../production/signature.ts';

export const verifyProductionCommand: Command = {
  name: 'verify-production',
  usage: 'verify-production DIR [--json]',
  summary: "Check a production folder with no case and no passphrase: the manifest's signature and every file's SHA-256.",
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
    const dir = path.resolve(positional(positionals, 0, 'DIR'));
    const r = await verifySignedProduction(dir);
    if (values.json) printJson(ctx, r);
    else {
      ctx.stdout.write(r.ok ? `OK: signature valid, ${r.checked} files checked, nothing altered.\n` : `NOT OK: ${r.problems.length} problems in ${r.checked} items checked.\n`);
      ctx.stdout.write(`signed by      ${r.fingerprint ?? '(no valid signature)'}\n`);
      if (r.bates) ctx.stdout.write(`Bates          ${r.bates.first ?? '-'} – ${r.bates.last ?? '-'}\n`);
      if (r.auditHead) ctx.stdout.write(`audit head     ${r.auditHead.seq}:${r.auditHead.hash}\n`);
      for (const p of r.problems) ctx.stdout.write(`  ${p}\n`);
      if (r.fingerprint) ctx.stdout.write('Compare the fingerprint with the one the producing party gave you.\n');
    }
    if (!r.ok) throw new HoldfastError('VERIFY_FAILED', `${dir}: ${r.problems[0]}${r.problems.length > 1 ? ` (and ${r.problems.length - 1} more)` : ''}`, { file: dir });
    return 0;
  },
};
