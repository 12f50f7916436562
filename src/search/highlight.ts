/**
 * Highlight ranges: where a query's positive parts are in a text — words with their prefix, fuzzy~,
 * stem: and CJK expansions, phrases, proximity operands, /regex/ matches — found with the index's own
 * tokenizer and dictionary, so what lights up is what the search matched. Negated parts and field
 * filters never light up. Ranges are UTF-16 [start, end) into the ORIGINAL text (the tokenizer keeps
 * each term's original offsets), so folding that changes length (ß, ligatures, combining marks, İ)
 * still marks the right characters.
 */
import type { RE2JS } from 're2js';
import type { HighlightRange } from '../api/dto.ts';
import { positiveTexts, resolveText } from './evaluate.ts';
import type { MemoryIndex } from './memory-index.ts';
import { compileRegex } from './query-parser.ts';
import type { QueryNode } from './query-parser.ts';
import { isAscii, isAsciiAlnum, isCjkTerm, MAX_TERM_LENGTH, scan, terms as tokenTerms } from './tokenize.ts';
import type { Token } from './tokenize.ts';

/** What a query lights up. */
export interface Highlight {
  /** Single terms with their expansions (as indexed). */
  terms: Set<string>;
  /** Lone CJK characters: marked where they stand inside the bigrams that carry them. */
  cjkChars: Set<string>;
  /** Phrases: the terms acceptable at each position. */
  phrases: Set<string>[][];
  regexes: RE2JS[];
  /**
   * When the query lights up words alone, and few: its ASCII terms, found in an ASCII text by indexOf
   * instead of tokenizing the whole text (asciiSpans). Null otherwise.
   */
  asciiTerms: string[] | null;
}

/** Terms up to which an ASCII text is searched term by term (asciiSpans). */
const FEW_TERMS = 8;
const ASCII_TERM = /^[a-z0-9]+$/;

/** What `root` lights up, its words resolved against the index like the search resolves them. */
export function highlightOf(index: MemoryIndex, root: QueryNode): Highlight {
  const hl: Highlight = { terms: new Set(), cjkChars: new Set(), phrases: [], regexes: [], asciiTerms: null };
  for (const node of positiveTexts(root)) {
    const { positions } = resolveText(index, node);
    if (positions.some((p) => p.length === 0)) continue;
    const only = node.terms[0]!;
    if (node.terms.length === 1 && !node.prefix && node.fuzzy === undefined && !node.stem && isCjkTerm(only) && [...only].length === 1) hl.cjkChars.add(only);
    else if (positions.length === 1) for (const id of positions[0]!) hl.terms.add(index.terms[id]!);
    else hl.phrases.push(positions.map((p) => new Set(p.map((id) => index.terms[id]!))));
  }
  hl.regexes = regexNodes(root).map((n) => compileRegex(n.pattern, n.flags));
  // Terms with other letters never match an ASCII text.
  const ascii = [...hl.terms].filter((t) => ASCII_TERM.test(t));
  if (hl.phrases.length === 0 && hl.cjkChars.size === 0 && ascii.length <= FEW_TERMS) hl.asciiTerms = ascii;
  return hl;
}

/** The /regex/ nodes of a query that are not under a NOT. */
function regexNodes(node: QueryNode): Array<Extract<QueryNode, { type: 'regex' }>> {
  if (node.type === 'regex') return [node];
  if (node.type === 'and' || node.type === 'or') return node.children.flatMap(regexNodes);
  return [];
}

/** Where `hl` lights up in `text`: ranges merged (overlapping or touching ones become one) and ascending. */
export function highlightRanges(text: string, hl: Highlight): HighlightRange[] {
  const spans: HighlightRange[] = [];
  if (hl.asciiTerms && isAscii(text)) asciiSpans(text, hl.asciiTerms, spans);
  else tokenSpans(text, hl, spans);
  for (const re of hl.regexes) {
    const m = re.matcher(text);
    while (m.find()) if (m.end() > m.start()) spans.push([m.start(), m.end()]);
  }
  // Words found by tokenizing come in text order; by indexOf, term by term; phrases, CJK characters and patterns add theirs after them.
  if (!ascending(spans)) spans.sort((a, b) => a[0] - b[0]);
  const merged: HighlightRange[] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([s[0], s[1]]);
  }
  return merged;
}

/**
 * The runs of an ASCII text that are one of `terms` (as the tokenizer cuts an ASCII text: runs of
 * letters and digits, lower-cased, the term cut at MAX_TERM_LENGTH but the range the whole run).
 * A page of 50 hits tokenized its texts in ~60 µs at 1M, a term string made for every word.
 */
function asciiSpans(text: string, terms: readonly string[], out: HighlightRange[]): void {
  const lower = text.toLowerCase();
  for (const term of terms) {
    for (let p = lower.indexOf(term); p >= 0; p = lower.indexOf(term, p + 1)) {
      if (p > 0 && isAsciiAlnum(lower.charCodeAt(p - 1))) continue;
      let end = p + term.length;
      while (end < lower.length && isAsciiAlnum(lower.charCodeAt(end))) end++;
      if (end - p === term.length || term.length === MAX_TERM_LENGTH) out.push([p, end]);
    }
  }
}

/** Where `hl`'s words, CJK characters and phrases light up in `text`, by tokenizing it. */
function tokenSpans(text: string, hl: Highlight, spans: HighlightRange[]): void {
  // Only phrases and lone CJK characters need the tokens kept (cjkSpans tokenizes again, which must
  // not happen inside scan()); for plain terms each token is looked at as the tokenizer finds it (a
  // page's token objects were 50 KB of the ~550 KB a search allocated).
  const toks: Token[] = [];
  const keep = hl.phrases.length > 0 || hl.cjkChars.size > 0;
  scan(text, (term, start, end) => {
    if (keep) toks.push({ term, start, end });
    else if (hl.terms.has(term)) spans.push([start, end]);
  });
  for (const t of toks) {
    if (hl.terms.has(t.term)) spans.push([t.start, t.end]);
    else if (hl.cjkChars.size && isCjkTerm(t.term)) cjkSpans(text, t, hl.cjkChars, spans);
  }
  for (const phrase of hl.phrases) {
    const n = phrase.length;
    outer: for (let s = 0; s + n <= toks.length; s++) {
      for (let k = 0; k < n; k++) if (!phrase[k]!.has(toks[s + k]!.term)) continue outer;
      spans.push([toks[s]!.start, toks[s + n - 1]!.end]);
    }
  }
}

function ascending(spans: readonly HighlightRange[]): boolean {
  for (let i = 1; i < spans.length; i++) if (spans[i]![0] < spans[i - 1]![0]) return false;
  return true;
}

/** The characters of a CJK term (a bigram or a lone character) that are one of `chars`, as ranges of the original text. */
function cjkSpans(text: string, t: Token, chars: ReadonlySet<string>, out: HighlightRange[]): void {
  if (chars.has(t.term)) {
    out.push([t.start, t.end]);
    return;
  }
  // A bigram: find where its first character ends in the original (a combining mark may follow it).
  const original = text.slice(t.start, t.end);
  for (let k = 1; k < original.length; k++) {
    const first = tokenTerms(original.slice(0, k));
    const second = tokenTerms(original.slice(k));
    if (first.length !== 1 || second.length !== 1 || first[0]! + second[0]! !== t.term) continue;
    if (chars.has(first[0]!)) out.push([t.start, t.start + k]);
    if (chars.has(second[0]!)) out.push([t.start + k, t.end]);
    return;
  }
}
