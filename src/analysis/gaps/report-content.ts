/** What the findings report for counsel holds, whichever file it is written as (report-xlsx.ts, src/production/pdf/findings-report.ts). */
import type { EvidenceRow, Finding } from './findings.ts';

export const NOTICE = 'Internal report for counsel — privileged and confidential, prepared at the request of counsel. Not a production: messages appear in full, unredacted.';

export interface ReportContent {
  matter: string;
  examiner: string;
  generatedAt: Date;
  around: number;
  findings: { finding: Finding; evidence: EvidenceRow[]; cut: number }[];
}
