import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { positional, printJson, withSession } from '../io.ts';
import { listAudit } from '../../case/audit.ts';
import { auditHead } from '../../case/anchors.ts';
import { readMeta } from '../../case/store.ts';
import { auditCsv, describeAudit, localAuditTime } from '../../api/audit-text.ts';
import type { AuditEntryDTO } from '../../api/dto.ts';

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
      const head = await withSession(ctx, positional(positionals, 0, 'CASE'), (s) => auditHead(s.db));
      if (values.json) printJson(ctx, head);
      else ctx.stdout.write(`${head.seq}:${head.hash}  (${head.at})\n`);
      return 0;
    }
    const { entries, tz } = await withSession(ctx, positional(positionals, 0, 'CASE'), (s) => ({
      tz: readMeta(s.db, 'display_tz') ?? 'UTC',
      entries: listAudit(s.db, values.action ? { action: values.action } : {}).map(
        (e): AuditEntryDTO => ({ seq: e.seq, at: new Date(e.at).toISOString(), actor: e.actor, action: e.action, details: e.details, hash: e.hash }),
      ),
    }));
    if (values.json) printJson(ctx, entries);
    else if (values.csv) ctx.stdout.write(auditCsv(entries, tz));
    else for (const e of entries) ctx.stdout.write(`${String(e.seq).padStart(6)}  ${localAuditTime(e.at, tz)}  ${e.actor}  ${describeAudit(e.action, e.details)}\n`);
    return 0;
  },
};
