/**
 * A term report as the other side receives it: CSV (UTF-8 with BOM, RFC 4180 quoting) or XLSX,
 * one row per line of the terms file, then the union.
 */
import fs from 'node:fs';
import type { TermReportDTO } from '../api/dto.ts';

export const TERM_REPORT_COLUMNS = [
  'Line', 'Query', 'Hits', 'Unique hits', 'Family hits (review units)', 'Family messages', 'Expanded to', 'Top custodians', 'Error',
] as const;

function rows(report: TermReportDTO): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = report.terms.map((t) => [
    t.line,
    t.query,
    t.error ? '' : t.hits,
    t.error ? '' : t.uniqueHits,
    t.error ? '' : (t.familyHits ?? ''),
    t.error ? '' : (t.familyMessages ?? ''),
    (t.expansions ?? []).map((e) => `${e.operand}: ${e.terms.join(' ')}${e.more ? ` (+${e.more})` : ''}`).join('; '),
    t.byCustodian.slice(0, 5).map((c) => `${c.custodian} ${c.hits}`).join('; '),
    t.error ? `${t.error.code}: ${t.error.message}` : '',
  ]);
  out.push(['', 'Union of all terms', report.unionTotal, '', report.unionFamilyHits ?? '', report.unionFamilyMessages ?? '', '', '', '']);
  return out;
}

function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function termReportCsv(report: TermReportDTO): string {
  return `\ufeff${[[...TERM_REPORT_COLUMNS], ...rows(report)].map((r) => `${r.map(csvCell).join(',')}\r\n`).join('')}`;
}

export async function writeTermReportXlsx(report: TermReportDTO, file: string): Promise<void> {
  // Loaded on first use: the CLI starts without ExcelJS unless it writes a workbook.
  const { Workbook } = (await import('exceljs')).default;
  const wb = new Workbook();
  const ws = wb.addWorksheet('Search terms');
  ws.addRow([...TERM_REPORT_COLUMNS]).font = { bold: true };
  for (const r of rows(report)) ws.addRow(r);
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  ws.getColumn(2).width = 50;
  fs.writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
}
