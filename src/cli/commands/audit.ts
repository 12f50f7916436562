import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { positional, printJson, withSession } from '../io.ts';
import { listAudit } from '../../case/audit.ts';
import { auditHead } from '../../case/anchors.ts';
import type { AuditEntryDTO } from '../../api/dto.ts';

export const auditCommand: Command = {
  name: 'audit',
  usage: 'audit CASE [--action NAME] [--head] [--json]',
  summary: 'The hash-chained audit log.',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' }, action: { type: 'string' }, head: { type: 'boolean' } } });
    if (values.head) {
      const head = await withSession(ctx, positional(positionals, 0, 'CASE'), (s) => auditHead(s.db));
      if (values.json) printJson(ctx, head);
      else ctx.stdout.write(`${head.seq}:${head.hash}  (${head.at})\n`);
      return 0;
    }
    const entries = await withSession(ctx, positional(positionals, 0, 'CASE'), (s) =>
      listAudit(s.db, values.action ? { action: values.action } : {}).map(
        (e): AuditEntryDTO => ({ seq: e.seq, at: new Date(e.at).toISOString(), actor: e.actor, action: e.action, details: e.details, hash: e.hash }),
      ),
    );
    if (values.json) printJson(ctx, entries);
    else for (const e of entries) ctx.stdout.write(`${String(e.seq).padStart(6)} ${e.at} ${e.actor} ${e.action} ${JSON.stringify(e.details)}\n`);
    return 0;
  },
};
