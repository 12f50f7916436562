/**
 * Text that a spreadsheet may open as cells (CSV, Concordance DAT): a value starting with "=", "+",
 * "-", "@", a tab or a carriage return would be read as a formula, so it gets a leading single
 * quote (OWASP's advice against CSV injection). Every CSV and DAT-like writer passes its values here.
 */
export function inertCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** One RFC 4180 CSV record (CRLF), every value made inert. */
export function csvLine(values: readonly string[]): string {
  return `${values.map((raw) => {
    const v = inertCell(raw);
    return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  }).join(',')}\r\n`;
}
