import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { positional, printJson, UsageError, withSession } from '../io.ts';
import { HoldfastError } from '../../api/errors.ts';
import { parseTermsFile, searchTerms } from '../../search/term-list.ts';

export const searchTermsCommand: Command = {
  name: 'search-terms',
  usage: 'search-terms CASE --terms FILE [--include-personal] [--json]',
  summary: 'Term-list report: hits, unique hits, custodians and conversations for each query of a file (one per line; # comments).',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true,
      options: { terms: { type: 'string' }, 'include-personal': { type: 'boolean' }, json: { type: 'boolean' } },
    });
    const file = positional(positionals, 0, 'CASE');
    if (!values.terms) throw new UsageError('--terms FILE is required (one query per line)');
    let text: string;
    try {
      text = fs.readFileSync(values.terms, 'utf8');
    } catch (err) {
      throw new HoldfastError('NOT_FOUND', `Cannot read the terms file ${values.terms}: ${(err as Error).message}`, { file: values.terms });
    }
    const lines = parseTermsFile(text);
    if (lines.length === 0) throw new HoldfastError('VALIDATION', `The terms file ${values.terms} has no queries (one per line; lines starting with # are comments).`, { file: values.terms });
    const report = await withSession(ctx, file, (s) => searchTerms(s, lines, { includePersonal: values['include-personal'] ?? false }));
    const bad = report.terms.filter((t) => t.error).length;
    if (bad) ctx.stderr.write(`holdfast: ${bad} line${bad === 1 ? ' is' : 's are'} not a valid query; see the report.\n`);
    if (values.json) {
      printJson(ctx, report);
      return 0;
    }
    const width = Math.min(50, Math.max(5, ...report.terms.map((t) => t.query.length)));
    ctx.stdout.write(`${'line'.padStart(5)}  ${'query'.padEnd(width)}  ${'hits'.padStart(9)}  ${'unique'.padStart(9)}  top custodians / conversations\n`);
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
      ctx.stdout.write(`${String(t.line).padStart(5)}  ${q}  ${String(t.hits).padStart(9)}  ${String(t.uniqueHits).padStart(9)}  ${where}\n`);
    }
    ctx.stdout.write(`Union of all terms: ${report.unionTotal} messages (${report.tookMs} ms)\n`);
    return 0;
  },
};
