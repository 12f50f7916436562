import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { positional, printJson, UsageError, withApi } from '../io.ts';
import type { HoldDTO } from '../../api/dto.ts';
import { idList, oneId, optional } from './review-options.ts';

function describe(h: HoldDTO): string {
  const s = h.scope;
  const scope = [
    s.custodians.length ? `custodians ${s.custodians.join(', ')}` : '',
    s.conversations.length ? `conversations ${s.conversations.join(', ')}` : '',
    s.query ? `query ${JSON.stringify(s.query)}` : '',
    s.after || s.before ? `sent ${s.after ? `from ${s.after}` : ''}${s.after && s.before ? ' ' : ''}${s.before ? `before ${s.before}` : ''}` : '',
  ].filter(Boolean).join('; ');
  const state = h.active ? 'active' : `released ${h.releasedAt} by ${h.releasedBy}: ${h.releaseReason}`;
  return `${String(h.holdId).padStart(4)}  ${h.name}${h.matter ? ` [${h.matter}]` : ''}  ${h.messages} messages  (${scope})  ${state}`;
}

export const holdCommand: Command = {
  name: 'hold',
  usage:
    'hold CASE create --name NAME [--matter M] [--reason R] (--custodian C... | --conversation ID... | --query Q | --after YYYY-MM-DD | --before YYYY-MM-DD) [--json]\n' +
    '       holdfast hold CASE list [--active] [--json]\n' +
    '       holdfast hold CASE show HOLD_ID [--json]\n' +
    '       holdfast hold CASE release HOLD_ID [--reason R] [--json]',
  summary: 'Legal holds: what they cover cannot be deleted, purged or redacted; they extend to what is imported later.',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true,
      options: {
        name: { type: 'string' }, matter: { type: 'string' }, reason: { type: 'string' }, custodian: { type: 'string', multiple: true },
        conversation: { type: 'string', multiple: true }, query: { type: 'string' }, after: { type: 'string' }, before: { type: 'string' },
        active: { type: 'boolean' }, json: { type: 'boolean' },
      },
    });
    const file = positional(positionals, 0, 'CASE');
    const action = positional(positionals, 1, 'an action (create, list, show, release)');
    const result = await withApi(ctx, file, (api): Promise<HoldDTO | HoldDTO[]> => {
      switch (action) {
        case 'create':
          if (!values.name) throw new UsageError('--name NAME is required');
          return api.call('holds.create', {
            name: values.name,
            ...optional({ matter: values.matter, reason: values.reason, query: values.query, after: values.after, before: values.before }),
            ...(values.custodian ? { custodians: values.custodian } : {}),
            ...(values.conversation ? { conversations: idList(values.conversation, 'conversation') } : {}),
          });
        case 'list':
          return api.call('holds.list', values.active ? { active: true } : {});
        case 'show':
          return api.call('holds.get', { holdId: oneId(positional(positionals, 2, 'HOLD_ID'), 'hold id')! });
        case 'release':
          // CLI.md's contract is `release HOLD_ID`; the audit entry says when no reason was given.
          return api.call('holds.release', { holdId: oneId(positional(positionals, 2, 'HOLD_ID'), 'hold id')!, reason: values.reason ?? '(no reason given on the command line)' });
        default:
          throw new UsageError(`unknown hold action "${action}" (create, list, show, release)`);
      }
    });
    if (values.json) printJson(ctx, result);
    else for (const h of Array.isArray(result) ? result : [result]) ctx.stdout.write(`${describe(h)}\n`);
    return 0;
  },
};
