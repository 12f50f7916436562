import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { passphrase, positional, printJson } from '../io.ts';
import { createSession } from '../../case/session.ts';
import { dataOf } from '../../case/data/index.ts';

export const createCommand: Command = {
  name: 'create',
  usage: 'create CASE [--name MATTER] [--examiner NAME] [--tz ZONE] [--json]',
  summary: 'Create a new encrypted case file.',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true,
      options: { name: { type: 'string' }, examiner: { type: 'string' }, tz: { type: 'string' }, json: { type: 'boolean' } },
    });
    const file = positional(positionals, 0, 'CASE');
    // The case's examiner: --examiner, else the one running the command (who the case.create entry names).
    const examiner = values.examiner || ctx.env.HOLDFAST_EXAMINER;
    const session = createSession(file, await passphrase(ctx), {
      ...(values.name ? { name: values.name } : {}),
      ...(examiner ? { examiner } : {}),
      ...(values.tz ? { displayTz: values.tz } : {}),
    });
    try {
      const result = { caseId: dataOf(session).read.caseMeta.get('case_id'), path: file, schemaVersion: session.schemaVersion };
      if (values.json) printJson(ctx, result);
      else ctx.stdout.write(`Created ${file} (schema ${result.schemaVersion}).\n`);
    } finally {
      session.close();
    }
    return 0;
  },
};
