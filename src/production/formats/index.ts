/** The writer for each production format. */
import type { FormatWriter } from '../context.ts';
import type { ProductionFormat } from '../types.ts';
import { datWriter } from './dat.ts';
import { pdfWriter } from './pdf.ts';
import { privlogWriter } from './privlog.ts';
import { rsmfWriter } from './rsmf.ts';
import { xlsxWriter } from './xlsx.ts';

const WRITERS: Record<ProductionFormat, FormatWriter> = {
  pdf: pdfWriter,
  xlsx: xlsxWriter(),
  rsmf: rsmfWriter(),
  dat: datWriter,
  privlog: privlogWriter,
};

export function writerFor(format: ProductionFormat): FormatWriter {
  return WRITERS[format];
}
