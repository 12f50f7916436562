/**
 * Rows in the text format of PostgreSQL's COPY: columns separated by tabs, rows ended by a newline,
 * NULL as \N, and backslash, tab, newline and carriage return escaped with a backslash (nothing else
 * needs it). Numbers are written as JavaScript prints them (integers here: ids, times, flags).
 */
const SPECIAL = /[\\\t\n\r]/g;
const HAS_SPECIAL = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function field(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number') return String(v);
  const s = String(v);
  return HAS_SPECIAL.test(s) ? s.replace(SPECIAL, (c) => ESCAPES[c]!) : s;
}

/** The rows held as equal-length column arrays, in order. */
export function copyText(columns: readonly (readonly unknown[])[]): string {
  const rows = columns[0]?.length ?? 0;
  const out: string[] = new Array(rows);
  for (let r = 0; r < rows; r++) {
    let line = field(columns[0]![r]);
    for (let c = 1; c < columns.length; c++) line += `\t${field(columns[c]![r])}`;
    out[r] = line;
  }
  return rows ? `${out.join('\n')}\n` : '';
}
