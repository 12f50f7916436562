/**
 * Rows in the text format of PostgreSQL's COPY: columns separated by tabs, rows ended by a newline,
 * NULL as \N, and backslash, tab, newline and carriage return escaped with a backslash (nothing else
 * needs it). Numbers are written as JavaScript prints them (integers here: ids, times, flags).
 * PostgreSQL's text cannot hold U+0000 at all: such a value is refused here, naming its row and column.
 */
const SPECIAL = /[\\\t\n\r]/g;
const HAS_SPECIAL = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A text of the rows holds U+0000; `row` and `column` index the arrays given to copyText. */
export class NulInText extends Error {
  readonly row: number;
  readonly column: number;
  constructor(row: number, column: number) {
    super(`row ${row}, column ${column} holds U+0000`);
    this.row = row;
    this.column = column;
  }
}

function field(v: unknown, row: number, column: number): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number') return String(v);
  const s = String(v);
  if (s.includes('\0')) throw new NulInText(row, column);
  return HAS_SPECIAL.test(s) ? s.replace(SPECIAL, (c) => ESCAPES[c]!) : s;
}

/** The rows held as equal-length column arrays, in order. */
export function copyText(columns: readonly (readonly unknown[])[]): string {
  const rows = columns[0]?.length ?? 0;
  const out: string[] = new Array(rows);
  for (let r = 0; r < rows; r++) {
    let line = field(columns[0]![r], r, 0);
    for (let c = 1; c < columns.length; c++) line += `\t${field(columns[c]![r], r, c)}`;
    out[r] = line;
  }
  return rows ? `${out.join('\n')}\n` : '';
}
