import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { positional, printJson, UsageError, withApi } from '../io.ts';
import { oneId, optional } from './review-options.ts';

export const conversationsCommand: Command = {
  name: 'conversations',
  usage: 'conversations CASE [list] [--include-personal | --personal] [--custodian C] [--name TEXT] [--participant ID] | show ID | units ID  [--json]',
  summary: 'Conversations with counts, period and participants; one in detail (members over time, renames); its review units (days).',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true,
      options: {
        'include-personal': { type: 'boolean' }, personal: { type: 'boolean' }, custodian: { type: 'string' }, name: { type: 'string' },
        participant: { type: 'string' }, json: { type: 'boolean' },
      },
    });
    const file = positional(positionals, 0, 'CASE');
    const action = positionals[1] ?? 'list';
    await withApi(ctx, file, async (api) => {
      switch (action) {
        case 'list': {
          const list = await api.call('conversations.list', {
            ...optional({ custodian: values.custodian, name: values.name, participantId: oneId(values.participant, 'participant') }),
            ...(values.personal ? { personal: true } : { includePersonal: values['include-personal'] ?? false }),
          });
          if (values.json) printJson(ctx, list);
          else for (const c of list) ctx.stdout.write(`${String(c.id).padStart(5)}  ${c.personal ? '[personal] ' : ''}${c.name} (${c.platform} ${c.kind})  ${c.messages} messages, ${c.firstAt ?? '-'} .. ${c.lastAt ?? '-'}  ${c.participants.map((p) => p.name).join(', ')}\n`);
          return;
        }
        case 'show': {
          const c = await api.call('conversations.get', { conversationId: oneId(positional(positionals, 2, 'ID'), 'conversation id')! });
          if (values.json) printJson(ctx, c);
          else {
            ctx.stdout.write(`${c.id} ${c.name} (${c.platform} ${c.kind})${c.personal ? ' [personal]' : ''}: ${c.messages} messages, ${c.events} events, ${c.heldMessages} held\n`);
            for (const n of c.nameHistory) ctx.stdout.write(`  name ${n.fromAt ?? '(from the start)'}: ${n.name}\n`);
            for (const m of c.members) ctx.stdout.write(`  member ${m.participant ?? m.handle} <${m.handleKind}:${m.handle}> joined ${m.joinedAt ?? '-'} left ${m.leftAt ?? '-'}, ${m.messages} messages\n`);
            for (const e of c.membershipEvents) ctx.stdout.write(`  ${e.at} ${e.type}: ${e.text}\n`);
          }
          return;
        }
        case 'units': {
          const units = await api.call('conversations.units', { conversationId: oneId(positional(positionals, 2, 'ID'), 'conversation id')! });
          if (values.json) printJson(ctx, units);
          else for (const u of units) ctx.stdout.write(`${u.key}  ${u.events} events, ${u.coded} coded (${u.status})  ${u.firstAt} .. ${u.lastAt}\n`);
          return;
        }
        default:
          throw new UsageError(`unknown conversations action "${action}" (list, show, units)`);
      }
    });
    return 0;
  },
};
