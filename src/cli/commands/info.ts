import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { positional, printJson, withApi } from '../io.ts';

export const infoCommand: Command = {
  name: 'info',
  usage: 'info CASE [--json]',
  summary: 'Counts of what the case holds.',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
    const info = await withApi(ctx, positional(positionals, 0, 'CASE'), (api) => api.call('cases.info', {}));
    if (values.json) printJson(ctx, info);
    else {
      const { signingKey, ...counts } = info;
      for (const [k, v] of Object.entries(counts)) ctx.stdout.write(`${k.padEnd(14)} ${v}\n`);
      ctx.stdout.write(signingKey ? `${'signingKey'.padEnd(14)} ${signingKey.algorithm} ${signingKey.publicKey}\n${'fingerprint'.padEnd(14)} ${signingKey.fingerprint}\n` : `${'signingKey'.padEnd(14)} none yet (made on the next writable open)\n`);
    }
    return 0;
  },
};
