/**
 * The reviewers' query language, shared by the app and the CLI.
 *
 *   words                 implicit AND            price deal
 *   "exact phrase"        order and adjacency     "call me tomorrow"
 *   prefix*               any term starting so    contract*
 *   OR, AND, NOT, -x      boolean (upper case)    price OR cost, -draft, NOT (a OR b)
 *   ( ... )               grouping
 *   from:"Name" in:"Conversation" custodian:NAME source:ID tag:NAME has:attachment is:edited is:deleted
 *   after:YYYY-MM-DD (inclusive)  before:YYYY-MM-DD (exclusive), in the case's display time zone
 *
 * Precedence: NOT/- binds tightest, then AND (also implicit), then OR. A malformed query is a
 * VALIDATION error naming what is wrong and the character position (1-based, in characters).
 */
import { HoldfastError } from '../api/errors.ts';
import { terms } from './tokenize.ts';

export const FIELDS = ['from', 'in', 'custodian', 'source', 'tag', 'has', 'is', 'after', 'before'] as const;
export type FieldName = (typeof FIELDS)[number];

export type QueryNode =
  | { type: 'and'; children: QueryNode[] }
  | { type: 'or'; children: QueryNode[] }
  | { type: 'not'; child: QueryNode }
  /** Terms in order: one term, or a phrase (quoted, or a word the tokenizer splits, like e-mail or a CJK run). */
  | { type: 'text'; terms: string[]; prefix: boolean; quoted: boolean; source: string; position: number }
  | { type: 'field'; field: 'from' | 'in' | 'custodian' | 'tag'; terms: string[]; prefix: boolean; value: string; position: number }
  | { type: 'field'; field: 'source'; id: number; value: string; position: number }
  | { type: 'field'; field: 'has'; value: 'attachment'; position: number }
  | { type: 'field'; field: 'is'; value: 'edited' | 'deleted'; position: number }
  | { type: 'field'; field: 'after' | 'before'; value: string; position: number };

export interface ParsedQuery {
  root: QueryNode;
  /** Things the parser dropped or noticed, in words a reviewer understands. */
  warnings: string[];
}

type Lexeme =
  | { kind: '(' | ')' | 'OR' | 'AND' | 'NOT' | '-'; at: number }
  | { kind: 'word'; text: string; at: number }
  | { kind: 'phrase'; text: string; at: number }
  | { kind: 'field'; name: string; value: string; quoted: boolean; at: number; valueAt: number };

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
      out.push({ kind: 'phrase', text: q.text, at: i });
      i = q.end;
    } else if (ch === '-' && i + 1 < query.length && !SPACE.test(query[i + 1]!) && query[i + 1] !== ')' && (i === 0 || isBoundary(query[i - 1]))) {
      out.push({ kind: '-', at: i });
      i++;
    } else {
      let j = i;
      while (j < query.length && !isBoundary(query[j])) j++;
      const word = query.slice(i, j);
      const field = /^([A-Za-z]+):/.exec(word);
      if (word === 'OR' || word === 'AND' || word === 'NOT') {
        out.push({ kind: word, at: i });
      } else if (field) {
        const name = field[1]!.toLowerCase();
        const valueAt = i + field[0].length;
        if (!(FIELDS as readonly string[]).includes(name)) {
          fail(query, i, `unknown field "${field[1]}:". Fields are ${FIELDS.map((f) => `${f}:`).join(' ')}; to search for the text itself, put it in quotes.`);
        }
        if (valueAt === j && QUOTES.has(query[j] ?? '')) {
          const q = readQuoted(query, j);
          out.push({ kind: 'field', name, value: q.text, quoted: true, at: i, valueAt: j });
          j = q.end;
        } else {
          out.push({ kind: 'field', name, value: word.slice(field[0].length), quoted: false, at: i, valueAt });
        }
      } else {
        out.push({ kind: 'word', text: word, at: i });
      }
      i = j;
    }
  }
  return out;
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
      const child = next.kind === 'NOT' ? this.unary() : this.primary();
      return child ? { type: 'not', child } : null;
    }
    return this.primary();
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
      case 'phrase':
        return this.text(lx.text, lx.at, true);
      case 'word':
        return this.text(lx.text, lx.at, false);
      case 'field':
        return this.field(lx);
    }
  }

  private text(raw: string, at: number, quoted: boolean): QueryNode | null {
    let body = raw;
    let prefix = false;
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
    return { type: 'text', terms: t, prefix, quoted, source: raw, position: [...this.query.slice(0, at)].length + 1 };
  }

  private field(lx: Extract<Lexeme, { kind: 'field' }>): QueryNode {
    const position = [...this.query.slice(0, lx.at)].length + 1;
    const value = lx.value;
    if (value === '' ) fail(this.query, lx.valueAt, `${lx.name}: needs a value right after the colon (e.g. ${example(lx.name)}).`);
    switch (lx.name) {
      case 'from':
      case 'in':
      case 'custodian':
      case 'tag': {
        let body = value;
        let prefix = false;
        if (body.endsWith('*')) {
          body = body.replace(/\*+$/, '');
          prefix = true;
        }
        const t = terms(body);
        if (t.length === 0) fail(this.query, lx.valueAt, `${lx.name}:${lx.quoted ? `"${value}"` : value} has no letters or digits to match.`);
        return { type: 'field', field: lx.name, terms: t, prefix, value, position };
      }
      case 'source': {
        if (!/^\d+$/.test(value) || Number(value) < 1) fail(this.query, lx.valueAt, `source: takes a source id (a whole number, as "holdfast info" and the import report show), not "${value}".`);
        return { type: 'field', field: 'source', id: Number(value), value, position };
      }
      case 'has': {
        if (value.toLowerCase() !== 'attachment' && value.toLowerCase() !== 'attachments') fail(this.query, lx.valueAt, `has: takes "attachment", not "${value}".`);
        return { type: 'field', field: 'has', value: 'attachment', position };
      }
      case 'is': {
        const v = value.toLowerCase();
        if (v !== 'edited' && v !== 'deleted') fail(this.query, lx.valueAt, `is: takes "edited" or "deleted", not "${value}".`);
        return { type: 'field', field: 'is', value: v, position };
      }
      default: {
        const name = lx.name as 'after' | 'before';
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
