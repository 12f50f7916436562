import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { printJson } from '../io.ts';
import { IMPORTERS } from '../../importers/registry.ts';

export const formatsCommand: Command = {
  name: 'formats',
  usage: 'formats [--json]',
  summary: 'The source formats Holdfast imports.',
  async run(args, ctx) {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean' } } });
    const list = IMPORTERS.map((i) => ({ id: i.id, name: i.name, description: i.description }));
    if (values.json) printJson(ctx, list);
    else for (const f of list) ctx.stdout.write(`${f.id.padEnd(18)} ${f.name}\n`);
    return 0;
  },
};
