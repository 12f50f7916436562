import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { positional, printJson, withApi } from '../io.ts';
import { auditCsv, describeAudit, localAuditTime } from '../../api/audit-text.ts';
import type { Client } from '../../api/client.ts';
import type { AuditEntryDTO } from '../../api/dto.ts';

/** The API's largest page of the log. */
const PAGE = 1000;

/** Every entry (of one action, when given), oldest first, read page by page (the API lists newest first). */
async function wholeLog(api: Client, action: string | undefined): Promise<AuditEntryDTO[]> {
  const newestFirst: AuditEntryDTO[] = [];
  for (let total = Infinity; newestFirst.length < total; ) {
    const page = await api.call('audit.list', { ...(action !== undefined ? { action } : {}), offset: newestFirst.length, limit: PAGE });
    total = page.total;
    if (page.items.length === 0) break;
    newestFirst.push(...page.items);
  }
  return newestFirst.reverse();
}

export const auditCommand: Command = {
  name: 'audit',
  usage: 'audit CASE [--action NAME] [--head] [--json | --csv]',
  summary: 'The hash-chained audit log: local time, who, and what each entry did (--json, --csv: everything, for export).',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true,
      options: { json: { type: 'boolean' }, csv: { type: 'boolean' }, action: { type: 'string' }, head: { type: 'boolean' } },
    });
    if (values.head) {
      const head = await withApi(ctx, positional(positionals, 0, 'CASE'), (api) => api.call('audit.head', {}));
      if (values.json) printJson(ctx, head);
      else ctx.stdout.write(`${head.seq}:${head.hash}  (${head.at})\n`);
      return 0;
    }
    const { entries, tz } = await withApi(ctx, positional(positionals, 0, 'CASE'), async (api) => ({
      tz: (await api.call('cases.current', {})).displayTz ?? 'UTC',
      entries: await wholeLog(api, values.action || undefined),
    }));
    if (values.json) printJson(ctx, entries);
    else if (values.csv) ctx.stdout.write(auditCsv(entries, tz));
    else for (const e of entries) ctx.stdout.write(`${String(e.seq).padStart(6)}  ${localAuditTime(e.at, tz)}  ${e.actor}  ${describeAudit(e.action, e.details)}\n`);
    return 0;
  },
};
