/**
 * Concordance DAT and Opticon OPT lines. DAT: UTF-8 with a byte-order mark, every value between
 * þ (U+00FE) qualifiers, fields separated by U+0014, records ended by CRLF, line breaks inside a
 * value written as ® (U+00AE), Concordance's newline placeholder. A þ inside a value cannot be
 * escaped in this format and becomes U+FFFD. Values are made inert for spreadsheets (cells.ts).
 * OPT: one comma-separated row per page image (Bates numbers and paths only).
 */
import { inertCell } from './cells.ts';

export const DAT_QUOTE = '\u00fe';
export const DAT_SEP = '\u0014';
export const DAT_NEWLINE = '\u00ae';
export const BOM = '\ufeff';

export function datRow(values: readonly (string | number | null | undefined)[]): string {
  return `${values.map((v) => `${DAT_QUOTE}${datValue(v)}${DAT_QUOTE}`).join(DAT_SEP)}\r\n`;
}

function datValue(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  return inertCell(String(v)).replace(/\r\n|\r|\n/g, DAT_NEWLINE).replace(/\u00fe/g, '\ufffd').replace(/\u0014/g, ' ');
}

/** A relative path in the Windows form review platforms expect (TEXT\HF0000001.txt). */
export function loadPath(rel: string): string {
  return rel.split('/').join('\\');
}

/** One OPT row: BATES,VOLUME,IMAGE PATH,DOCUMENT BREAK (Y on a document's first page),BOX,FOLDER,PAGE COUNT (first page only). */
export function optRow(bates: string, volume: string, imagePath: string, firstPage: boolean, pageCount: number): string {
  return `${bates},${volume},${loadPath(imagePath)},${firstPage ? 'Y' : ''},,,${firstPage ? pageCount : ''}\r\n`;
}

/** ISO 8601 UTC without milliseconds, as load files carry dates. */
export function datDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
