import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { positional, printJson, UsageError, withApi } from '../io.ts';
import type { AlertDTO, AlertStatus, PolicyDTO, PolicyScopeDTO, SurveillanceRunDTO } from '../../api/surveillance-dto.ts';
import { oneId, optional } from './review-options.ts';

function describePolicy(p: PolicyDTO): string {
  const m = p.metrics;
  const scope = [
    p.scope.custodians ? `custodians ${p.scope.custodians.join(', ')}` : '', p.scope.platforms ? `platforms ${p.scope.platforms.join(', ')}` : '',
    p.scope.from ? `from ${p.scope.from}` : '', p.scope.to ? `to ${p.scope.to}` : '',
  ].filter(Boolean).join('; ');
  const rate = m.escalationRate === null ? '' : `, escalation rate ${Math.round(m.escalationRate * 100)}%, median ${m.medianHoursToDisposition} h to disposition`;
  return `${String(p.id).padStart(4)}  ${p.name}${p.example ? ' (example)' : ''}${p.enabled ? '' : ' [disabled]'}  ${p.terms.length} terms${scope ? `  (${scope})` : ''}  ` +
    `${m.alerts} alerts: ${m.open} open, ${m.escalated} escalated, ${m.falsePositives} false positives${rate}`;
}

/** A date as the API takes it (ISO 8601 in UTC; a day is its start); what is no date goes as given, for the API to refuse. */
const isoTime = (v: string | undefined): string | undefined => (v === undefined || Number.isNaN(Date.parse(v)) ? v : new Date(Date.parse(v)).toISOString());

const scopeOf = (v: { custodian?: string[]; platform?: string[]; from?: string; to?: string }): PolicyScopeDTO | undefined =>
  v.custodian || v.platform || v.from || v.to ? { ...optional({ custodians: v.custodian, platforms: v.platform, from: isoTime(v.from), to: isoTime(v.to) }) } : undefined;

export const policyCommand: Command = {
  name: 'policy',
  usage:
    'policy CASE add --name NAME --term Q [--term Q...] [--description D] [--custodian C...] [--platform P...] [--from DATE] [--to DATE] [--json]\n' +
    '       holdfast policy CASE add --starter [--json]\n' +
    '       holdfast policy CASE edit POLICY_ID [--name NAME] [--term Q...] [--custodian C...] [--platform P...] [--from DATE] [--to DATE] [--enable|--disable] [--json]\n' +
    '       holdfast policy CASE list [--json]\n' +
    '       holdfast policy CASE run [POLICY_ID] [--json]',
  summary: 'Standing lexicon surveillance: policies that raise alerts on every import, and on demand.',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true,
      options: {
        name: { type: 'string' }, term: { type: 'string', multiple: true }, description: { type: 'string' }, custodian: { type: 'string', multiple: true },
        platform: { type: 'string', multiple: true }, from: { type: 'string' }, to: { type: 'string' }, starter: { type: 'boolean' },
        enable: { type: 'boolean' }, disable: { type: 'boolean' }, json: { type: 'boolean' },
      },
    });
    const file = positional(positionals, 0, 'CASE');
    const action = positional(positionals, 1, 'an action (add, edit, list, run)');
    if (values.enable && values.disable) throw new UsageError('--enable and --disable exclude each other');
    const scope = scopeOf(values);
    const result = await withApi(ctx, file, (api): Promise<PolicyDTO | PolicyDTO[] | SurveillanceRunDTO> => {
      switch (action) {
        case 'add':
          if (values.starter) return api.call('surveillance.addStarter', {});
          if (!values.name) throw new UsageError('--name NAME is required (or --starter)');
          if (!values.term?.length) throw new UsageError('--term Q is required');
          return api.call('surveillance.createPolicy', { name: values.name, terms: values.term, ...optional({ description: values.description, scope }) });
        case 'edit':
          return api.call('surveillance.editPolicy', {
            policyId: oneId(positional(positionals, 2, 'POLICY_ID'), 'policy id')!,
            ...optional({ name: values.name, terms: values.term, description: values.description, scope }),
            ...(values.enable ? { enabled: true } : values.disable ? { enabled: false } : {}),
          });
        case 'list':
          return api.call('surveillance.policies', {});
        case 'run':
          return api.call('surveillance.run', optional({ policyId: oneId(positionals[2], 'policy id') }));
        default:
          throw new UsageError(`unknown policy action "${action}" (add, edit, list, run)`);
      }
    });
    if (values.json) printJson(ctx, result);
    else if (Array.isArray(result)) for (const p of result) ctx.stdout.write(`${describePolicy(p)}\n`);
    else if ('raised' in result) ctx.stdout.write(`${result.total} new alerts${result.raised.map((r) => `\n  ${r.policy}: ${r.alerts}`).join('')}\n`);
    else ctx.stdout.write(`${describePolicy(result)}\n`);
    return 0;
  },
};

const STATUSES: readonly AlertStatus[] = ['open', 'escalated', 'false-positive'];
/** The CLI's page when --limit is not given: the API's largest. */
const ALERTS_PAGE = 1000;

function describeAlert(a: AlertDTO): string {
  const state = a.status === 'open' ? 'open' : `${a.status} by ${a.disposedBy} ${a.disposedAt}${a.reason ? `: ${a.reason}` : ''}`;
  return `${String(a.id).padStart(5)}  ${a.policy}  [${state}]  ${a.conversation} (message ${a.messageId}) ${a.sentAt} ${a.sender ?? '?'}: ${a.text.replace(/\s+/g, ' ').slice(0, 120)}`;
}

export const alertsCommand: Command = {
  name: 'alerts',
  usage: 'alerts CASE [--policy ID] [--status open|escalated|false-positive] [--limit N] [--offset N] [--json]',
  summary: 'The surveillance alert queue: each alert with its policy, message and context.',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true,
      options: { policy: { type: 'string' }, status: { type: 'string' }, limit: { type: 'string' }, offset: { type: 'string' }, json: { type: 'boolean' } },
    });
    const file = positional(positionals, 0, 'CASE');
    const status = values.status as AlertStatus | undefined;
    if (status !== undefined && !STATUSES.includes(status)) throw new UsageError(`--status takes ${STATUSES.join(', ')}, not "${values.status}"`);
    const page = await withApi(ctx, file, (api) =>
      api.call('surveillance.alerts', {
        ...optional({ policyId: oneId(values.policy, 'policy'), status, offset: oneId(values.offset, 'offset') }),
        limit: oneId(values.limit, 'limit') ?? ALERTS_PAGE,
      }),
    );
    if (values.json) printJson(ctx, page);
    else {
      ctx.stdout.write(`${page.total} alerts\n`);
      for (const a of page.items) ctx.stdout.write(`${describeAlert(a)}\n`);
    }
    return 0;
  },
};

export const alertDispositionCommand: Command = {
  name: 'alert-disposition',
  usage: 'alert-disposition CASE --alert ID (--escalate | --false-positive) [--reason R] [--json]',
  summary: 'Escalate an alert, or close it as a false positive (with a reason); audited.',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true,
      options: { alert: { type: 'string' }, escalate: { type: 'boolean' }, 'false-positive': { type: 'boolean' }, reason: { type: 'string' }, json: { type: 'boolean' } },
    });
    const file = positional(positionals, 0, 'CASE');
    const alertId = oneId(values.alert, 'alert');
    if (alertId === undefined) throw new UsageError('--alert ID is required');
    if (!!values.escalate === !!values['false-positive']) throw new UsageError('give exactly one of --escalate and --false-positive');
    const alert = await withApi(ctx, file, (api) =>
      api.call('surveillance.disposition', { alertId, status: values.escalate ? 'escalated' : 'false-positive', ...optional({ reason: values.reason }) }),
    );
    if (values.json) printJson(ctx, alert);
    else ctx.stdout.write(`${describeAlert(alert)}\n`);
    return 0;
  },
};
