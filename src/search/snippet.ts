/**
 * Snippets: the part of a message around its first hit, HTML-escaped, with every hit wrapped in
 * <mark>…</mark>. The text is escaped first, so the only markup in a snippet is <mark>.
 */
import type { RE2JS } from 're2js';
import type { IndexDoc } from './docs.ts';
import { tokenize } from './tokenize.ts';

/** What to mark: single terms (incl. prefix and CJK expansions), phrases (a set of terms per position), regular expressions. */
export interface Highlight {
  terms: Set<string>;
  phrases: Set<string>[][];
  regexes?: RE2JS[];
}

/** Where the regular expressions match in `text` (empty matches skipped). */
function regexSpans(text: string, regexes: readonly RE2JS[], out: Array<[number, number]>): void {
  for (const re of regexes) {
    const m = re.matcher(text);
    while (m.find()) if (m.end() > m.start()) out.push([m.start(), m.end()]);
  }
}

const WINDOW = 200;
const LEAD = 60;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"'\r\n\t]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : c === "'" ? '&#39;' : ' ',
  );
}

/** [start, end) spans of hits in `text`, merged and ascending. */
function hitSpans(text: string, hl: Highlight): Array<[number, number]> {
  const toks = tokenize(text);
  const spans: Array<[number, number]> = [];
  for (const t of toks) if (hl.terms.has(t.term)) spans.push([t.start, t.end]);
  for (const phrase of hl.phrases) {
    const n = phrase.length;
    outer: for (let s = 0; s + n <= toks.length; s++) {
      for (let k = 0; k < n; k++) if (!phrase[k]!.has(toks[s + k]!.term)) continue outer;
      spans.push([toks[s]!.start, toks[s + n - 1]!.end]);
    }
  }
  if (hl.regexes) regexSpans(text, hl.regexes, spans);
  spans.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([s[0], s[1]]);
  }
  return merged;
}

function safeCut(text: string, at: number): number {
  // Never split a surrogate pair.
  const c = text.charCodeAt(at);
  return c >= 0xdc00 && c <= 0xdfff ? at - 1 : at;
}

export function snippet(doc: IndexDoc, hl: Highlight): string {
  let field = 0;
  let spans: Array<[number, number]> = [];
  for (let f = 0; f < doc.fields.length; f++) {
    const s = hitSpans(doc.fields[f]!, hl);
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
  let out = from > 0 ? '…' : '';
  let at = from;
  for (const [s, e] of spans) {
    if (e <= from || s >= to) continue;
    const ms = Math.max(s, from);
    const me = Math.min(e, to);
    out += escapeHtml(text.slice(at, ms)) + '<mark>' + escapeHtml(text.slice(ms, me)) + '</mark>';
    at = me;
  }
  out += escapeHtml(text.slice(at, to));
  if (to < text.length) out += '…';
  return out;
}

/** A snippet as plain text for a terminal: marks become [[…]] (or bold with colour), entities decoded. */
export function snippetToText(html: string, ansi: boolean): string {
  return html
    .replace(/<mark>/g, ansi ? '\u001b[1;33m' : '[[')
    .replace(/<\/mark>/g, ansi ? '\u001b[0m' : ']]')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
