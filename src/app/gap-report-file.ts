/**
 * The findings report for counsel (`holdfast gaps --report`, API `analysis.gapsReport`): every
 * finding with its evidence, as XLSX or PDF, its SHA-256 given back and recorded in the audit log
 * (`gaps.report`). It is an internal work product, not a production: it carries the messages' full
 * text (no redactions, no Bates numbers) and says so on its first page or sheet.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { GapReportDTO, GapReportFileDTO } from '../api/analysis-dto.ts';
import { HoldfastError } from '../api/errors.ts';
import { appendAudit } from '../case/audit.ts';
import type { CaseSession } from '../case/session.ts';
import { dataOf } from '../case/data/index.ts';
import { evidenceOf, findingsOf } from '../analysis/gaps/findings.ts';
import type { ReportContent } from '../analysis/gaps/report-content.ts';
import { writeXlsx } from '../analysis/gaps/report-xlsx.ts';
import { writeFindingsPdf } from '../production/pdf/findings-report.ts';

export async function writeGapReport(session: CaseSession, report: GapReportDTO, out: { path: string; around: number }): Promise<GapReportFileDTO> {
  const file = path.resolve(out.path);
  const ext = path.extname(file).toLowerCase();
  if (ext !== '.xlsx' && ext !== '.pdf') throw new HoldfastError('VALIDATION', `The report is written as .xlsx or .pdf, not "${path.basename(file)}".`);
  if (!fs.existsSync(path.dirname(file))) throw new HoldfastError('NOT_FOUND', `There is no folder ${path.dirname(file)}.`);
  if (fs.existsSync(file)) throw new HoldfastError('VALIDATION', `${file} exists already; the report does not overwrite a file.`);
  const content: ReportContent = {
    matter: dataOf(session).read.caseMeta.get('matter') ?? '', examiner: session.actor, generatedAt: new Date(), around: out.around,
    findings: findingsOf(report).map((finding) => ({ finding, ...evidenceOf(session, finding, out.around) }))
      .map(({ finding, rows, cut }) => ({ finding, evidence: rows, cut })),
  };
  const bytes = ext === '.xlsx' ? await writeXlsx(content) : await writeFindingsPdf(content);
  fs.writeFileSync(file, bytes, { flag: 'wx' });
  const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
  const result: GapReportFileDTO = {
    path: file, format: ext === '.xlsx' ? 'xlsx' : 'pdf', sha256, findings: content.findings.length,
    evidence: content.findings.reduce((n, f) => n + f.evidence.length, 0),
  };
  appendAudit(dataOf(session), session.actor, 'gaps.report', { ...result, around: out.around });
  return result;
}
