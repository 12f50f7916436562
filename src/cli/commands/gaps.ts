import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { positional, printJson, UsageError, withApi } from '../io.ts';
import type { GapReportDTO } from '../../api/analysis-dto.ts';
import { optional } from './review-options.ts';
import { DEFAULT_AROUND, findingsOf, MAX_AROUND } from '../../analysis/gaps/findings.ts';
import { HoldfastError } from '../../api/errors.ts';

/** A day (`2024-03-01`, the start of that UTC day; or its end for --to) or a full ISO time, as the API takes it. */
function matterTime(value: string | undefined, name: string, endOfDay: boolean): string | undefined {
  if (value === undefined) return undefined;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const ms = Date.parse(day ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(ms)) throw new UsageError(`--${name} takes a date (2024-03-01) or an ISO 8601 time, not "${value}"`);
  return new Date(day && endOfDay ? ms + 86_400_000 - 1 : ms).toISOString();
}

function printText(out: NodeJS.WritableStream, r: GapReportDTO): void {
  out.write(`Cross-custodian gaps: ${r.crossCustodian.length}\n`);
  for (const g of r.crossCustodian) {
    out.write(`  ${g.conversation} (conversation ${g.conversationId}): ${g.count} message${g.count === 1 ? '' : 's'} missing from ${g.missingFrom}'s copy, held by ${g.presentIn.join(', ')}, ${g.first} – ${g.last}\n`);
  }
  out.write(`Sequence gaps: ${r.sequence.length}\n`);
  for (const g of r.sequence) out.write(`  source ${g.sourceId} ${g.field}: ${g.missing} missing between ${g.after} and ${g.before} (messages ${g.messageBeforeHole.messageId} and ${g.messageAfterHole.messageId})\n`);
  out.write(`Silences: ${r.silences.length}\n`);
  for (const s of r.silences) out.write(`  ${s.conversation} (conversation ${s.conversationId}): ${s.from} – ${s.to}, ${s.statistic}\n`);
  out.write('Coverage:\n');
  for (const c of r.coverage) {
    out.write(`  ${c.custodian}: matter ${c.matterFrom} – ${c.matterTo}\n`);
    for (const s of c.sources) out.write(`    source ${s.sourceId} ${s.name} (${s.format}): ${s.messages} messages, ${s.from ?? '?'} – ${s.to ?? '?'}\n`);
    for (const u of c.uncovered) out.write(`    not covered: ${u.from} – ${u.to} (${u.days} days)\n`);
  }
  out.write(`Deletion clusters: ${r.deletions.length}\n`);
  for (const d of r.deletions) {
    out.write(`  ${d.conversation} (conversation ${d.conversationId}): ${d.count} deleted messages, ${d.first} – ${d.last}, in the copies of ${d.custodians.join(', ') || 'no custodian'} (${d.rule})\n`);
  }
}

export const gapsCommand: Command = {
  name: 'gaps',
  usage: 'gaps CASE [--from DATE] [--to DATE] [--min-silence-days N] [--deletion-window MINUTES] [--report FILE.xlsx|FILE.pdf | --tag TAG --finding N] [--around N] [--json]',
  summary: 'Deletion-gap analysis: messages one custodian\'s copy lacks, holes in source ids, unusual silences, export windows, clusters of deleted messages.',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true,
      options: { from: { type: 'string' }, to: { type: 'string' }, 'min-silence-days': { type: 'string' }, 'deletion-window': { type: 'string' }, report: { type: 'string' }, tag: { type: 'string' }, finding: { type: 'string' }, around: { type: 'string' }, json: { type: 'boolean' } },
    });
    const file = positional(positionals, 0, 'CASE');
    const minDays = values['min-silence-days'];
    if (minDays !== undefined && !(Number(minDays) > 0)) throw new UsageError(`--min-silence-days takes a positive number, not "${minDays}"`);
    const window = values['deletion-window'];
    if (window !== undefined && !(Number(window) > 0)) throw new UsageError(`--deletion-window takes a positive number of minutes, not "${window}"`);
    const opts = optional({
      from: matterTime(values.from, 'from', false), to: matterTime(values.to, 'to', true),
      minSilenceDays: minDays === undefined ? undefined : Number(minDays), deletionWindowMinutes: window === undefined ? undefined : Number(window),
    });
    const around = values.around === undefined ? DEFAULT_AROUND : Number(values.around);
    if (!Number.isInteger(around) || around < 0 || around > MAX_AROUND) throw new UsageError(`--around takes a number of messages from 0 to ${MAX_AROUND}, not "${values.around}"`);
    if (values.around !== undefined && values.report === undefined && values.tag === undefined) throw new UsageError('--around goes with --report or --tag');
    if ((values.tag === undefined) !== (values.finding === undefined)) throw new UsageError('--tag and --finding go together');
    if (values.tag !== undefined && values.report !== undefined) throw new UsageError('--report and --tag are separate runs');
    const tag = values.tag;
    if (tag !== undefined) {
      const n = Number(values.finding);
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`--finding takes a finding's number in the report, not "${values.finding}"`);
      const r = await withApi(ctx, file, async (api) => {
        const f = findingsOf(await api.call('analysis.gaps', opts))[n - 1];
        if (!f) throw new HoldfastError('NOT_FOUND', `There is no finding ${n}.`);
        if (f.conversationId === null) throw new HoldfastError('VALIDATION', `Finding ${n} (${f.kind}) has no messages of its own to tag.`);
        return api.call('analysis.tagFinding', { tag, finding: `finding ${n}: ${f.kind}, ${f.where}, ${f.summary}`, conversationId: f.conversationId, messageIds: f.messageIds, around });
      });
      if (values.json) printJson(ctx, r);
      else ctx.stdout.write(`Tagged ${r.changed} of ${r.messageIds.length} messages "${r.tag}".\n`);
      return 0;
    }
    const out = values.report;
    if (out !== undefined) {
      const written = await withApi(ctx, file, (api) => api.call('analysis.gapsReport', { ...opts, path: out, around }));
      if (values.json) printJson(ctx, written);
      else ctx.stdout.write(`Findings report ${written.path}: ${written.findings} findings, ${written.evidence} messages of evidence. SHA-256 ${written.sha256}\n`);
      return 0;
    }
    const report = await withApi(ctx, file, (api) => api.call('analysis.gaps', opts));
    if (values.json) printJson(ctx, report);
    else printText(ctx.stdout, report);
    return 0;
  },
};
