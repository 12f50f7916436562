import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { positional, printJson, UsageError, withApi } from '../io.ts';
import type { BatchDTO, BatchDetailDTO, BatchProgressDTO, BatchSetDTO, QcSampleDTO, QcSampleResultDTO } from '../../api/dto.ts';
import { idList, oneId, optional } from './review-options.ts';

const ACTIONS = 'create, list, show, assign, checkout, checkin, progress, qc-sample, qc-queue, qc-decide';

const pct = (n: number, of: number) => (of === 0 ? '—' : `${Math.round((100 * n) / of)}%`);

function batchLine(b: BatchDTO): string {
  const who = b.state === 'open' ? (b.assignee ? `assigned to ${b.assignee}` : 'unassigned') : b.state === 'checked-out' ? `checked out by ${b.holder}` : `checked in by ${b.checkedInBy}`;
  return `  batch ${String(b.number).padStart(3)} (id ${b.batchId})  ${b.state.padEnd(11)}  ${b.reviewedUnits}/${b.units} units reviewed (${pct(b.reviewedMessages, b.messages)} of ${b.messages} messages, ${b.codedMessages} coded)  ${who}`;
}

function describe(r: BatchSetDTO | BatchSetDTO[] | BatchDTO | BatchDetailDTO | BatchProgressDTO | QcSampleResultDTO | QcSampleDTO | QcSampleDTO[]): string {
  if (Array.isArray(r)) return r.length ? r.map((x) => describe(x)).join('\n') : '(none)';
  if ('unitList' in r) return [batchLine(r), ...r.unitList.map((u) => `    ${u.key}  ${u.messageIds.length} messages  ${u.status}`)].join('\n');
  if ('reviewers' in r && 'percent' in r) return `Sampled ${r.samples.length} units (seed ${r.seed}): ${r.reviewers.map((x) => `${x.reviewer} ${x.sampled.length} of ${x.candidates}`).join(', ')}`;
  if ('reviewers' in r) {
    return [`${r.name}: ${r.reviewedUnits}/${r.units} units reviewed`, ...r.batches.map(batchLine),
      ...r.reviewers.map((x) => `  ${x.reviewer}: ${x.reviewedUnits}/${x.units} units, ${x.checkedIn}/${x.batches} batches checked in; QC ${x.qcOverturned}/${x.qcDecided} overturned${x.overturnRate === null ? '' : ` (${pct(x.qcOverturned, x.qcDecided)})`}, ${x.qcSampled - x.qcDecided} pending`)].join('\n');
  }
  if ('sampleId' in r) return `sample ${String(r.sampleId).padStart(4)}  ${r.unit}  batch ${r.batchNumber}  ${r.reviewer}  ${r.decision ?? 'pending'}${r.decidedBy ? ` by ${r.decidedBy}` : ''}`;
  if ('source' in r) return [`${String(r.setId).padStart(4)}  ${r.name}  ${r.units} units in ${r.batches.length} batches of ${r.unitSize}, ${r.reviewedUnits} reviewed`, ...r.batches.map(batchLine)].join('\n');
  return batchLine(r);
}

export const batchesCommand: Command = {
  name: 'batches',
  usage:
    'batches CASE create --name NAME --size N (--saved-search ID | --conversation ID...) [--json]\n' +
    '       holdfast batches CASE list [--json]\n' +
    '       holdfast batches CASE show BATCH_ID [--json]\n' +
    '       holdfast batches CASE assign BATCH_ID (--to NAME | --unassign) [--json]\n' +
    '       holdfast batches CASE checkout BATCH_ID [--json]\n' +
    '       holdfast batches CASE checkin BATCH_ID [--force --reason R] [--json]\n' +
    '       holdfast batches CASE progress SET_ID [--json]\n' +
    '       holdfast batches CASE qc-sample SET_ID --percent X [--seed S] [--json]\n' +
    '       holdfast batches CASE qc-queue SET_ID [--pending] [--json]\n' +
    '       holdfast batches CASE qc-decide SAMPLE_ID (--confirm | --overturn [--apply TAG...] [--remove TAG...]) [--reason R] [--json]',
  summary: 'Review batches: cut review units into batches, check them out and in, sample them for QC and confirm or overturn.',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true,
      options: {
        name: { type: 'string' }, size: { type: 'string' }, 'saved-search': { type: 'string' }, conversation: { type: 'string', multiple: true },
        to: { type: 'string' }, unassign: { type: 'boolean' }, force: { type: 'boolean' }, reason: { type: 'string' }, percent: { type: 'string' },
        seed: { type: 'string' }, pending: { type: 'boolean' }, confirm: { type: 'boolean' }, overturn: { type: 'boolean' },
        apply: { type: 'string', multiple: true }, remove: { type: 'string', multiple: true }, json: { type: 'boolean' },
      },
    });
    const file = positional(positionals, 0, 'CASE');
    const action = positional(positionals, 1, `an action (${ACTIONS})`);
    const idArg = (what: string) => oneId(positional(positionals, 2, what), what.toLowerCase().replace('_', ' '))!;
    const result = await withApi(ctx, file, async (api) => {
      switch (action) {
        case 'create': {
          if (!values.name) throw new UsageError('--name NAME is required');
          const size = oneId(values.size, 'size');
          if (!size) throw new UsageError('--size N (review units a batch) is required');
          const savedSearchId = oneId(values['saved-search'], 'saved-search');
          return api.call('batches.create', { name: values.name, unitSize: size, ...optional({ savedSearchId }), ...(values.conversation ? { conversationIds: idList(values.conversation, 'conversation') } : {}) });
        }
        case 'list':
          return api.call('batches.list', {});
        case 'show':
          return api.call('batches.get', { batchId: idArg('BATCH_ID') });
        case 'assign':
          if (!values.to === !values.unassign) throw new UsageError('give --to NAME or --unassign');
          return api.call('batches.assign', { batchId: idArg('BATCH_ID'), assignee: values.to ?? null });
        case 'checkout':
          return api.call('batches.checkout', { batchId: idArg('BATCH_ID') });
        case 'checkin':
          return api.call('batches.checkin', { batchId: idArg('BATCH_ID'), ...(values.force ? { force: true } : {}), ...optional({ reason: values.reason }) });
        case 'progress':
          return api.call('batches.progress', { setId: idArg('SET_ID') });
        case 'qc-sample': {
          const percent = Number(values.percent);
          if (values.percent === undefined || !Number.isFinite(percent)) throw new UsageError('--percent X (more than 0, at most 100) is required');
          return api.call('batches.qcSample', { setId: idArg('SET_ID'), percent, ...optional({ seed: values.seed }) });
        }
        case 'qc-queue':
          return api.call('batches.qcQueue', { setId: idArg('SET_ID'), ...(values.pending ? { pending: true } : {}) });
        case 'qc-decide':
          if (!values.confirm === !values.overturn) throw new UsageError('give --confirm or --overturn');
          return api.call('batches.qcDecide', {
            sampleId: idArg('SAMPLE_ID'), decision: values.confirm ? 'confirm' : 'overturn',
            ...optional({ apply: values.apply, remove: values.remove, reason: values.reason }),
          });
        default:
          throw new UsageError(`unknown batches action "${action}" (${ACTIONS})`);
      }
    });
    if (values.json) printJson(ctx, result);
    else ctx.stdout.write(`${describe(result)}\n`);
    return 0;
  },
};
