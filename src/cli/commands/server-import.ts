import os from 'node:os';
import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { passphrase, positional, printJson, UsageError } from '../io.ts';
import { importCaseFile } from '../../server/matter/case-import.ts';

export const serverImportCommand: Command = {
  name: 'server-import',
  usage:
    'server-import CASE --db URL --matter NAME [--json]   (passphrase of CASE from HOLDFAST_PASSPHRASE or a prompt)\n' +
    '  URL is postgres://USER@HOST:PORT/DATABASE; its password from PGPASSWORD, not the address.',
  summary: 'Copies a case file into a new matter of the matter server; attachments and the audit chain are verified after the copy.',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { db: { type: 'string' }, matter: { type: 'string' }, json: { type: 'boolean' } } });
    const file = positional(positionals, 0, 'CASE');
    const { db: databaseUrl, matter } = values;
    if (!databaseUrl) throw new UsageError('--db URL is required');
    if (!matter) throw new UsageError('--matter NAME is required');
    const report = importCaseFile({ file, passphrase: await passphrase(ctx), databaseUrl, matter, actor: os.userInfo().username });
    if (values.json) printJson(ctx, report);
    else {
      const rows = Object.values(report.rows).reduce((a, b) => a + b, 0);
      ctx.stdout.write(`Imported ${file} into matter ${matter}: ${rows} rows, ${report.blobsVerified} attachment contents verified, ${report.auditEntries} audit entries verified.\n`);
    }
    return 0;
  },
};
