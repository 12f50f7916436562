/**
 * Highlight ranges on a real imported case: checked by brute force against a reference written here
 * (Unicode folding and word finding with plain regular expressions, none of src/search) — every range's
 * text folds to a query term, phrase or expansion; every occurrence of a positive term is covered; negated
 * terms and field values never light up — over every message through `messageHighlights` and over every
 * hit's snippet. Then the foldings that change a text's length, one by one.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { newCase, tempDir } from '../helpers/case.ts';
import { writeCorpus } from '../helpers/search-corpus.ts';
import { runImport } from '../../src/app/run-import.ts';
import { matchingMessageIds, messageHighlights, searchMessages } from '../../src/search/search.ts';
import fc from 'fast-check';
import { highlightRanges } from '../../src/search/highlight.ts';
import type { Highlight } from '../../src/search/highlight.ts';
import { MAX_TERM_LENGTH, terms as tokenTerms } from '../../src/search/tokenize.ts';
import type { HighlightRange } from '../../src/api/dto.ts';
import type { CaseSession } from '../../src/case/session.ts';

// ---- the reference ----

function fold(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').replace(/[\u0640\uFE0F]/g, '').replace(/[\u{1F3FB}-\u{1F3FF}]/gu, '').toLowerCase().replace(/ß/g, 'ss');
}

interface Word {
  word: string;
  start: number;
  end: number;
}

/** Words, emoji and flags of a text with their offsets in it, folded. */
function wordsOf(text: string): Word[] {
  const out: Word[] = [];
  for (const m of text.matchAll(/\p{RI}\p{RI}|\p{Extended_Pictographic}[\u{1F3FB}-\u{1F3FF}\uFE0F]*|[\p{L}\p{N}\p{M}\u0640]+/gu)) {
    out.push({ word: fold(m[0]), start: m.index, end: m.index + m[0].length });
  }
  return out;
}

interface Expect {
  query: string;
  /** Whether a single folded word lights up (given the query's fuzzy/stem expansions). */
  word?: (w: string, expanded: ReadonlySet<string>) => boolean;
  /** Folded word sequences that light up as one range. */
  phrases?: string[][];
  /** Text that lights up wherever it stands (CJK, written without spaces; the corpus writes it folded). */
  cjk?: string;
  regex?: RegExp;
  /** Folded words that must never light up (negated, or a field's value). */
  never: string[];
}

const is = (...ws: string[]) => (w: string) => ws.includes(w);

const CASES: Expect[] = [
  { query: 'price', word: is('price'), never: ['prices', 'pricing'] },
  { query: 'zurich OR cafe', word: is('zurich', 'cafe'), never: [] },
  { query: 'strasse angstrom', word: is('strasse', 'angstrom'), never: [] },
  { query: 'finance', word: is('finance'), never: [] },
  { query: 'pric*', word: (w) => w.startsWith('pric'), never: [] },
  { query: '"wire the money"', phrases: [['wire', 'the', 'money']], never: [] },
  { query: '"wire the mon*"', phrases: [['wire', 'the', 'money']], never: [] },
  { query: 'contrakt~', word: (w, x) => x.has(w), never: [] },
  { query: 'stem:contracts', word: (w, x) => x.has(w), never: [] },
  { query: 'price w/3 deal', word: is('price', 'deal'), never: [] },
  { query: 'wire pre/2 money', word: is('wire', 'money'), never: [] },
  { query: 'price not w/3 deal', word: is('price'), never: ['deal'] },
  { query: 'price OR -deal', word: is('price'), never: ['deal'] },
  { query: 'bonus -(deal w/1 price)', word: is('bonus'), never: ['deal', 'price'] },
  { query: 'in:"Zürich Deal Room" price', word: is('price'), never: ['zurich', 'deal', 'room'] },
  { query: 'from:"Alice Smith" contract', word: is('contract'), never: ['alice', 'smith'] },
  { query: 'привет ёлка', word: is('привет', 'елка'), never: [] },
  { query: 'مرحبا', word: is('مرحبا'), never: [] },
  { query: 'שלום', word: is('שלום'), never: [] },
  { query: '👍 OR 🇬🇧', word: is('👍', '🇬🇧'), never: [] },
  { query: '確認', cjk: '確認', never: [] },
  { query: '確', cjk: '確', never: [] },
  { query: '거래', cjk: '거래', never: [] },
  { query: '/report-\\d+/', regex: /report-\d+/g, never: [] },
];

/** Checks one text's ranges against the reference; `inside` limits coverage to where the text is whole (a snippet's cut edges). */
function check(c: Expect, expanded: ReadonlySet<string>, text: string, ranges: readonly HighlightRange[], where: string, inside: [number, number] = [0, text.length]): void {
  const covered = (s: number, e: number) => ranges.some(([a, b]) => a <= s && e <= b);
  for (let i = 0; i < ranges.length; i++) {
    const [s, e] = ranges[i]!;
    assert.ok(s >= 0 && s < e && e <= text.length && (i === 0 || ranges[i - 1]![1] < s), `${where}: ranges ascending, apart, inside the text`);
    const piece = text.slice(s, e);
    const words = wordsOf(piece).map((w) => w.word);
    const ok =
      (c.word !== undefined && words.length === 1 && wordsOf(piece)[0]!.start === 0 && c.word(words[0]!, expanded)) ||
      (c.phrases ?? []).some((p) => p.join(' ') === words.join(' ')) ||
      (c.cjk !== undefined && piece === c.cjk) ||
      (c.regex !== undefined && new RegExp(`^(?:${c.regex.source})$`).test(piece));
    assert.ok(ok, `${where}: the range "${piece}" is a term of ${c.query}`);
    for (const w of words) assert.ok(!c.never.includes(w) || (c.word?.(w, expanded) ?? false), `${where}: "${w}" never lights up for ${c.query}`);
  }
  const whole = (s: number, e: number) => s >= inside[0] && e <= inside[1];
  const words = wordsOf(text);
  for (const w of words) {
    if (c.word?.(w.word, expanded) && whole(w.start, w.end)) assert.ok(covered(w.start, w.end), `${where}: "${text.slice(w.start, w.end)}" lights up for ${c.query}`);
  }
  for (const p of c.phrases ?? []) {
    for (let i = 0; i + p.length <= words.length; i++) {
      if (!p.every((x, k) => words[i + k]!.word === x)) continue;
      const [s, e] = [words[i]!.start, words[i + p.length - 1]!.end];
      if (whole(s, e)) assert.ok(covered(s, e), `${where}: the phrase at ${s} lights up for ${c.query}`);
    }
  }
  if (c.cjk !== undefined) {
    for (let at = text.indexOf(c.cjk); at >= 0; at = text.indexOf(c.cjk, at + 1)) {
      if (whole(at, at + c.cjk.length)) assert.ok(covered(at, at + c.cjk.length), `${where}: ${c.cjk} at ${at} lights up`);
    }
  }
  if (c.regex) for (const m of text.matchAll(c.regex)) if (whole(m.index, m.index + m[0].length)) assert.ok(covered(m.index, m.index + m[0].length), `${where}: ${m[0]} lights up`);
}

let session: CaseSession;
let texts: Map<number, string>;

/** A chat of the foldings that change length, each line with a word to find (see the last test). */
const FOLDING_LINES = [
  'Die Straße ist gesperrt',
  'the ﬁnance team',
  'un cafe\u0301 noir',
  'İstanbul office, İSTANBUL desk',
  'great 👍🏽 job 👍',
  'see 価格を確認してください now',
  'قال مَرْحَبًا يا صديقي',
  'ﬁﬁ ß ﬁnance',
];

before(async () => {
  const dir = tempDir('holdfast-highlight-');
  session = newCase(dir);
  const files = writeCorpus(dir);
  const folding = path.join(dir, 'WhatsApp Chat with Folding.txt');
  fs.writeFileSync(folding, `${FOLDING_LINES.map((l, i) => `0${1 + i}/03/2023, 10:00 - Alice Smith: ${l}`).join('\n')}\n`);
  const signal = new AbortController().signal;
  for (const f of [...files, folding]) await runImport(session, { source: f, tz: 'UTC', dateOrder: 'dmy' }, signal);
  texts = new Map((session.db.prepare('SELECT id, text FROM messages ORDER BY id').all() as { id: number; text: string }[]).map((r) => [r.id, r.text]));
});

for (const c of CASES) {
  test(`highlights of ${c.query}: over every message, and in every hit's snippet`, () => {
    const result = searchMessages(session, { query: c.query, limit: 10_000, includePersonal: true });
    const expanded = new Set((result.expansions ?? []).flatMap((e) => e.terms));
    const matches = matchingMessageIds(session, c.query, { includePersonal: true });
    assert.ok(matches.length > 0, `${c.query} finds something`);
    const ids = [...texts.keys()];
    const lit: number[] = [];
    for (let i = 0; i < ids.length; i += 1000) {
      for (const h of messageHighlights(session, c.query, ids.slice(i, i + 1000), true)) {
        lit.push(h.messageId);
        check(c, expanded, texts.get(h.messageId)!, h.highlights, `message ${h.messageId}`);
      }
    }
    assert.deepEqual(lit, matches, 'the messages the query matches, and only they');
    assert.equal(result.hits.length, result.total);
    for (const h of result.hits) {
      const from = h.snippet.startsWith('…') ? 1 : 0;
      const to = h.snippet.endsWith('…') ? h.snippet.length - 1 : h.snippet.length;
      // A word touching a cut may be a part of a longer one.
      const inside: [number, number] = [from ? from + 1 : 0, to < h.snippet.length ? to - 1 : to];
      check(c, expanded, h.snippet, h.highlights, `snippet of ${h.messageId}`, inside);
    }
  });
}

test('foldings that change the length still mark the characters written', () => {
  const lit = (query: string): string[] => {
    const ids = [...texts.keys()];
    const out: string[] = [];
    for (let i = 0; i < ids.length; i += 1000) {
      for (const h of messageHighlights(session, query, ids.slice(i, i + 1000), true)) {
        const text = texts.get(h.messageId)!;
        if (FOLDING_LINES.includes(text)) out.push(...h.highlights.map(([s, e]) => text.slice(s, e)));
      }
    }
    return out;
  };
  assert.deepEqual(lit('strasse'), ['Straße']);
  assert.deepEqual(lit('finance'), ['ﬁnance', 'ﬁnance']);
  assert.deepEqual(lit('fifi'), ['ﬁﬁ']);
  assert.deepEqual(lit('ss'), ['ß']);
  assert.deepEqual(lit('café'), ['cafe\u0301']);
  assert.deepEqual(lit('istanbul'), ['İstanbul', 'İSTANBUL']);
  assert.deepEqual(lit('"istanbul office"'), ['İstanbul office']);
  assert.deepEqual(lit('👍'), ['👍🏽', '👍']);
  assert.deepEqual(lit('確認'), ['確認']);
  assert.deepEqual(lit('確'), ['確']);
  assert.deepEqual(lit('価格 確認'), ['価格', '確認']);
  assert.deepEqual(lit('مرحبا'), ['مَرْحَبًا']);
  assert.deepEqual(lit('مرحبا w/2 صديقي'), ['مَرْحَبًا', 'صديقي']);
  assert.deepEqual(lit('strasse -gesperrt'), []);
  assert.deepEqual(lit('strasse OR -gesperrt').filter((t) => /gesperrt/i.test(t)), []);
});

test('an ASCII text searched term by term lights up exactly what tokenizing it does (runs past the longest term too)', () => {
  const word = fc.stringMatching(/^[A-Za-z0-9]{1,6}$/);
  // Words, separators of any ASCII kind, and now and then a run longer than a term may be.
  const piece = fc.oneof(
    { weight: 6, arbitrary: word },
    { weight: 3, arbitrary: fc.constantFrom(' ', '  ', ', ', '.', '-', '_', "'", '\n', '\t', '/', '@', '#', '\u0000', '\u007f') },
    { weight: 1, arbitrary: fc.integer({ min: MAX_TERM_LENGTH - 2, max: MAX_TERM_LENGTH + 3 }).map((n) => 'Ab1'.repeat(n).slice(0, n)) },
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 30 }), fc.array(word, { maxLength: 3 }), fc.nat(), (pieces, others, pick) => {
      const text = pieces.join('');
      const own = tokenTerms(text);
      const chosen = [...new Set([...own.filter((_, i) => (pick >> (i % 20)) & 1), ...others.map((w) => w.toLowerCase())])].slice(0, 8);
      const hl = (asciiTerms: string[] | null): Highlight => ({ terms: new Set(chosen), cjkChars: new Set(), phrases: [], regexes: [], asciiTerms });
      assert.deepEqual(highlightRanges(text, hl(chosen)), highlightRanges(text, hl(null)));
    }),
    { numRuns: 2000, seed: 7 },
  );
});
