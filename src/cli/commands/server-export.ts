import os from 'node:os';
import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { passphrase, printJson, UsageError } from '../io.ts';
import { exportMatter } from '../../server/matter/case-export.ts';

export const serverExportCommand: Command = {
  name: 'server-export',
  usage:
    'server-export --db URL --matter NAME --out CASE [--json]   (passphrase of the new CASE from HOLDFAST_PASSPHRASE or a prompt)\n' +
    '  URL is postgres://USER@HOST:PORT/DATABASE; its password from PGPASSWORD, not the address.',
  summary: 'Writes a matter of the matter server out as a new case file; attachments and the audit chain are verified after the copy.',
  async run(args, ctx) {
    const { values } = parseArgs({ args, options: { db: { type: 'string' }, matter: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' } } });
    const { db: databaseUrl, matter, out } = values;
    if (!databaseUrl) throw new UsageError('--db URL is required');
    if (!matter) throw new UsageError('--matter NAME is required');
    if (!out) throw new UsageError('--out CASE is required');
    const report = exportMatter({ databaseUrl, matter, file: out, passphrase: await passphrase(ctx), actor: os.userInfo().username });
    if (values.json) printJson(ctx, report);
    else {
      const rows = Object.values(report.rows).reduce((a, b) => a + b, 0);
      ctx.stdout.write(`Exported matter ${matter} to ${out}: ${rows} rows, ${report.blobsVerified} attachment contents verified, ${report.auditEntries} audit entries verified.\n`);
    }
    return 0;
  },
};
