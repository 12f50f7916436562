/** The findings report as a workbook: the notice and a summary, one row per finding, one row per message of evidence. */
import ExcelJS from 'exceljs';
import type { ReportContent } from './report-content.ts';
import { NOTICE } from './report-content.ts';

export async function writeXlsx(c: ReportContent): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Holdfast';
  wb.created = c.generatedAt;
  const about = wb.addWorksheet('Report');
  about.columns = [{ width: 28 }, { width: 100 }];
  about.addRows([
    ['Deletion-gap findings', NOTICE],
    ['Matter', c.matter],
    ['Prepared by', c.examiner],
    ['Generated (UTC)', c.generatedAt.toISOString()],
    ['Evidence', `each finding's messages, and ${c.around} on either side, in its conversation; for a hole in source ids or a part not covered, the messages either side of it`],
    ['Findings', c.findings.length],
  ]);
  about.getCell('A1').font = { bold: true };
  const findings = wb.addWorksheet('Findings');
  findings.columns = [
    { header: 'Finding', width: 9 }, { header: 'Kind', width: 20 }, { header: 'Where', width: 26 }, { header: 'Count', width: 9 },
    { header: 'Unit', width: 10 }, { header: 'First (UTC)', width: 26 }, { header: 'Last (UTC)', width: 26 }, { header: 'What', width: 80 },
    { header: 'Evidence messages', width: 12 }, { header: 'Not listed', width: 10 },
  ];
  const evidence = wb.addWorksheet('Evidence');
  evidence.columns = [
    { header: 'Finding', width: 9 }, { header: 'Part of', width: 10 }, { header: 'Message', width: 10 }, { header: 'Time (UTC)', width: 26 },
    { header: 'Sender', width: 24 }, { header: 'Held by (custodian: source)', width: 40 }, { header: 'Deleted', width: 8 }, { header: 'Text', width: 80 },
    { header: 'Conversation', width: 30 },
  ];
  for (const { finding: f, evidence: rows, cut } of c.findings) {
    findings.addRow([f.n, f.kind, f.where, f.count, f.unit, f.first ?? '', f.last ?? '', f.summary, rows.length, cut]);
    for (const e of rows) {
      evidence.addRow([f.n, e.inFinding ? 'finding' : 'context', e.messageId, e.sentAt, e.sender, e.heldBy.join('; '), e.deleted ? 'yes' : '', e.text, e.conversation]);
    }
  }
  for (const ws of [findings, evidence]) {
    ws.getRow(1).font = { bold: true };
    ws.views = [{ state: 'frozen', ySplit: 1 }];
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
