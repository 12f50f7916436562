/**
 * Lines of a chat text, streamed in batches (one per chunk read) so the parser loops
 * synchronously. UTF-8 (BOM or not) or UTF-16LE with its BOM; `\n`, `\r\n`, or lone `\r` when
 * the text has no `\n` at all. A line longer than `maxLineChars` is handed over in pieces (the
 * later pieces flagged) so a file without line breaks cannot exhaust memory.
 */
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';

export const MAX_LINE_CHARS = 16 * 1024 * 1024;

export interface LineBatch {
  /** Consecutive lines; the reader numbers them, not counting pieces. */
  lines: string[];
  /** Indexes in `lines` that continue the previous line (pieces of an over-long line). */
  pieces?: Set<number>;
}

export async function* lineBatches(input: Readable, onBytes?: (total: number) => void, maxLineChars = MAX_LINE_CHARS): AsyncGenerator<LineBatch> {
  let decoder: StringDecoder | undefined;
  let pending = '';
  let pendingIsPiece = false;
  let sep: '\n' | '\r' | undefined;
  let bytes = 0;
  let first = true;
  for await (const chunk of input) {
    const buf = chunk as Buffer;
    bytes += buf.length;
    onBytes?.(bytes);
    let text: string;
    if (!decoder) {
      const utf16 = buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe;
      decoder = new StringDecoder(utf16 ? 'utf16le' : 'utf8');
    }
    text = decoder.write(buf);
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    if (!sep) {
      if (text.includes('\n')) sep = '\n';
      else if (text.includes('\r')) sep = '\r';
    }
    const batch = split(pending + text, sep ?? '\n');
    pending = batch.rest;
    const out: LineBatch = { lines: batch.lines };
    if (pendingIsPiece && batch.lines.length > 0) {
      out.pieces = new Set([0]);
      pendingIsPiece = false;
    }
    // An over-long unfinished line is passed on in pieces.
    while (pending.length > maxLineChars) {
      // Never cut a surrogate pair in two.
      const cut = isHighSurrogate(pending.charCodeAt(maxLineChars - 1)) ? maxLineChars - 1 : maxLineChars;
      out.lines.push(pending.slice(0, cut));
      if (pendingIsPiece) (out.pieces ??= new Set()).add(out.lines.length - 1);
      pending = pending.slice(cut);
      pendingIsPiece = true;
    }
    if (out.lines.length) yield out;
  }
  const tail = decoder ? decoder.end() : '';
  pending += first && tail.charCodeAt(0) === 0xfeff ? tail.slice(1) : tail;
  if (pending.length > 0) {
    const last: LineBatch = { lines: [stripCr(pending, sep)] };
    if (pendingIsPiece) last.pieces = new Set([0]);
    yield last;
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function stripCr(line: string, sep: '\n' | '\r' | undefined): string {
  return sep !== '\r' && line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
}

function split(text: string, sep: '\n' | '\r'): { lines: string[]; rest: string } {
  const lines: string[] = [];
  let start = 0;
  for (;;) {
    const at = text.indexOf(sep, start);
    if (at === -1) break;
    let end = at;
    if (sep === '\n' && end > start && text.charCodeAt(end - 1) === 13) end--;
    lines.push(text.slice(start, end));
    start = at + 1;
  }
  return { lines, rest: start === 0 ? text : text.slice(start) };
}
