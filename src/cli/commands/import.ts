import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { awaitJob, percentLine, positional, printJson, UsageError, withApi } from '../io.ts';
import type { Args } from '../../api/methods/index.ts';
import type { ImportResultDTO } from '../../api/dto.ts';
import { optional } from './review-options.ts';

type ImportArgs = Args<'imports.start'>;

const ORDERS = ['dmy', 'mdy', 'ymd'] as const;

export const importCommand: Command = {
  name: 'import',
  usage: 'import CASE SOURCE [--custodian NAME] [--format ID] [--tz ZONE] [--date-order dmy|mdy|ymd] [--conversation NAME] [--owner NAME] [--backup-password-env VAR] [--backup-key-env VAR | --backup-key-file PATH] [--region CC] [--json]',
  summary: 'Import a source (export, backup, database) into the case: detect, hash, dedupe, index.',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true,
      options: {
        custodian: { type: 'string' }, format: { type: 'string' }, tz: { type: 'string' }, 'date-order': { type: 'string' },
        conversation: { type: 'string' }, owner: { type: 'string' }, 'backup-password-env': { type: 'string' }, json: { type: 'boolean' },
        'backup-key-env': { type: 'string' }, 'backup-key-file': { type: 'string' },
        region: { type: 'string' },
      },
    });
    const file = positional(positionals, 0, 'CASE');
    const source = positional(positionals, 1, 'SOURCE');
    const order = values['date-order'];
    if (order !== undefined && !(ORDERS as readonly string[]).includes(order)) throw new UsageError(`--date-order is one of ${ORDERS.join(', ')}`);
    if (values.tz !== undefined && !isZone(values.tz)) throw new UsageError(`--tz "${values.tz}" is not an IANA time zone (e.g. Europe/London, UTC)`);
    if (values.region !== undefined && !/^[A-Z]{2}$/.test(values.region)) throw new UsageError(`--region "${values.region}" is not a two-letter region code (e.g. GB, US)`);
    let password: string | undefined;
    if (values['backup-password-env']) {
      password = ctx.env[values['backup-password-env']];
      if (password === undefined) throw new UsageError(`environment variable ${values['backup-password-env']} is not set`);
    }
    const backupKey = backupKeyOption(values['backup-key-env'], values['backup-key-file'], ctx.env);
    const params: ImportArgs = {
      source,
      ...optional({
        format: values.format, custodian: values.custodian, tz: values.tz, dateOrder: order as ImportArgs['dateOrder'],
        conversation: values.conversation, owner: values.owner, password, region: values.region,
      }),
      ...backupKey,
    };
    const result = await withApi(ctx, file, async (api) => awaitJob<ImportResultDTO>(ctx, api, (await api.call('imports.start', params)).jobId, percentLine));
    if (values.json) printJson(ctx, result);
    else if (result.alreadyImported) ctx.stdout.write(`Already imported (source ${result.sourceId}, ${result.sha256}); nothing added.\n`);
    else {
      ctx.stdout.write(
        `Imported ${result.messages} messages in ${result.conversations} new conversations, ${result.attachments} attachments; ` +
          `${result.duplicatesSkipped} duplicates skipped; ${result.warningCount} warnings. Source ${result.sourceId}, SHA-256 ${result.sha256}\n`,
      );
      const r = result.report;
      ctx.stdout.write(
        `Read ${r.read} messages: ${r.imported} imported, ${r.duplicates} duplicates; flagged: ${r.flagged.timeUnknown} time unknown, ` +
          `${r.flagged.authorUnknown} author unknown; skipped: ${r.skipped.count}${r.skipped.reasons.map((x) => ` (${x.count}: ${x.reason})`).join('')}.\n` +
          `Times without a zone were read in ${r.timeZone.zone}: ${r.timeZone.reason}.\n`,
      );
      for (const w of result.warnings.slice(0, 20)) ctx.stdout.write(`  warning ${w.code} at ${w.locator}: ${w.message}\n`);
    }
    return 0;
  },
};

/** The key of an encrypted WhatsApp backup: its 64 digits from an environment variable, or a key file; never an argument. */
function backupKeyOption(envName: string | undefined, file: string | undefined, env: NodeJS.ProcessEnv): Pick<ImportArgs, 'backupKey' | 'backupKeyFile'> {
  if (envName && file) throw new UsageError('give the backup key either with --backup-key-env or with --backup-key-file, not both');
  if (file) {
    if (!fs.existsSync(file)) throw new UsageError(`--backup-key-file: there is no file at ${file}`);
    return { backupKeyFile: path.resolve(file) };
  }
  if (!envName) return {};
  const value = env[envName];
  if (value === undefined || value.trim() === '') throw new UsageError(`environment variable ${envName} is not set`);
  return { backupKey: value };
}

function isZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
