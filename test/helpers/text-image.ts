/**
 * A PNG holding rendered text, for the OCR tests: the text is laid out in a real font by pdfkit and
 * rasterised by poppler's pdftoppm (a dependency of the PDF tests), as a screenshot would be. Latin
 * text in Helvetica; Arabic (shaped and laid out right to left by fontkit) and CJK in the Noto fonts
 * bundled for productions.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import PDFDocument from 'pdfkit';
import { ROOT, tempDir } from './case.ts';

export type Script = 'latin' | 'arabic' | 'chinese-simplified' | 'chinese-traditional' | 'japanese';

const FONTS: Record<Script, [file: string, family?: string]> = {
  latin: ['Helvetica'],
  arabic: [path.join(ROOT, 'resources/fonts/NotoSansArabic-Regular.ttf')],
  'chinese-simplified': [path.join(ROOT, 'resources/fonts/NotoSansCJK-Regular.ttc'), 'NotoSansCJKsc-Regular'],
  'chinese-traditional': [path.join(ROOT, 'resources/fonts/NotoSansCJK-Regular.ttc'), 'NotoSansCJKtc-Regular'],
  japanese: [path.join(ROOT, 'resources/fonts/NotoSansCJK-Regular.ttc'), 'NotoSansCJKjp-Regular'],
};

export async function textPng(lines: string[], opts: { width?: number; fontSize?: number; dpi?: number; script?: Script } = {}): Promise<Buffer> {
  const fontSize = opts.fontSize ?? 28;
  // No margins: the Noto fonts' tall lines would otherwise run past the bottom one onto a second page.
  const doc = new PDFDocument({ size: [opts.width ?? 620, 60 + lines.length * fontSize * 1.6], margin: 0 });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  const [font, family] = FONTS[opts.script ?? 'latin'];
  (family ? doc.font(font, family) : doc.font(font)).fontSize(fontSize);
  // fontkit lays a run out right to left when asked for the right-to-left alternates: all of it, digits too (no bidi).
  const layout = opts.script === 'arabic' ? { features: ['rtla' as const] } : {};
  lines.forEach((l, i) => doc.text(l, 28, 30 + i * fontSize * 1.6, layout));
  doc.end();
  await ended;
  const dir = tempDir('holdfast-ocr-');
  fs.writeFileSync(path.join(dir, 'page.pdf'), Buffer.concat(chunks));
  execFileSync('pdftoppm', ['-png', '-r', String(opts.dpi ?? 110), '-singlefile', path.join(dir, 'page.pdf'), path.join(dir, 'page')]);
  return fs.readFileSync(path.join(dir, 'page.png'));
}
