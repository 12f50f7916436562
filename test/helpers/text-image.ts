/**
 * A PNG holding rendered text, for the OCR tests: the text is laid out in a real font by pdfkit and
 * rasterised by poppler's pdftoppm (a dependency of the PDF tests), as a screenshot would be.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import PDFDocument from 'pdfkit';
import { tempDir } from './case.ts';

export async function textPng(lines: string[], opts: { width?: number; fontSize?: number; dpi?: number } = {}): Promise<Buffer> {
  const fontSize = opts.fontSize ?? 28;
  const doc = new PDFDocument({ size: [opts.width ?? 620, 60 + lines.length * fontSize * 1.6], margin: 24 });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  doc.font('Helvetica').fontSize(fontSize);
  lines.forEach((l, i) => doc.text(l, 28, 30 + i * fontSize * 1.6));
  doc.end();
  await ended;
  const dir = tempDir('holdfast-ocr-');
  fs.writeFileSync(path.join(dir, 'page.pdf'), Buffer.concat(chunks));
  execFileSync('pdftoppm', ['-png', '-r', String(opts.dpi ?? 110), '-singlefile', path.join(dir, 'page.pdf'), path.join(dir, 'page')]);
  return fs.readFileSync(path.join(dir, 'page.png'));
}
