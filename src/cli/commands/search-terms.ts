import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { positional, printJson, progressPrinter, UsageError, withApi } from '../io.ts';
import { HoldfastError } from '../../api/errors.ts';
import { parseTermsFile } from '../../search/term-list.ts';
import { termReportCsv, writeTermReportXlsx } from '../../search/term-report-export.ts';

export const searchTermsCommand: Command = {
  name: 'search-terms',
  usage: 'search-terms CASE --terms FILE [--csv OUT] [--xlsx OUT] [--include-personal] [--json]',
  summary: 'Term-list report: hits, unique hits, family hits (review units), custodians and conversations for each query of a file (one per line; # comments).',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true,
      options: { terms: { type: 'string' }, csv: { type: 'string' }, xlsx: { type: 'string' }, 'include-personal': { type: 'boolean' }, json: { type: 'boolean' } },
    });
    const file = positional(positionals, 0, 'CASE');
    if (!values.terms) throw new UsageError('--terms FILE is required (one query per line)');
    let text: string;
    try {
      text = fs.readFileSync(values.terms, 'utf8');
    } catch (err) {
      throw new HoldfastError('NOT_FOUND', `Cannot read the terms file ${values.terms}: ${(err as Error).message}`, { file: values.terms });
    }
    if (parseTermsFile(text).length === 0) throw new HoldfastError('VALIDATION', `The terms file ${values.terms} has no queries (one per line; lines starting with # are comments).`, { file: values.terms });
    const progress = progressPrinter(ctx);
    const report = await withApi(ctx, file, async (api) => {
      const stop = api.on('search.progress', (e) => progress(`regular expression: ${e.done}/${e.total} messages`));
      try {
        return await api.call('search.terms', { terms: text, includePersonal: values['include-personal'] ?? false, searchId: 'cli' });
      } finally {
        stop();
      }
    });
    progress('');
    try {
      if (values.csv) fs.writeFileSync(values.csv, termReportCsv(report));
      if (values.xlsx) await writeTermReportXlsx(report, values.xlsx);
    } catch (err) {
      const out = values.csv && !values.xlsx ? values.csv : values.xlsx!;
      throw new HoldfastError(/ENOSPC/.test(String(err)) ? 'DISK_FULL' : 'VALIDATION', `Cannot write the report to ${out}: ${(err as Error).message}`, { file: out });
    }
    const bad = report.terms.filter((t) => t.error).length;
    if (bad) ctx.stderr.write(`holdfast: ${bad} line${bad === 1 ? ' is' : 's are'} not a valid query; see the report.\n`);
    if (values.json) {
      printJson(ctx, report);
      return 0;
    }
    const width = Math.min(50, Math.max(5, ...report.terms.map((t) => t.query.length)));
    ctx.stdout.write(`${'line'.padStart(5)}  ${'query'.padEnd(width)}  ${'hits'.padStart(9)}  ${'unique'.padStart(9)}  ${'families'.padStart(9)}  top custodians / conversations\n`);
    for (const t of report.terms) {
      const q = t.query.length > width ? `${t.query.slice(0, width - 1)}…` : t.query.padEnd(width);
      if (t.error) {
        ctx.stdout.write(`${String(t.line).padStart(5)}  ${q}  ${t.error.code}: ${t.error.message}\n`);
        continue;
      }
      const where = [
        t.byCustodian.slice(0, 3).map((c) => `${c.custodian} ${c.hits}`).join(', '),
        t.byConversation.slice(0, 3).map((c) => `${c.conversation || `#${c.conversationId}`} ${c.hits}`).join(', '),
      ].filter(Boolean).join(' | ');
      ctx.stdout.write(`${String(t.line).padStart(5)}  ${q}  ${String(t.hits).padStart(9)}  ${String(t.uniqueHits).padStart(9)}  ${String(t.familyHits ?? '').padStart(9)}  ${where}\n`);
      for (const e of t.expansions ?? []) ctx.stdout.write(`${''.padStart(7)}${e.operand} → ${e.terms.join(' ')}${e.more ? ` (+${e.more} more)` : ''}\n`);
    }
    ctx.stdout.write(`Union of all terms: ${report.unionTotal} messages in ${report.unionFamilyHits ?? 0} review units (${report.tookMs} ms)\n`);
    return 0;
  },
};
