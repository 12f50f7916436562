import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { positional, printJson, UsageError, withApi } from '../io.ts';
import type { IdentitySuggestionDTO, ParticipantDTO } from '../../api/dto.ts';
import { idList, oneId, optional } from './review-options.ts';

function person(p: ParticipantDTO): string {
  const handles = p.handles.map((h) => `#${h.id} ${h.kind}:${h.value}${h.display && h.display !== h.value ? ` (${h.display})` : ''}`).join(', ');
  return `${String(p.id).padStart(5)}  ${p.name}  ${p.messages} messages in ${p.conversations} conversations  [${handles}]`;
}

function suggestion(s: IdentitySuggestionDTO): string {
  return `${s.reason} ${s.key}: ${s.participants.map((p) => `${p.id} ${p.name}`).join(' | ')}  (handles ${s.handles.map((h) => h.id).join(', ')})`;
}

export const identitiesCommand: Command = {
  name: 'identities',
  usage:
    'identities CASE list | suggest | link --handle ID --handle ID... [--participant ID] [--name NAME] | unlink --handle ID [--name NAME] | rename --participant ID --name NAME  [--json]',
  summary: 'People across handles (phones, emails, WhatsApp ids, Apple IDs): list, suggestions, link, unlink, rename.',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true,
      options: { handle: { type: 'string', multiple: true }, participant: { type: 'string' }, name: { type: 'string' }, json: { type: 'boolean' } },
    });
    const file = positional(positionals, 0, 'CASE');
    const action = positionals[1] ?? 'list';
    const handles = idList(values.handle, 'handle');
    const participantId = oneId(values.participant, 'participant');
    const result = await withApi(ctx, file, (api): Promise<ParticipantDTO | ParticipantDTO[] | IdentitySuggestionDTO[]> => {
      switch (action) {
        case 'list':
          return api.call('identities.list', {});
        case 'suggest':
          return api.call('identities.suggest', {});
        case 'link':
          if (handles.length === 0) throw new UsageError('link needs --handle ID (one or more)');
          return api.call('identities.link', { handleIds: handles, ...optional({ participantId, name: values.name }) });
        case 'unlink':
          if (handles.length !== 1) throw new UsageError('unlink takes one --handle ID');
          return api.call('identities.unlink', { handleId: handles[0]!, ...optional({ name: values.name }) });
        case 'rename':
          if (participantId === undefined || values.name === undefined) throw new UsageError('rename needs --participant ID and --name NAME');
          return api.call('identities.rename', { participantId, name: values.name });
        default:
          throw new UsageError(`unknown identities action "${action}" (list, suggest, link, unlink, rename)`);
      }
    });
    if (values.json) printJson(ctx, result);
    else if (action === 'suggest') for (const x of result as IdentitySuggestionDTO[]) ctx.stdout.write(`${suggestion(x)}\n`);
    else for (const p of Array.isArray(result) ? (result as ParticipantDTO[]) : [result as ParticipantDTO]) ctx.stdout.write(`${person(p)}\n`);
    return 0;
  },
};
