/** The writer for each production format. */
import type { FormatWriter } from '../context.ts';
import type { ProductionFormat } from '../types.ts';
import { pdfWriter } from './pdf.ts';
import { xlsxWriter } from './xlsx.ts';

const WRITERS: Partial<Record<ProductionFormat, FormatWriter>> = {
  pdf: pdfWriter,
  xlsx: xlsxWriter(),
};

export function writerFor(format: ProductionFormat): FormatWriter {
  const w = WRITERS[format];
  if (!w) throw new Error(`no writer for ${format}`);
  return w;
}
