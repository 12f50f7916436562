import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { passphrase, positional, printJson, withSession } from '../io.ts';
import { rekeyCase, rekeyMigrationBackups } from '../../case/store.ts';
import { assertStrongPassphrase } from '../../case/passphrase-policy.ts';
import { appendAudit } from '../../case/audit.ts';

export const rekeyCommand: Command = {
  name: 'rekey',
  usage: 'rekey CASE [--json]   (new passphrase from HOLDFAST_NEW_PASSPHRASE or a prompt)',
  summary: 'Change the case passphrase; the file is re-encrypted in place.',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
    const file = positional(positionals, 0, 'CASE');
    await withSession(ctx, file, async (s) => {
      const next = await passphrase(ctx, 'HOLDFAST_NEW_PASSPHRASE', 'New passphrase: ');
      assertStrongPassphrase(next);
      s.db.transaction(() => appendAudit(s.db, s.actor, 'case.rekey', {}))();
      rekeyCase(s.db, next);
      rekeyMigrationBackups(file, await passphrase(ctx), next);
    });
    if (values.json) printJson(ctx, { ok: true });
    else ctx.stdout.write('Passphrase changed.\n');
    return 0;
  },
};
