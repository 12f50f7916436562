/**
 * Snippets: the part of a message around its first hit as plain text, with the highlight ranges
 * that fall inside it (offsets into the snippet's own text).
 */
import type { HighlightRange } from '../api/dto.ts';
import type { IndexDoc } from './docs.ts';
import { highlightRanges } from './highlight.ts';
import type { Highlight } from './highlight.ts';

const WINDOW = 200;
const LEAD = 60;
const CUT = '…';

export interface Snippet {
  text: string;
  highlights: HighlightRange[];
}

function safeCut(text: string, at: number): number {
  // Never split a surrogate pair.
  const c = text.charCodeAt(at);
  return c >= 0xdc00 && c <= 0xdfff ? at - 1 : at;
}

/** The first field with a hit (else the first field), cut to about 200 characters around the first hit; line breaks become spaces. */
export function snippet(doc: IndexDoc, hl: Highlight): Snippet {
  let field = 0;
  let spans: HighlightRange[] = [];
  for (let f = 0; f < doc.fields.length; f++) {
    const s = highlightRanges(doc.fields[f]!, hl);
    if (s.length) {
      field = f;
      spans = s;
      break;
    }
  }
  const text = doc.fields[field] ?? '';
  let from = 0;
  let to = text.length;
  if (text.length > WINDOW) {
    const first = spans[0]?.[0] ?? 0;
    from = first > LEAD ? first - LEAD : 0;
    // Start at a word boundary when one is near.
    if (from > 0) {
      const space = text.lastIndexOf(' ', from);
      if (space >= 0 && from - space < 20) from = space + 1;
    }
    to = Math.min(text.length, from + WINDOW);
    if (to < text.length) {
      const space = text.indexOf(' ', to);
      if (space >= 0 && space - to < 20) to = space;
    }
    from = safeCut(text, from);
    to = safeCut(text, to);
  }
  const lead = from > 0 ? CUT : '';
  const shift = lead.length - from;
  const highlights: HighlightRange[] = [];
  for (const [s, e] of spans) if (e > from && s < to) highlights.push([Math.max(s, from) + shift, Math.min(e, to) + shift]);
  return { text: lead + text.slice(from, to).replace(/[\r\n\t]/g, ' ') + (to < text.length ? CUT : ''), highlights };
}

/** Text with its highlights marked for a terminal: [[…]], or bold yellow when `ansi`. */
export function markedText(text: string, highlights: readonly HighlightRange[], ansi: boolean): string {
  const [open, close] = ansi ? ['\u001b[1;33m', '\u001b[0m'] : ['[[', ']]'];
  let out = '';
  let at = 0;
  for (const [s, e] of highlights) {
    out += text.slice(at, s) + open + text.slice(s, e) + close;
    at = e;
  }
  return out + text.slice(at);
}
