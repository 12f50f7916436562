import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { positional, printJson, withApi } from '../io.ts';

export const timezoneCommand: Command = {
  name: 'timezone',
  usage: 'timezone CASE [ZONE] [--json]',
  summary: "The matter's display time zone (review units are its days; search dates are read in it); with ZONE, set it (audited).",
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
    const file = positional(positionals, 0, 'CASE');
    const zone = positionals[1];
    const result = await withApi(ctx, file, (api) => (zone === undefined ? api.call('cases.current', {}) : api.call('cases.setDisplayTz', { tz: zone })));
    if (values.json) printJson(ctx, { displayTz: result.displayTz });
    else ctx.stdout.write(`${result.displayTz}\n`);
    return 0;
  },
};
