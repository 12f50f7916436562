import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { positional, printJson, UsageError, withApi } from '../io.ts';
import type { RetentionResultDTO } from '../../api/dto.ts';
import { idList, oneId } from './review-options.ts';

function report(r: RetentionResultDTO): string {
  const holds = r.sparedByHold.map((h) => `"${h.name}" (hold ${h.holdId}): ${h.messages}`).join(', ');
  return [
    `${r.dryRun ? 'Dry run: would purge' : 'Purged'} ${r.purged} messages sent before ${r.cutoff} (older than ${r.olderThan}), ` +
      `${r.attachments} attachments, ${r.blobs} attachment contents${r.conversationsRemoved.length ? `, conversations ${r.conversationsRemoved.join(', ')}` : ''}.`,
    `Spared ${r.spared} expired messages under legal hold${holds ? `: ${holds}` : ''}.`,
    ...(r.keptForOtherCustodians ? [`Kept ${r.keptForOtherCustodians} expired messages that another custodian's source also holds.`] : []),
  ].join('\n');
}

export const retentionCommand: Command = {
  name: 'retention',
  usage:
    'retention CASE (--older-than DURATION | --policy ID) [--custodian C...] [--conversation ID...] [--dry-run] [--json]   (DURATION: 90d, 6w, 18m, 7y)\n' +
    '       holdfast retention CASE policy create --name NAME --keep DURATION [--custodian C...] [--conversation ID...] [--json]\n' +
    '       holdfast retention CASE policy list|delete ID [--json]',
  summary: 'Purge expired messages (and attachments no longer used) that no legal hold covers; --dry-run says exactly what would go.',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true,
      options: {
        'older-than': { type: 'string' }, policy: { type: 'string' }, custodian: { type: 'string', multiple: true }, conversation: { type: 'string', multiple: true },
        'dry-run': { type: 'boolean' }, name: { type: 'string' }, keep: { type: 'string' }, json: { type: 'boolean' },
      },
    });
    const file = positional(positionals, 0, 'CASE');
    const conversations = values.conversation ? idList(values.conversation, 'conversation') : undefined;
    const scope = { ...(values.custodian ? { custodians: values.custodian } : {}), ...(conversations ? { conversations } : {}) };
    if (positionals[1] === 'policy') {
      const action = positional(positionals, 2, 'a policy action (create, list, delete)');
      const result = await withApi(ctx, file, async (api) => {
        switch (action) {
          case 'create':
            if (!values.name || !values.keep) throw new UsageError('policy create needs --name NAME and --keep DURATION');
            return api.call('retention.createPolicy', { name: values.name, keep: values.keep, ...scope });
          case 'list':
            return api.call('retention.policies', {});
          case 'delete':
            return api.call('retention.deletePolicy', { policyId: oneId(positional(positionals, 3, 'POLICY_ID'), 'policy id')! });
          default:
            throw new UsageError(`unknown policy action "${action}" (create, list, delete)`);
        }
      });
      if (values.json) printJson(ctx, result);
      else for (const p of Array.isArray(result) ? result : [result]) ctx.stdout.write(`${JSON.stringify(p)}\n`);
      return 0;
    }
    if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
    if ((values['older-than'] === undefined) === (values.policy === undefined)) throw new UsageError('give --older-than DURATION or --policy ID');
    const result = await withApi(ctx, file, (api) =>
      api.call('retention.run', {
        ...(values['older-than'] !== undefined ? { olderThan: values['older-than'] } : { policyId: oneId(values.policy, 'policy')! }),
        ...scope,
        dryRun: values['dry-run'] ?? false,
      }),
    );
    if (values.json) printJson(ctx, result);
    else ctx.stdout.write(`${report(result)}\n`);
    return 0;
  },
};
