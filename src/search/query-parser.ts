/**
 * The reviewers' query language, shared by the app and the CLI.
 *
 *   words                 implicit AND            price deal
 *   "exact phrase"        order and adjacency     "call me tomorrow"
 *   prefix*               any term starting so    contract*
 *   OR, AND, NOT, -x      boolean (upper case)    price OR cost, -draft, NOT (a OR b)
 *   ( ... )               grouping
 *   a w/N b, a pre/N b    within N words (either order / a first)   price w/5 fix*
 *   a not w/N b           a, but not within N words of b            bonus not w/3 cash
 *   term~ term~N          fuzzy: edit distance 1-2 by length, or N    kickbak~
 *   stem:word stem.LANG:word   any word with the same Snowball stem   stem:run, stem.fr:courir
 *   /regex/i              a regular expression on the text (RE2: linear time)
 *   from:"Name" in:"Conversation" conversation:NAME|ID custodian:NAME source:ID tag:NAME platform:NAME
 *   subject:WORDS attachment:WORDS has:attachment has:reaction is:edited is:deleted is:withheld
 *   reviewed:yes|no after:YYYY-MM-DD (inclusive) before:YYYY-MM-DD (exclusive) on:YYYY-MM-DD,
 *   days in the case's display time zone
 *
 * Precedence: w/N and pre/N bind tightest, then NOT/-, then AND (also implicit), then OR. A
 * malformed or unsupported query is a VALIDATION error naming what is wrong and the character
 * position (1-based, in characters) — never a silent empty result.
 */
import { RE2JS } from 're2js';
import { HoldfastError } from '../api/errors.ts';
import { languageOf, STEM_LANGUAGES } from './stem.ts';
import { terms } from './tokenize.ts';

export const FIELDS = [
  'from', 'in', 'conversation', 'custodian', 'source', 'tag', 'platform', 'subject', 'to', 'cc', 'attachment', 'has', 'is', 'reviewed',
  'lang', 'entity', 'ocr', 'stem', 'after', 'before', 'on',
] as const;
/** The largest N of w/N and pre/N, and of term~N. */
export const MAX_NEAR = 1000;
export const MAX_FUZZY = 3;

export type QueryNode =
  | { type: 'and'; children: QueryNode[] }
  | { type: 'or'; children: QueryNode[] }
  | { type: 'not'; child: QueryNode }
  /**
   * Terms in order: one term, or a phrase (quoted, or a word the tokenizer splits, like e-mail or a
   * CJK run). `fuzzy`: edits allowed (one term only); `stem`: a Snowball language, every term stemmed.
   */
  | TextNode
  /** Left and right within `distance` words (`ordered`: left first); `negated`: left, but not so near right. */
  | { type: 'near'; left: TextNode[]; right: TextNode[]; distance: number; ordered: boolean; negated: boolean; source: string; position: number }
  | { type: 'regex'; pattern: string; flags: string; source: string; position: number }
  | { type: 'field'; field: 'from' | 'to' | 'cc' | 'in' | 'custodian' | 'tag' | 'subject' | 'attachment' | 'ocr' | 'conversation'; terms: string[]; prefix: boolean; value: string; position: number }
  | { type: 'field'; field: 'source' | 'conversation'; id: number; value: string; position: number }
  | { type: 'field'; field: 'platform' | 'lang' | 'entity'; value: string; position: number }
  | { type: 'field'; field: 'has'; value: 'attachment' | 'reaction'; position: number }
  | { type: 'field'; field: 'is'; value: 'edited' | 'deleted' | 'withheld'; position: number }
  | { type: 'field'; field: 'reviewed'; value: boolean; position: number }
  | { type: 'field'; field: 'after' | 'before' | 'on'; value: string; position: number };

export interface TextNode {
  type: 'text';
  terms: string[];
  prefix: boolean;
  quoted: boolean;
  fuzzy?: number;
  stem?: string;
  source: string;
  position: number;
}

export interface ParsedQuery {
  root: QueryNode;
  /** Things the parser dropped or noticed, in words a reviewer understands. */
  warnings: string[];
}

type Lexeme =
  | { kind: '(' | ')' | 'OR' | 'AND' | 'NOT' | '-'; at: number }
  | { kind: 'word'; text: string; at: number }
  | { kind: 'phrase'; text: string; at: number }
  | { kind: 'near'; distance: number; ordered: boolean; negated: boolean; text: string; at: number }
  | { kind: 'regex'; pattern: string; flags: string; text: string; at: number }
  | { kind: 'field'; name: string; lang: string | null; value: string; quoted: boolean; at: number; valueAt: number };

const QUOTES = new Set(['"', '\u201c', '\u201d', '\u201e']);
const SPACE = /\s/u;

class QuerySyntaxError extends HoldfastError {}

function fail(query: string, at: number, what: string): never {
  const position = [...query.slice(0, at)].length + 1;
  throw new QuerySyntaxError('VALIDATION', `Query problem at character ${position}: ${what}`, { position: `character ${position}`, query });
}

function isBoundary(ch: string | undefined): boolean {
  return ch === undefined || SPACE.test(ch) || ch === '(' || ch === ')' || QUOTES.has(ch);
}

function readQuoted(query: string, open: number): { text: string; end: number } {
  let i = open + 1;
  while (i < query.length && !QUOTES.has(query[i]!)) i++;
  if (i >= query.length) fail(query, open, 'this quote is never closed; add the closing " (or remove it).');
  return { text: query.slice(open + 1, i), end: i + 1 };
}

function lex(query: string): Lexeme[] {
  const out: Lexeme[] = [];
  let i = 0;
  while (i < query.length) {
    const ch = query[i]!;
    if (SPACE.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')') {
      out.push({ kind: ch, at: i });
      i++;
    } else if (QUOTES.has(ch)) {
      const q = readQuoted(query, i);
      if (query[q.end] === '~') fail(query, q.end, 'a ~ after a phrase (proximity in some tools) is not supported: write the words with w/N, e.g. price w/5 fixing.');
      out.push({ kind: 'phrase', text: q.text, at: i });
      i = q.end;
    } else if (ch === '/') {
      const r = readRegex(query, i);
      out.push(r.lexeme);
      i = r.end;
    } else if (ch === '-' && i + 1 < query.length && !SPACE.test(query[i + 1]!) && query[i + 1] !== ')' && (i === 0 || isBoundary(query[i - 1]))) {
      out.push({ kind: '-', at: i });
      i++;
    } else {
      let j = i;
      while (j < query.length && !isBoundary(query[j])) j++;
      const word = query.slice(i, j);
      const field = /^([A-Za-z]+)(?:\.([A-Za-z]+))?:/.exec(word);
      const near = /^(w|pre)\/(.*)$/i.exec(word);
      if (word === 'OR' || word === 'AND' || word === 'NOT') {
        out.push({ kind: word, at: i });
      } else if (near) {
        if (!/^\d+$/.test(near[2]!) || Number(near[2]) < 1 || Number(near[2]) > MAX_NEAR) {
          fail(query, i, `${near[1]}/ takes a number of words from 1 to ${MAX_NEAR} (e.g. ${near[1]!.toLowerCase()}/5), not "${near[2]}".`);
        }
        // "a not w/5 b" (and NOT w/5): the not belongs to the proximity.
        const prev = out[out.length - 1];
        const negated = prev !== undefined && (prev.kind === 'NOT' || (prev.kind === 'word' && prev.text.toLowerCase() === 'not'));
        if (negated) out.pop();
        const at = negated ? prev.at : i;
        out.push({ kind: 'near', distance: Number(near[2]), ordered: near[1]!.toLowerCase() === 'pre', negated, text: query.slice(at, j), at });
      } else if (field) {
        const name = field[1]!.toLowerCase();
        const lang = field[2]?.toLowerCase() ?? null;
        const valueAt = i + field[0].length;
        if (!(FIELDS as readonly string[]).includes(name)) {
          fail(query, i, `unknown field "${field[1]}:". Fields are ${FIELDS.map((f) => `${f}:`).join(' ')}; to search for the text itself, put it in quotes.`);
        }
        if (lang !== null && name !== 'stem') fail(query, i, `only stem: takes a language after a dot (stem.fr:courir), not ${name}.`);
        if (lang !== null && !Object.hasOwn(STEM_LANGUAGES, lang)) {
          fail(query, i + name.length + 1, `no stemmer for the language "${field[2]}"; the languages are ${Object.keys(STEM_LANGUAGES).join(', ')}.`);
        }
        if (valueAt === j && QUOTES.has(query[j] ?? '')) {
          const q = readQuoted(query, j);
          out.push({ kind: 'field', name, lang, value: q.text, quoted: true, at: i, valueAt: j });
          j = q.end;
        } else {
          out.push({ kind: 'field', name, lang, value: word.slice(field[0].length), quoted: false, at: i, valueAt });
        }
      } else {
        checkWord(query, word, i);
        out.push({ kind: 'word', text: word, at: i });
      }
      i = j;
    }
  }
  return out;
}

/** Syntax of other tools that a term list may contain and that would otherwise be read as words. */
function checkWord(query: string, word: string, at: number): void {
  const tilde = word.indexOf('~');
  if (tilde >= 0 && !/^[^~]+~\d*$/.test(word)) {
    fail(query, at + tilde, 'a ~ is only allowed at the end of a word (fuzzy: kickbak~ or kickbak~2).');
  }
  const q = /[\p{L}\p{N}]\?|\?[\p{L}\p{N}]/u.exec(word);
  if (q) fail(query, at + q.index + (q[0]!.startsWith('?') ? 0 : 1), 'the ? wildcard is not supported; use prefix* or fuzzy~.');
  const bang = /^!+[\p{L}\p{N}]/u.exec(word);
  if (bang) fail(query, at, 'a ! root expander is not supported; use prefix* or stem:word.');
}

/** A /regular expression/ with its flags (i: ignore case, s: . matches line breaks, m: ^ $ at lines). */
function readRegex(query: string, open: number): { lexeme: Extract<Lexeme, { kind: 'regex' }>; end: number } {
  let i = open + 1;
  while (i < query.length && query[i] !== '/') i += query[i] === '\\' ? 2 : 1;
  if (i >= query.length) fail(query, open, 'this / starts a regular expression that is never closed; add the closing / (or put the text in quotes).');
  const pattern = query.slice(open + 1, i);
  let end = i + 1;
  while (end < query.length && !isBoundary(query[end])) end++;
  const flags = query.slice(i + 1, end);
  if (pattern === '') fail(query, open, 'an empty regular expression (//) matches everything; write a pattern between the slashes.');
  const bad = /[^ism]/.exec(flags);
  if (bad || new Set(flags).size !== flags.length) fail(query, i + 1 + (bad?.index ?? 0), `regular expression flags are i (ignore case), s and m, each once, not "${flags}".`);
  try {
    compileRegex(pattern, flags);
  } catch (err) {
    fail(query, open, `not a valid regular expression (RE2 syntax: no look-around or back-references): ${(err as Error).message}`);
  }
  return { lexeme: { kind: 'regex', pattern, flags, text: query.slice(open, end), at: open }, end };
}

/** The RE2 engine: linear time in the text, whatever the pattern (no catastrophic backtracking). */
export function compileRegex(pattern: string, flags: string): RE2JS {
  let f = 0;
  if (flags.includes('i')) f |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('s')) f |= RE2JS.DOTALL;
  if (flags.includes('m')) f |= RE2JS.MULTILINE;
  return RE2JS.compile(pattern, f);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function validDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

class Parser {
  private pos = 0;
  readonly warnings: string[] = [];
  private readonly query: string;
  private readonly lexemes: Lexeme[];

  constructor(query: string) {
    this.query = query;
    this.lexemes = lex(query);
  }

  parse(): QueryNode | null {
    if (this.lexemes.length === 0) return null;
    const node = this.or();
    const next = this.lexemes[this.pos];
    if (next) {
      if (next.kind === ')') fail(this.query, next.at, 'this ) has no matching (.');
      fail(this.query, next.at, 'unexpected text.');
    }
    return node;
  }

  private peek(): Lexeme | undefined {
    return this.lexemes[this.pos];
  }

  private or(): QueryNode | null {
    const children: QueryNode[] = [];
    let first = this.and();
    if (first) children.push(first);
    while (this.peek()?.kind === 'OR') {
      const op = this.lexemes[this.pos++]!;
      if (!first) fail(this.query, op.at, 'OR needs something to search on its left.');
      const right = this.and();
      if (!right) fail(this.query, op.at, 'OR needs something to search on its right.');
      children.push(right);
      first = right;
    }
    if (children.length === 0) return null;
    return children.length === 1 ? children[0]! : { type: 'or', children };
  }

  private and(): QueryNode | null {
    const children: QueryNode[] = [];
    for (;;) {
      const next = this.peek();
      if (!next || next.kind === ')' || next.kind === 'OR') break;
      if (next.kind === 'AND') {
        this.pos++;
        const after = this.peek();
        if (children.length === 0 || !after || after.kind === ')' || after.kind === 'OR' || after.kind === 'AND') {
          fail(this.query, next.at, 'AND needs something to search on both sides.');
        }
        continue;
      }
      const node = this.unary();
      if (node) children.push(node);
    }
    if (children.length === 0) return null;
    return children.length === 1 ? children[0]! : { type: 'and', children };
  }

  private unary(): QueryNode | null {
    const next = this.peek()!;
    if (next.kind === 'NOT' || next.kind === '-') {
      this.pos++;
      const after = this.peek();
      if (!after || after.kind === ')' || after.kind === 'OR' || after.kind === 'AND') {
        fail(this.query, next.at, `${next.kind === 'NOT' ? 'NOT' : '-'} needs a word, phrase, field or group after it.`);
      }
      const child = next.kind === 'NOT' ? this.unary() : this.near();
      return child ? { type: 'not', child } : null;
    }
    return this.near();
  }

  /** primary, or primary w/N primary (one proximity: chains are refused, not guessed at). */
  private near(): QueryNode | null {
    const left = this.primary();
    const op = this.peek();
    if (op?.kind !== 'near') return left;
    this.pos++;
    const name = op.text;
    if (!left) fail(this.query, op.at, `${name} needs a word, phrase or group on its left.`);
    const after = this.peek();
    if (!after || after.kind === ')' || after.kind === 'OR' || after.kind === 'AND') fail(this.query, op.at, `${name} needs a word, phrase or group on its right.`);
    const rightAt = after.at;
    const right = this.primary();
    if (!right) fail(this.query, rightAt, `${name} needs a word, phrase or group on its right.`);
    const chained = this.peek();
    if (chained?.kind === 'near') fail(this.query, chained.at, 'one proximity at a time: combine several with AND, e.g. (a w/5 b) AND (b w/5 c).');
    return {
      type: 'near', left: this.operand(left, op.at, 'left'), right: this.operand(right, rightAt, 'right'),
      distance: op.distance, ordered: op.ordered, negated: op.negated, source: name, position: [...this.query.slice(0, op.at)].length + 1,
    };
  }

  /** A proximity operand: words, prefixes, phrases, fuzzy or stemmed words, or an OR-group of them. */
  private operand(node: QueryNode, at: number, side: string): TextNode[] {
    if (node.type === 'text') return [node];
    if (node.type === 'or') return node.children.flatMap((c) => this.operand(c, at, side));
    const what = node.type === 'and' ? 'an AND group' : node.type === 'not' ? 'a NOT' : node.type === 'near' ? 'another proximity' : node.type === 'regex' ? 'a regular expression' : `a ${node.field}: field`;
    return fail(this.query, at, `the ${side} side of a proximity must be words, prefixes, phrases or an OR-group of them, not ${what}.`);
  }

  private primary(): QueryNode | null {
    const lx = this.lexemes[this.pos++]!;
    switch (lx.kind) {
      case '(': {
        const inner = this.or();
        const close = this.peek();
        if (!close || close.kind !== ')') fail(this.query, lx.at, 'this ( is never closed; add the matching ).');
        this.pos++;
        if (!inner) fail(this.query, lx.at, 'empty parentheses.');
        return inner;
      }
      case ')':
        fail(this.query, lx.at, 'this ) has no matching (.');
      case 'OR':
      case 'AND':
      case 'NOT':
      case '-':
        fail(this.query, lx.at, `unexpected ${lx.kind}.`);
      case 'near':
        fail(this.query, lx.at, `${lx.text} needs a word, phrase or group on its left.`);
      case 'regex':
        return { type: 'regex', pattern: lx.pattern, flags: lx.flags, source: lx.text, position: [...this.query.slice(0, lx.at)].length + 1 };
      case 'phrase':
        return this.text(lx.text, lx.at, true);
      case 'word':
        return this.text(lx.text, lx.at, false);
      case 'field':
        return this.field(lx);
    }
  }

  private text(raw: string, at: number, quoted: boolean, stem?: string): TextNode | null {
    let body = raw;
    let prefix = false;
    let fuzzy: number | undefined;
    const tilde = quoted ? null : /~(\d*)$/.exec(body);
    if (tilde) {
      body = body.slice(0, tilde.index);
      if (body.endsWith('*')) fail(this.query, at + tilde.index, 'a word is fuzzy~ or a prefix*, not both.');
      const n = tilde[1] === '' ? null : Number(tilde[1]);
      if (n !== null && (n < 1 || n > MAX_FUZZY)) fail(this.query, at + tilde.index, `~N takes 1 to ${MAX_FUZZY} edits, not ${tilde[1]}.`);
      const t = terms(body);
      if (t.length !== 1) fail(this.query, at, `fuzzy ~ applies to one word; "${body}" is ${t.length === 0 ? 'no word' : `${t.length} terms`}.`);
      // Edits by length, as reviewers expect: short words tolerate one typo, longer ones two.
      fuzzy = n ?? ([...t[0]!].length <= 5 ? 1 : 2);
    }
    if (body.endsWith('*')) {
      body = body.replace(/\*+$/, '');
      prefix = true;
    }
    // The position counts the opening quote of a phrase.
    if (body.includes('*')) fail(this.query, at + (quoted ? 1 : 0) + body.indexOf('*'), 'a * is only allowed at the end of a word (prefix*).');
    const t = terms(body);
    if (t.length === 0) {
      if (prefix) fail(this.query, at, 'a * needs at least one letter or digit before it (e.g. contract*).');
      this.warnings.push(`"${raw}" has no letters, digits or emoji to search for and was ignored.`);
      return null;
    }
    // Only a * that directly follows the last term makes a prefix ("abc-*" has nothing to extend).
    if (prefix && !/[\p{L}\p{N}\p{M}]$/u.test(body)) fail(this.query, at, 'a * must directly follow a letter or digit (e.g. contract*).');
    if (prefix && stem) fail(this.query, at, 'a word is stem: or a prefix*, not both.');
    if (stem === 'auto' && t.some((term) => languageOf(term) === null)) {
      this.warnings.push(`stem:${raw} — no stemmer for that script; matched exactly (name a language with stem.LANG: if one fits).`);
    }
    return {
      type: 'text', terms: t, prefix, quoted, ...(fuzzy !== undefined ? { fuzzy } : {}), ...(stem ? { stem } : {}),
      source: stem ? `stem:${raw}` : raw, position: [...this.query.slice(0, at)].length + 1,
    };
  }

  private field(lx: Extract<Lexeme, { kind: 'field' }>): QueryNode {
    const position = [...this.query.slice(0, lx.at)].length + 1;
    const value = lx.value;
    if (value === '' ) fail(this.query, lx.valueAt, `${lx.name}: needs a value right after the colon (e.g. ${example(lx.name)}).`);
    switch (lx.name) {
      case 'stem': {
        const node = this.text(value, lx.valueAt, lx.quoted, lx.lang ?? 'auto');
        if (!node) fail(this.query, lx.valueAt, 'stem: needs a word with letters.');
        if (node.fuzzy !== undefined) fail(this.query, lx.valueAt, 'a word is stem: or fuzzy~, not both.');
        node.position = position;
        return node;
      }
      case 'conversation':
      case 'from':
      case 'to':
      case 'cc':
      case 'in':
      case 'custodian':
      case 'subject':
      case 'attachment':
      case 'ocr':
      case 'tag': {
        let body = value;
        let prefix = false;
        if (body.endsWith('*')) {
          body = body.replace(/\*+$/, '');
          prefix = true;
        }
        // conversation:ID (a number, unquoted) or conversation:NAME, as in:.
        if (lx.name === 'conversation' && /^\d+$/.test(value) && !lx.quoted) return { type: 'field', field: 'conversation', id: Number(value), value, position };
        const t = terms(body);
        if (t.length === 0) fail(this.query, lx.valueAt, `${lx.name}:${lx.quoted ? `"${value}"` : value} has no letters or digits to match.`);
        return { type: 'field', field: lx.name, terms: t, prefix, value, position };
      }
      case 'platform':
      case 'lang':
      case 'entity':
        return { type: 'field', field: lx.name, value, position };
      case 'reviewed': {
        const v = value.toLowerCase();
        if (!['yes', 'no', 'true', 'false'].includes(v)) fail(this.query, lx.valueAt, `reviewed: takes "yes" or "no", not "${value}".`);
        return { type: 'field', field: 'reviewed', value: v === 'yes' || v === 'true', position };
      }
      case 'source': {
        if (!/^\d+$/.test(value) || Number(value) < 1) fail(this.query, lx.valueAt, `source: takes a source id (a whole number, as "holdfast info" and the import report show), not "${value}".`);
        return { type: 'field', field: 'source', id: Number(value), value, position };
      }
      case 'has': {
        const v = value.toLowerCase().replace(/s$/, '');
        if (v !== 'attachment' && v !== 'reaction') fail(this.query, lx.valueAt, `has: takes "attachment" or "reaction", not "${value}".`);
        return { type: 'field', field: 'has', value: v, position };
      }
      case 'is': {
        const v = value.toLowerCase();
        if (v !== 'edited' && v !== 'deleted' && v !== 'withheld') fail(this.query, lx.valueAt, `is: takes "edited", "deleted" or "withheld", not "${value}".`);
        return { type: 'field', field: 'is', value: v, position };
      }
      default: {
        const name = lx.name as 'after' | 'before' | 'on';
        if (!validDate(value)) fail(this.query, lx.valueAt, `${name}: takes a date as YYYY-MM-DD (e.g. ${name}:2024-03-31), not "${value}".`);
        return { type: 'field', field: name, value, position };
      }
    }
  }
}

function example(field: string): string {
  switch (field) {
    case 'from': return 'from:"Jane Doe"';
    case 'in': return 'in:"Project X"';
    case 'custodian': return 'custodian:Smith';
    case 'source': return 'source:3';
    case 'tag': return 'tag:Responsive';
    case 'has': return 'has:attachment';
    case 'is': return 'is:edited';
    case 'conversation': return 'conversation:"Deal Room"';
    case 'platform': return 'platform:whatsapp';
    case 'subject': return 'subject:invoice';
    case 'to': case 'cc': return `${field}:jane@example.com`;
    case 'attachment': return 'attachment:contract.pdf';
    case 'ocr': return 'ocr:invoice';
    case 'reviewed': return 'reviewed:no';
    case 'lang': return 'lang:fr';
    case 'entity': return 'entity:iban';
    case 'stem': return 'stem:run';
    default: return `${field}:2024-01-31`;
  }
}

/** Parses a query or throws VALIDATION saying what is wrong and where. */
export function parseQuery(query: string): ParsedQuery {
  if (typeof query !== 'string') throw new HoldfastError('VALIDATION', 'The query must be text.');
  const parser = new Parser(query);
  const root = parser.parse();
  if (!root) {
    throw new HoldfastError('VALIDATION', query.trim() ? 'The query has nothing to search for (no letters, digits, emoji or fields).' : 'The query is empty; type words, a "phrase" or a field such as from:"Name".', { query });
  }
  return { root, warnings: parser.warnings };
}
