/**
 * The findings report as a PDF: the notice, the matter and a count per kind, then each finding with
 * its evidence — every message's time (UTC), sender, which custodian's source held it and its
 * text; the finding's own messages are marked by a bar in the margin. The notice is repeated in
 * every page's footer with the page number. Set in Noto Sans (Latin, Greek, Cyrillic).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import type { ReportContent } from './report-file.ts';
import { NOTICE } from './report-file.ts';

const FONTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../resources/fonts');
const MARGIN = 48;
const FOOTER = 36;

export function writePdf(c: ReportContent): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4', margins: { top: MARGIN, bottom: MARGIN + FOOTER, left: MARGIN, right: MARGIN }, bufferPages: true, pdfVersion: '1.7',
    info: { Title: `Deletion-gap findings — ${c.matter}`, Author: c.examiner, Subject: NOTICE, Creator: 'Holdfast', CreationDate: c.generatedAt, ModDate: c.generatedAt },
  });
  doc.registerFont('body', path.join(FONTS, 'NotoSans-Regular.ttf'));
  doc.registerFont('bold', path.join(FONTS, 'NotoSans-Bold.ttf'));
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 2 * MARGIN;

  doc.font('bold').fontSize(18).fillColor('#000').text('Deletion-gap findings');
  doc.moveDown(0.3).font('bold').fontSize(10).fillColor('#9b1c1c').text(NOTICE);
  doc.moveDown(0.5).font('body').fontSize(10).fillColor('#000');
  doc.text(`Matter: ${c.matter || '(unnamed)'}`).text(`Prepared by: ${c.examiner}`).text(`Generated: ${c.generatedAt.toISOString()} (times in this report are UTC)`);
  doc.text(`Evidence: each finding's messages in its conversation, and ${c.around} on either side; for a hole in source ids or a part not covered, the messages either side of it. A bar in the margin marks the finding's own.`);
  doc.moveDown(0.5).font('bold').text(`Findings: ${c.findings.length}`);
  const kinds = new Map<string, number>();
  for (const { finding } of c.findings) kinds.set(finding.kind, (kinds.get(finding.kind) ?? 0) + 1);
  doc.font('body');
  for (const [kind, n] of kinds) doc.text(`${kind}: ${n}`, { indent: 12 });

  for (const { finding: f, evidence, cut } of c.findings) {
    doc.moveDown(1);
    if (doc.y > doc.page.height - MARGIN - FOOTER - 80) doc.addPage();
    doc.font('bold').fontSize(12).fillColor('#000').text(`Finding ${f.n} — ${f.kind} — ${f.where}`, MARGIN, doc.y, { width });
    doc.font('body').fontSize(10).text(f.summary, MARGIN, doc.y, { width });
    if (f.first) doc.fillColor('#444').text(`${f.first}${f.last && f.last !== f.first ? ` – ${f.last}` : ''} · ${f.count} ${f.unit}`);
    if (!evidence.length) doc.fillColor('#444').text(f.conversationId === null ? 'No messages: see the source or custodian named.' : 'No messages left in the case.');
    for (const e of evidence) {
      doc.moveDown(0.3);
      if (doc.y > doc.page.height - MARGIN - FOOTER - 30) doc.addPage();
      const top = doc.y;
      doc.font('body').fontSize(8).fillColor('#555').text(`${e.sentAt} · message ${e.messageId} in ${e.conversation} · ${e.sender}${e.deleted ? ' · marked deleted by the source' : ''} · held by ${e.heldBy.join('; ') || 'no source'}`, MARGIN + 8, doc.y, { width: width - 8 });
      doc.fontSize(10).fillColor('#000').text(e.text || '(no text)', MARGIN + 8, doc.y, { width: width - 8 });
      if (e.inFinding) doc.save().rect(MARGIN, top, 3, doc.y - top).fill('#c2410c').restore();
    }
    if (cut) doc.moveDown(0.3).font('body').fontSize(9).fillColor('#444').text(`${cut} more messages of this finding are not listed here.`, MARGIN, doc.y, { width });
  }

  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    // Below the bottom margin pdfkit would start a new page for the footer.
    doc.page.margins.bottom = 0;
    const y = doc.page.height - MARGIN - FOOTER / 2;
    doc.font('body').fontSize(7).fillColor('#9b1c1c').text(`${NOTICE}  Page ${i + 1} of ${range.count}`, MARGIN, y, { width, lineBreak: true, height: FOOTER });
  }
  doc.end();
  return done;
}
