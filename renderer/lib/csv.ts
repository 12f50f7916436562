/** CSV for spreadsheets (RFC 4180 quoting; a leading =, +, - or @ is neutralised so a cell is never a formula) and a browser download. */

function cell(v: string | number): string {
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: readonly (readonly (string | number)[])[]): string {
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** Saves `text` as a file the browser downloads (UTF-8 with a BOM, so spreadsheet programs read accents right). */
export function download(name: string, text: string, type = 'text/csv;charset=utf-8'): void {
  saveBlob(name, new Blob(['\ufeff', text], { type }));
}

/** Saves base64-encoded bytes (a spreadsheet made by the core) as a file the browser downloads. */
export function downloadBase64(name: string, base64: string, type: string): void {
  saveBlob(name, new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], { type }));
}

function saveBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
