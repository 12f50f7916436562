/**
 * The deletion-gap findings report as a PDF: the notice, the matter and a count per kind, then each
 * finding with its evidence — every message's time (UTC), conversation, sender, which custodian's
 * source held it and its text; the finding's own messages are marked by a bar in the margin. The
 * notice is repeated in every page's footer with the page number.
 *
 * Set with the productions' text machinery (fonts.ts, text.ts, content.ts): a face per character
 * (Latin, Greek, Cyrillic, Arabic, Hebrew, Devanagari, Thai, CJK, symbols, emoji), Arabic shaping and
 * bidirectional reordering, so conversation names and messages in any script read as written.
 */
import PDFDocument from 'pdfkit';
import type { ReportContent } from '../../analysis/gaps/report-content.ts';
import { NOTICE } from '../../analysis/gaps/report-content.ts';
import { ContentWriter } from './content.ts';
import { FACE_KEYS, ascender, face } from './fonts.ts';
import type { Style } from './fonts.ts';
import { layoutText } from './text.ts';

const MARGIN = 48;
const FOOTER = 36;
const lineHeight = (size: number) => size * 1.42;

interface Run {
  size: number;
  style?: Style;
  color?: string;
  indent?: number;
  /** A bar in the left margin beside every line (the finding's own messages). */
  bar?: boolean;
}

export function writeFindingsPdf(c: ReportContent): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4', margins: { top: MARGIN, bottom: MARGIN + FOOTER, left: MARGIN, right: MARGIN }, bufferPages: true, pdfVersion: '1.7',
    info: { Title: `Deletion-gap findings — ${c.matter}`, Author: c.examiner, Subject: NOTICE, Creator: 'Holdfast', CreationDate: c.generatedAt, ModDate: c.generatedAt },
  });
  // pdfkit takes an already-parsed fontkit font (its typings still say path or buffer): the faces are parsed once per process.
  for (const key of FACE_KEYS) doc.registerFont(key, face(key) as unknown as Buffer);
  const content = new ContentWriter(doc);
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 2 * MARGIN;
  const bottom = doc.page.height - MARGIN - FOOTER;
  let y = MARGIN;

  /** Draws one paragraph's lines at (x, top), right-aligned when it reads right to left; returns the height used. */
  const draw = (text: string, r: Run, top: number, maxLines?: number): number => {
    const x = MARGIN + (r.indent ?? 0);
    const w = width - (r.indent ?? 0);
    const para = layoutText([{ kind: 'text', text }], { size: r.size, style: r.style ?? 'regular', maxWidth: w, ...(maxLines ? { maxLines } : {}) });
    const lh = lineHeight(r.size);
    for (const line of para.lines) {
      if (maxLines === undefined && top + lh > bottom) {
        doc.addPage();
        top = MARGIN;
      }
      if (r.bar) doc.save().rect(MARGIN, top, 3, lh).fill('#c2410c').restore();
      doc.fillColor(r.color ?? '#000');
      let ax = para.rtl ? x + w - line.width : x;
      const baseline = top + r.size * 1.12;
      for (const atom of line.atoms) {
        if (atom.text.trim() !== '') content.text(atom.face, r.size, atom.text, ax, baseline - (ascender(atom.face) * r.size) / 1000);
        ax += atom.width;
      }
      top += lh;
    }
    y = top;
    return para.lines.length * lh;
  };
  const write = (text: string, r: Run) => draw(text, r, y);
  const space = (lines: number, size = 10) => {
    y += lineHeight(size) * lines;
  };
  const room = (height: number) => {
    if (y + height > bottom) {
      doc.addPage();
      y = MARGIN;
    }
  };

  write('Deletion-gap findings', { size: 18, style: 'bold' });
  space(0.3);
  write(NOTICE, { size: 10, style: 'bold', color: '#9b1c1c' });
  space(0.5);
  write(`Matter: ${c.matter || '(unnamed)'}`, { size: 10 });
  write(`Prepared by: ${c.examiner}`, { size: 10 });
  write(`Generated: ${c.generatedAt.toISOString()} (times in this report are UTC)`, { size: 10 });
  write(
    `Evidence: each finding's messages in its conversation, and ${c.around} on either side; for a hole in source ids or a part not covered, the messages either side of it. A bar in the margin marks the finding's own.`,
    { size: 10 },
  );
  space(0.5);
  write(`Findings: ${c.findings.length}`, { size: 10, style: 'bold' });
  const kinds = new Map<string, number>();
  for (const { finding } of c.findings) kinds.set(finding.kind, (kinds.get(finding.kind) ?? 0) + 1);
  for (const [kind, n] of kinds) write(`${kind}: ${n}`, { size: 10, indent: 12 });

  for (const { finding: f, evidence, cut } of c.findings) {
    space(1);
    room(80);
    write(`Finding ${f.n} — ${f.kind} — ${f.where}`, { size: 12, style: 'bold' });
    write(f.summary, { size: 10 });
    if (f.first) write(`${f.first}${f.last && f.last !== f.first ? ` – ${f.last}` : ''} · ${f.count} ${f.unit}`, { size: 10, color: '#444' });
    if (!evidence.length) write(f.conversationId === null ? 'No messages: see the source or custodian named.' : 'No messages left in the case.', { size: 10, color: '#444' });
    for (const e of evidence) {
      space(0.3);
      room(30);
      const bar = e.inFinding;
      write(`${e.sentAt} · message ${e.messageId} in ${e.conversation} · ${e.sender}${e.deleted ? ' · marked deleted by the source' : ''} · held by ${e.heldBy.join('; ') || 'no source'}`, {
        size: 8, color: '#555', indent: 8, bar,
      });
      write(e.text || '(no text)', { size: 10, indent: 8, bar });
    }
    if (cut) {
      space(0.3);
      write(`${cut} more messages of this finding are not listed here.`, { size: 9, color: '#444' });
    }
  }

  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    draw(`${NOTICE}  Page ${i + 1} of ${range.count}`, { size: 7, color: '#9b1c1c' }, doc.page.height - MARGIN - FOOTER / 2, 2);
  }
  content.flush();
  doc.end();
  return done;
}
