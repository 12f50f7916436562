import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { passphrase, positional, printJson, withApi } from '../io.ts';

export const rekeyCommand: Command = {
  name: 'rekey',
  usage: 'rekey CASE [--json]   (new passphrase from HOLDFAST_NEW_PASSPHRASE or a prompt)',
  summary: 'Change the case passphrase; the file is re-encrypted in place.',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
    const file = positional(positionals, 0, 'CASE');
    await withApi(ctx, file, async (api) => {
      const next = await passphrase(ctx, 'HOLDFAST_NEW_PASSPHRASE', 'New passphrase: ');
      await api.call('cases.rekey', { passphrase: await passphrase(ctx), newPassphrase: next });
    });
    if (values.json) printJson(ctx, { ok: true });
    else ctx.stdout.write('Passphrase changed.\n');
    return 0;
  },
};
