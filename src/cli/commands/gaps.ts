import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { positional, printJson, UsageError, withApi } from '../io.ts';
import type { GapReportDTO } from '../../api/analysis-dto.ts';
import { optional } from './review-options.ts';

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
  for (const g of r.sequence) out.write(`  source ${g.sourceId} ${g.field}: ${g.missing} missing between ${g.after} and ${g.before}\n`);
  out.write(`Silences: ${r.silences.length}\n`);
  for (const s of r.silences) out.write(`  ${s.conversation} (conversation ${s.conversationId}): ${s.from} – ${s.to}, ${s.statistic}\n`);
  out.write('Coverage:\n');
  for (const c of r.coverage) {
    out.write(`  ${c.custodian}: matter ${c.matterFrom} – ${c.matterTo}\n`);
    for (const s of c.sources) out.write(`    source ${s.sourceId} ${s.name} (${s.format}): ${s.messages} messages, ${s.from ?? '?'} – ${s.to ?? '?'}\n`);
    for (const u of c.uncovered) out.write(`    not covered: ${u.from} – ${u.to} (${u.days} days)\n`);
  }
}

export const gapsCommand: Command = {
  name: 'gaps',
  usage: 'gaps CASE [--from DATE] [--to DATE] [--min-silence-days N] [--json]',
  summary: 'Deletion-gap analysis: messages one custodian\'s copy lacks, holes in source ids, unusual silences, export windows.',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true,
      options: { from: { type: 'string' }, to: { type: 'string' }, 'min-silence-days': { type: 'string' }, json: { type: 'boolean' } },
    });
    const file = positional(positionals, 0, 'CASE');
    const minDays = values['min-silence-days'];
    if (minDays !== undefined && !(Number(minDays) > 0)) throw new UsageError(`--min-silence-days takes a positive number, not "${minDays}"`);
    const opts = optional({ from: matterTime(values.from, 'from', false), to: matterTime(values.to, 'to', true), minSilenceDays: minDays === undefined ? undefined : Number(minDays) });
    const report = await withApi(ctx, file, (api) => api.call('analysis.gaps', opts));
    if (values.json) printJson(ctx, report);
    else printText(ctx.stdout, report);
    return 0;
  },
};
