import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { passphrase, positional, printJson, UsageError, withApi } from '../io.ts';
import type { CliContext } from '../io.ts';
import type { BatchDTO, BatchDetailDTO, BatchProgressDTO, BatchSetDTO, QcSampleDTO, QcSampleResultDTO } from '../../api/dto.ts';
import type { BatchConflictDTO, OfflineCheckinResultDTO } from '../../api/offline-dto.ts';
import { checkOfflineTarget, readOfflineFile, writeOfflineFile } from '../../app/offline-file.ts';
import type { OfflineFileReport } from '../../app/offline-file.ts';
import { idList, oneId, optional } from './review-options.ts';

const ACTION_LIST = ['create', 'list', 'show', 'assign', 'checkout', 'checkin', 'checkout-offline', 'checkin-offline', 'conflicts', 'progress', 'qc-sample', 'qc-queue', 'qc-decide'];
const ACTIONS = ACTION_LIST.join(', ');

const shownValue = (v: BatchConflictDTO['base']) => (Array.isArray(v) ? (v.length ? v.join(' + ') : '(none)') : v === null ? '(none)' : String(v));

function conflictLine(c: BatchConflictDTO): string {
  return `  message ${c.messageId}  ${c.label}: was ${shownValue(c.base)}; offline ${shownValue(c.offline)} (${c.offlineBy}, ${c.offlineAt}); matter ${shownValue(c.server)} (${c.serverBy}, ${c.serverAt}); ${c.winner === 'offline' ? 'offline' : 'matter'} kept`;
}

/** The file's passphrase: HOLDFAST_PASSPHRASE unless --passphrase-env names another variable. */
function filePassphrase(ctx: CliContext, variable: string | undefined): Promise<string> {
  return passphrase(ctx, variable ?? 'HOLDFAST_PASSPHRASE', 'Passphrase of the offline file: ');
}

const pct = (n: number, of: number) => (of === 0 ? '—' : `${Math.round((100 * n) / of)}%`);

function batchLine(b: BatchDTO): string {
  const who = b.state === 'open' ? (b.assignee ? `assigned to ${b.assignee}` : 'unassigned') : b.state === 'checked-out' ? `checked out by ${b.holder}` : `checked in by ${b.checkedInBy}`;
  return `  batch ${String(b.number).padStart(3)} (id ${b.batchId})  ${b.state.padEnd(11)}  ${b.reviewedUnits}/${b.units} units reviewed (${pct(b.reviewedMessages, b.messages)} of ${b.messages} messages, ${b.codedMessages} coded)  ${who}`;
}

type Described = BatchSetDTO | BatchDTO | BatchDetailDTO | BatchProgressDTO | QcSampleResultDTO | QcSampleDTO | BatchConflictDTO | OfflineFileReport | OfflineCheckinResultDTO;

function describe(r: Described | Described[]): string {
  if (Array.isArray(r)) return r.length ? r.map((x) => describe(x)).join('\n') : '(none)';
  if ('conflictId' in r) return conflictLine(r);
  if ('attachments' in r) return `Checked out batch ${r.number} of matter "${r.matter}" offline into ${r.file}: ${r.messages} messages, ${r.attachments} attachment contents.`;
  if ('offlineWon' in r) {
    return `Checked in batch ${r.number}: ${r.applied} changes applied, ${r.conflicts} conflicts (${r.offlineWon} kept offline, ${r.serverWon} kept on the matter), ${r.same} the same on both, ${r.notesAdded} notes added${r.gone ? `, ${r.gone} on messages deleted since` : ''}.`;
  }
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
    '       holdfast batches checkout-offline CASE --batch BATCH_ID --out FILE [--passphrase-env VAR] [--json]\n' +
    '       holdfast batches checkin-offline CASE --file FILE [--passphrase-env VAR] [--force --reason R] [--json]\n' +
    '       holdfast batches CASE conflicts (--set SET_ID | --batch BATCH_ID) [--json]\n' +
    '       holdfast batches CASE progress SET_ID [--json]\n' +
    '       holdfast batches CASE qc-sample SET_ID --percent X [--seed S] [--json]\n' +
    '       holdfast batches CASE qc-queue SET_ID [--pending] [--json]\n' +
    '       holdfast batches CASE qc-decide SAMPLE_ID (--confirm | --overturn [--apply TAG...] [--remove TAG...]) [--reason R] [--json]',
  summary: 'Review batches: cut review units into batches, check them out and in (also offline, into a case file of their own), sample them for QC and confirm or overturn.',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true,
      options: {
        name: { type: 'string' }, size: { type: 'string' }, 'saved-search': { type: 'string' }, conversation: { type: 'string', multiple: true },
        to: { type: 'string' }, unassign: { type: 'boolean' }, force: { type: 'boolean' }, reason: { type: 'string' }, percent: { type: 'string' },
        seed: { type: 'string' }, pending: { type: 'boolean' }, confirm: { type: 'boolean' }, overturn: { type: 'boolean' },
        apply: { type: 'string', multiple: true }, remove: { type: 'string', multiple: true }, json: { type: 'boolean' },
        batch: { type: 'string' }, set: { type: 'string' }, out: { type: 'string' }, file: { type: 'string' }, 'passphrase-env': { type: 'string' },
      },
    });
    // The action may come before CASE too (holdfast batches checkout-offline holdfasts://HOST/MATTER ...).
    if (ACTION_LIST.includes(positionals[0] ?? '') && positionals.length > 1) positionals.splice(0, 2, positionals[1]!, positionals[0]!);
    const file = positional(positionals, 0, 'CASE');
    const action = positional(positionals, 1, `an action (${ACTIONS})`);
    if (action === 'checkout-offline') {
      const batchId = oneId(values.batch, 'batch');
      if (!batchId || !values.out) throw new UsageError('give --batch BATCH_ID and --out FILE');
      const secret = await filePassphrase(ctx, values['passphrase-env']);
      // Before the batch is checked out: a file that cannot be written would leave it checked out with none.
      checkOfflineTarget(values.out, secret);
      const dto = await withApi(ctx, file, (api) => api.call('batches.checkoutOffline', { batchId }));
      const report = writeOfflineFile(values.out, secret, dto);
      if (values.json) printJson(ctx, report);
      else ctx.stdout.write(`${describe(report)}\n`);
      return 0;
    }
    if (action === 'checkin-offline') {
      if (!values.file) throw new UsageError('give --file FILE (the offline check-out)');
      const read = readOfflineFile(values.file, await filePassphrase(ctx, values['passphrase-env']));
      const r = await withApi(ctx, file, (api) => api.call('batches.checkinOffline', { ...read, ...(values.force ? { force: true } : {}), ...optional({ reason: values.reason }) }));
      if (values.json) printJson(ctx, r);
      else ctx.stdout.write(`${describe(r)}\n`);
      return 0;
    }
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
        case 'conflicts': {
          const setId = oneId(values.set, 'set');
          const batchId = oneId(values.batch, 'batch');
          if (!setId === !batchId) throw new UsageError('give --set SET_ID or --batch BATCH_ID');
          return api.call('batches.conflicts', optional({ setId, batchId }));
        }
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
