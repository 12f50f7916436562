/**
 * The term-list operators (proximity, fuzzy, stemming, regular expressions, the new fields) against
 * brute force: a reference tokenizer and matcher written here (regular expressions, a Levenshtein
 * table, the Snowball stemmer applied word by word), none of src/search, over a real imported case
 * in several scripts. Exact totals, every matching id, and relevance pages equal to full scoring.
 */
import { test, before } from 'node:test';
import fs from 'node:fs';
import assert from 'node:assert/strict';
import { newStemmer } from 'snowball-stemmers';
import { newCase, tempDir } from '../helpers/case.ts';
import { writeCorpus, DEFAULT_CHATS } from '../helpers/search-corpus.ts';
import { runImport } from '../../src/app/run-import.ts';
import { iterateMessages } from '../../src/case/messages.ts';
import { matchingMessageIds, run, scanRegexes, searchMessages } from '../../src/search/search.ts';
import { evaluate, positiveTexts, scoreMatches } from '../../src/search/evaluate.ts';
import { members, topByScore } from '../../src/search/rank.ts';
import { tagMessages } from '../../src/review/tags.ts';
import { HoldfastError } from '../../src/api/errors.ts';
import { parseTermsFile, searchTerms } from '../../src/search/term-list.ts';
import type { CaseSession } from '../../src/case/session.ts';

// ---- the reference tokenizer and matchers ----

const CJK_RUN = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}ー々〆]+$/u;
const TOKEN = /\p{RI}\p{RI}|\p{Extended_Pictographic}|[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}ー々〆]+|[\p{L}\p{N}\p{M}]+/gu;

function foldWord(w: string): string {
  return w.normalize('NFKD').replace(/\p{M}/gu, '').replace(/\u0640/g, '').toLowerCase().replace(/ß/g, 'ss').normalize('NFC');
}

/** Terms of a text in order: words folded, CJK runs as overlapping bigrams, emoji and flags. */
function tokens(s: string): string[] {
  const out: string[] = [];
  for (const m of s.normalize('NFC').match(TOKEN) ?? []) {
    if (CJK_RUN.test(m)) {
      const chars = [...m];
      if (chars.length === 1) out.push(m);
      for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
    } else {
      out.push(foldWord(m));
    }
  }
  return out;
}

interface Doc {
  id: number;
  fields: string[];
  toks: string[][];
  conversation: string;
  conversationId: number;
  tags: string[];
  reacted: boolean;
  sentAt: number;
}

/** An operand: a term test per position (a word, a prefix, a set of words). */
type Operand = Array<(t: string) => boolean>;
const w = (...words: string[]): Operand => words.flatMap((x) => tokens(x)).map((t) => (x: string) => x === t);
const pre = (p: string): Operand => [(x) => x.startsWith(tokens(p)[0]!)];
const anyOf = (set: Set<string>): Operand => [(x) => set.has(x)];

function occurrences(f: string[], ops: Operand[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const op of ops) for (let s = 0; s + op.length <= f.length; s++) if (op.every((test, k) => test(f[s + k]!))) out.push([s, s + op.length - 1]);
  return out;
}

/** Within n positions between the nearest ends, in one field, never overlapping. */
function near(l: Operand[], r: Operand[], n: number, ordered: boolean) {
  return (d: Doc) => d.toks.some((f) => {
    const ls = occurrences(f, l);
    const rs = occurrences(f, r);
    return ls.some(([a, b]) => rs.some(([c, e]) => (b < c && c - b <= n) || (!ordered && e < a && a - e <= n)));
  });
}
const holds = (ops: Operand[]) => (d: Doc) => d.toks.some((f) => occurrences(f, ops).length > 0);

function levenshtein(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

let session: CaseSession;
let docs: Doc[];
let vocabulary: Set<string>;

const fuzzy = (word: string, edits: number) => new Set([...vocabulary].filter((t) => Math.abs(t.length - word.length) <= edits && levenshtein(t, word) <= edits));
const stemmed = (word: string, algorithm: string) => {
  const s = newStemmer(algorithm);
  return new Set([...vocabulary].filter((t) => s.stem(t) === s.stem(word)));
};

before(async () => {
  const dir = tempDir('holdfast-operators-');
  session = newCase(dir);
  const signal = new AbortController().signal;
  for (const f of writeCorpus(dir, DEFAULT_CHATS)) await runImport(session, { source: f, tz: 'UTC', dateOrder: 'dmy' }, signal);
  const all = session.db.prepare('SELECT id FROM messages ORDER BY id').pluck().all() as number[];
  tagMessages(session, { messageIds: all.filter((id) => id % 5 === 0), tag: 'Privileged' });
  tagMessages(session, { messageIds: all.filter((id) => id % 3 === 0), tag: 'Responsive' });
  tagMessages(session, { messageIds: all.filter((id) => id % 4 === 0), tag: 'Hot' });
  // Reactions as an importer stores them (WhatsApp text exports carry none); one removed again.
  const react = session.db.prepare('INSERT INTO reactions(message_id, handle_id, value, at, removed) VALUES (?, NULL, ?, ?, ?)');
  for (const id of all.filter((x) => x % 13 === 0)) react.run(id, '👍', 1, id % 26 === 0 ? 1 : 0);
  const reacted = new Set(session.db.prepare('SELECT message_id FROM reactions WHERE removed = 0').pluck().all() as number[]);
  docs = [...iterateMessages(session, { includePersonal: true })].map((m) => {
    const fields = [...(m.subject ? [m.subject] : []), m.text, ...m.edits.map((e) => e.text), ...m.attachments.map((a) => a.name)];
    return {
      id: m.id, fields, toks: fields.map(tokens), conversation: m.conversation, conversationId: m.conversationId, tags: m.tags,
      reacted: reacted.has(m.id), sentAt: Date.parse(m.sentAt),
    };
  });
  vocabulary = new Set(docs.flatMap((d) => d.toks.flat()));
});

interface Case {
  q: string;
  match: () => (d: Doc) => boolean;
  none?: boolean;
}

const CASES: Case[] = [
  // proximity: words, prefixes, phrases, OR-groups, both orders, negation, several scripts
  { q: 'price w/3 deal', match: () => near([w('price')], [w('deal')], 3, false) },
  { q: 'price W/1 deal', match: () => near([w('price')], [w('deal')], 1, false) },
  { q: 'price pre/2 deal', match: () => near([w('price')], [w('deal')], 2, true) },
  { q: 'deal pre/2 price', match: () => near([w('deal')], [w('price')], 2, true) },
  { q: 'price not w/3 deal', match: () => (d) => holds([w('price')])(d) && !near([w('price')], [w('deal')], 3, false)(d) },
  { q: 'price NOT w/3 deal', match: () => (d) => holds([w('price')])(d) && !near([w('price')], [w('deal')], 3, false)(d) },
  { q: 'pric* w/4 (deal OR contract)', match: () => near([pre('pric')], [w('deal'), w('contract')], 4, false) },
  { q: '(bonus OR invoice) w/10 (wire OR money)', match: () => near([w('bonus'), w('invoice')], [w('wire'), w('money')], 10, false) },
  // A side's texts of one length are merged into one list: mixed lengths, a term on both sides, order.
  { q: '("wire the money" OR bonus OR invoice) w/6 (price OR "the money" OR deal)', match: () => near([w('wire', 'the', 'money'), w('bonus'), w('invoice')], [w('price'), w('the', 'money'), w('deal')], 6, false) },
  { q: '(price OR deal) w/2 (deal OR contract)', match: () => near([w('price'), w('deal')], [w('deal'), w('contract')], 2, false) },
  { q: '(bonus OR invoice) pre/4 (wire OR money)', match: () => near([w('bonus'), w('invoice')], [w('wire'), w('money')], 4, true) },
  { q: '"wire the money" w/5 price', match: () => near([w('wire', 'the', 'money')], [w('price')], 5, false) },
  { q: 'price w/2 price', match: () => near([w('price')], [w('price')], 2, false) },
  { q: 'сделка w/4 деньги', match: () => near([w('сделка')], [w('деньги')], 4, false) },
  { q: 'مرحبا w/5 صفقة', match: () => near([w('مرحبا')], [w('صفقة')], 5, false) },
  { q: 'שלום pre/6 כסף', match: () => near([w('שלום')], [w('כסף')], 6, true) },
  { q: '価格 w/3 確認', match: () => near([w('価格')], [w('確認')], 3, false) },
  { q: '会議 w/8 거래', match: () => near([w('会議')], [w('거래')], 8, false) },
  { q: '👍 w/3 price', match: () => near([w('👍')], [w('price')], 3, false) },
  { q: '🚀 pre/4 🇬🇧', match: () => near([w('🚀')], [w('🇬🇧')], 4, true) },
  { q: 'deal -(price w/3 deal)', match: () => (d) => holds([w('deal')])(d) && !near([w('price')], [w('deal')], 3, false)(d) },
  { q: '(price w/3 deal) OR (call w/2 tomorrow)', match: () => (d) => near([w('price')], [w('deal')], 3, false)(d) || near([w('call')], [w('tomorrow')], 2, false)(d) },
  { q: 'angstrom w/3 cafe', match: () => near([w('angstrom')], [w('cafe')], 3, false) },
  // fuzzy
  { q: 'pricr~', match: () => holds([anyOf(fuzzy('pricr', 1))]) },
  { q: 'contrakt~', match: () => holds([anyOf(fuzzy('contrakt', 2))]) },
  { q: 'setlement~1', match: () => holds([anyOf(fuzzy('setlement', 1))]) },
  { q: 'сдлка~', match: () => holds([anyOf(fuzzy('сдлка', 1))]) },
  { q: 'مرحب~', match: () => holds([anyOf(fuzzy('مرحب', 1))]) },
  { q: 'shipmant~ w/5 invoice', match: () => near([anyOf(fuzzy('shipmant', 2))], [w('invoice')], 5, false) },
  { q: 'kickbak~', match: () => () => false, none: true },
  // an expansion this broad is checked on each candidate's term sequence instead of merged positions
  { q: 'ok~3 w/2 deal', match: () => near([anyOf(fuzzy('ok', 3))], [w('deal')], 2, false) },
  { q: 'deal not w/1 ok~3', match: () => (d) => holds([w('deal')])(d) && !near([w('deal')], [anyOf(fuzzy('ok', 3))], 1, false)(d) },
  // stemming (exact stays the default: "prices" alone does not find "price")
  { q: 'stem:prices', match: () => holds([anyOf(stemmed('prices', 'english'))]) },
  { q: 'prices', match: () => holds([w('prices')]) },
  { q: 'stem:contracts', match: () => holds([anyOf(stemmed('contracts', 'english'))]) },
  { q: 'stem.en:calling w/3 tomorrow', match: () => near([anyOf(stemmed('calling', 'english'))], [w('tomorrow')], 3, false) },
  { q: 'stem:сделки', match: () => holds([anyOf(stemmed('сделки', 'russian'))]) },
  // regular expressions (on the text as stored)
  { q: '/\\bprice\\w*/i', match: () => (d) => d.fields.some((f) => /\bprice\w*/i.test(f)) },
  { q: '/report-\\d{2,}/', match: () => (d) => d.fields.some((f) => /report-\d{2,}/.test(f)) },
  { q: '/сделка|СДЕЛКА/ deal', match: () => (d) => d.fields.some((f) => /сделка|СДЕЛКА/.test(f)) && holds([w('deal')])(d) },
  { q: '/WA00[0-4]\\d\\.jpg/', match: () => (d) => d.fields.some((f) => /WA00[0-4]\d\.jpg/.test(f)) },
  { q: '-/e/i', match: () => (d) => !d.fields.some((f) => /e/i.test(f)) },
  // with runs every match must contain (only messages holding such a term are read)
  { q: '/PRICEs?\\b/i', match: () => (d) => d.fields.some((f) => /PRICEs?\b/i.test(f)) },
  { q: '/con(tract)?s?/', match: () => (d) => d.fields.some((f) => /con(tract)?s?/.test(f)) },
  { q: '/wire.{1,6}money/', match: () => (d) => d.fields.some((f) => /wire.{1,6}money/.test(f)) },
  { q: '/Z(?:ü|u)rich/i', match: () => (d) => d.fields.some((f) => /Z(?:ü|u)rich/i.test(f)) },
  { q: '/ship{1}ment/ -/pricing/', match: () => (d) => d.fields.some((f) => /shipment/.test(f)) && !d.fields.some((f) => /pricing/.test(f)) },
  // fields
  { q: 'attachment:jpg', match: () => (d) => d.fields.slice(1).some((f) => tokens(f).includes('jpg')) },
  { q: 'platform:WhatsApp', match: () => () => true },
  { q: 'platform:slack', match: () => () => false, none: true },
  { q: 'conversation:"Project Alpha" price', match: () => (d) => d.conversation === 'Project Alpha' && holds([w('price')])(d) },
  { q: 'has:reaction', match: () => (d) => d.reacted },
  { q: 'is:withheld', match: () => (d) => d.tags.includes('Privileged') },
  // Reviewed: a coding tag (Responsive) or a privilege tag (Privileged), or a reviewer's mark (none here); Hot is an issue tag.
  { q: 'reviewed:yes', match: () => (d) => d.tags.includes('Responsive') || d.tags.includes('Privileged') },
  { q: 'reviewed:no deal', match: () => (d) => !d.tags.includes('Responsive') && !d.tags.includes('Privileged') && holds([w('deal')])(d) },
  { q: 'on:2023-01-05', match: () => (d) => d.sentAt >= Date.UTC(2023, 0, 5) && d.sentAt < Date.UTC(2023, 0, 6) },
  { q: 'subject:invoice', match: () => () => false, none: true },
];

/** The general path: every match scored, then the first k (what the fast paths must equal). */
function reference(query: string, k: number): Array<[number, number]> {
  const { ctx, root } = run(session, query, true);
  const matches = evaluate(ctx, root);
  const scores = scoreMatches(ctx, positiveTexts(root), matches);
  return Array.from(topByScore(members(matches, matches.count()), scores, ctx.index.sentAt, k), (id) => [id, Math.round(scores[id]! * 1000) / 1000]);
}

for (const c of CASES) {
  test(`operator ${c.q}`, () => {
    const match = c.match();
    const expected = docs.filter(match).map((d) => d.id);
    if (c.none) assert.equal(expected.length, 0, 'the reference finds hits for a case meant to have none');
    else assert.ok(expected.length > 0, 'the reference finds no hit: the case would pass vacuously');
    assert.deepEqual(matchingMessageIds(session, c.q, { includePersonal: true }), expected);
    for (const [offset, limit] of [[0, 20], [5, 30], [0, 2000]] as const) {
      const page = searchMessages(session, { query: c.q, offset, limit, includePersonal: true });
      assert.equal(page.total, expected.length);
      assert.deepEqual(page.hits.map((h) => [h.messageId, h.score]), reference(c.q, offset + limit).slice(offset), `${c.q} page ${offset}+${limit}`);
    }
  });
}

test('the broad-expansion cases above really take the term-sequence path', () => {
  const { ctx } = run(session, 'ok~3', true);
  const p = ctx.index.positions();
  const ids = ctx.index.fuzzyTerms('ok', 3);
  const occurrences = p.count(ids);
  assert.ok(occurrences > p.total / 8, `${occurrences} of ${p.total}`);
});

test('fuzzy and stem results list the terms they were expanded to', () => {
  const r = searchMessages(session, { query: 'contrakt~ OR stem:prices', includePersonal: true });
  assert.deepEqual(r.expansions?.map((e) => [e.operand, e.position, e.kind, [...e.terms].sort()]), [
    ['contrakt~', 1, 'fuzzy', [...fuzzy('contrakt', 2)].sort()],
    ['stem:prices', 14, 'stem', [...stemmed('prices', 'english')].sort()],
  ]);
  assert.equal(searchMessages(session, { query: 'price' }).expansions, undefined);
  // A script without a stemmer is matched exactly, and says so.
  const hebrew = searchMessages(session, { query: 'stem:שלום', includePersonal: true });
  assert.equal(hebrew.total, matchingMessageIds(session, 'שלום', { includePersonal: true }).length);
  assert.match(hebrew.warnings.join(' '), /no stemmer for that script; matched exactly/);
});

test('a regular expression scan reports progress, can be cancelled and stops at its time limit; what it read is kept', () => {
  const seen: number[] = [];
  const total = matchingMessageIds(session, '/a/', { includePersonal: true, scan: { onProgress: (done, all) => seen.push(done / all) } });
  assert.ok(total.length > 0);
  assert.equal(seen[seen.length - 1], 1);
  // The same pattern again reads nothing (no progress) and finds the same messages.
  const again: number[] = [];
  assert.deepEqual(matchingMessageIds(session, '/a/', { includePersonal: true, scan: { onProgress: (done) => again.push(done) } }), total);
  assert.deepEqual(again, []);
  const ac = new AbortController();
  ac.abort();
  assert.throws(() => matchingMessageIds(session, '/e/', { scan: { signal: ac.signal } }), (e: unknown) => e instanceof HoldfastError && e.code === 'CANCELLED');
  assert.throws(
    () => matchingMessageIds(session, '/o/', { scan: { timeLimitMs: -1 } }),
    (e: unknown) => e instanceof HoldfastError && e.code === 'SEARCH_TIMEOUT' && /time limit/.test(e.message),
  );
});

test('the app\'s asynchronous scan reads what the query needs first; the query then answers from it, as a scan of its own would', async () => {
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(scanRegexes(session, 'price /ment\\b/', true, { signal: ac.signal }), (e: unknown) => e instanceof HoldfastError && e.code === 'CANCELLED');
  const progress: number[] = [];
  await scanRegexes(session, 'price /ment\\b/', true, { onProgress: (done, all) => progress.push(done / all) });
  assert.equal(progress.at(-1), 1);
  const read: number[] = [];
  const ids = matchingMessageIds(session, 'price /ment\\b/', { includePersonal: true, scan: { onProgress: (done) => read.push(done) } });
  assert.deepEqual(read, [], 'nothing left to read');
  // The same pattern spelt differently is a scan of its own (synchronous).
  assert.deepEqual(ids, matchingMessageIds(session, 'price /(?:ment)\\b/', { includePersonal: true }));
  assert.ok(ids.length > 0);
});

test('regular expression hits are highlighted in the snippet', () => {
  const r = searchMessages(session, { query: '/report-\\d{2,}/', limit: 5, includePersonal: true });
  assert.ok(r.hits.length > 0);
  for (const h of r.hits) {
    assert.ok(h.highlights.length > 0);
    for (const [s, e] of h.highlights) assert.match(h.snippet.slice(s, e), /^report-\d{2,}$/);
  }
});

test('a pathological pattern runs in linear time (RE2: no backtracking)', () => {
  // (a+)+$ against a long run of a's followed by b takes exponential time in a backtracking engine.
  const started = Date.now();
  assert.deepEqual(matchingMessageIds(session, '/(a+)+$/ zzzunknownword'), []);
  assert.deepEqual(matchingMessageIds(session, '/(\\w+\\s?)+$/'), matchingMessageIds(session, '/\\w$/'));
  assert.ok(Date.now() - started < 60_000);
});

const MALFORMED: Array<[string, number, RegExp]> = [
  ['w/3', 1, /w\/3 needs a word, phrase or group on its left/],
  ['price w/3', 7, /on its right/],
  ['price w/x deal', 7, /number of words/],
  ['price w/0 deal', 7, /number of words/],
  ['price w/3 deal w/3 call', 16, /one proximity at a time/],
  ['price w/3 from:alice', 11, /right side of a proximity/],
  ['(a AND b) w/3 deal', 11, /left side .* not an AND group/],
  ['~', 1, /~ is only allowed at the end/],
  ['pri~ce', 4, /~ is only allowed at the end/],
  ['price~9', 6, /1 to 3 edits/],
  ['pric*~', 6, /fuzzy~ or a prefix\*/],
  ['"wire the money"~3', 17, /w\/N/],
  ['/abc', 1, /never closed/],
  ['/(/', 1, /not a valid regular expression/],
  ['/(?=a)b/', 1, /not a valid regular expression/],
  ['/abc/x', 6, /flags/],
  ['gr?y', 3, /\? wildcard/],
  ['!contract', 1, /root expander/],
  ['stem:price*', 6, /stem: or a prefix/],
  ['stem.xx:run', 6, /no stemmer for the language "xx"/],
  ['from.en:run', 1, /only stem:/],
  ['reviewed:maybe', 10, /yes.*no/],
  ['is:pinned', 4, /withheld/],
  ['has:link', 5, /reaction/],
  ['on:2023-02-30', 4, /YYYY-MM-DD/],
  ['lang:fr', 1, /language/],
];

for (const [q, position, message] of MALFORMED) {
  test(`unsupported or malformed ${JSON.stringify(q)} is VALIDATION at character ${position}, never a silent 0`, () => {
    for (const fn of [() => searchMessages(session, { query: q }), () => matchingMessageIds(session, q)]) {
      assert.throws(fn, (err: unknown) => {
        assert.ok(err instanceof HoldfastError, String(err));
        assert.equal(err.code, 'VALIDATION');
        assert.match(err.message, message);
        assert.match(err.message, new RegExp(`character ${position}\\b`));
        assert.equal(err.details?.position, `character ${position}`);
        return true;
      });
    }
  });
}

test('messages imported while the case is open are found by phrases and proximity (the positional postings follow)', async () => {
  const before = { phrase: matchingMessageIds(session, '"wire the money"', { includePersonal: true }), near: matchingMessageIds(session, 'price w/6 deal', { includePersonal: true }) };
  const lastId = docs[docs.length - 1]!.id;
  const dir = tempDir('holdfast-operators-more-');
  const [file] = writeCorpus(dir, [{ name: 'Late Chat', authors: ['Eve Adams', 'Frank Moore'], messages: 600 }], 99);
  await runImport(session, { source: file!, tz: 'UTC', dateOrder: 'dmy' }, new AbortController().signal);
  const added = [...iterateMessages(session, { includePersonal: true })].filter((m) => m.id > lastId).map((m) => {
    const fields = [m.text, ...m.edits.map((e) => e.text), ...m.attachments.map((a) => a.name)];
    return { id: m.id, fields, toks: fields.map(tokens) } as Doc;
  });
  assert.equal(added.length, 600);
  const newPhrase = added.filter(holds([w('wire', 'the', 'money')])).map((d) => d.id);
  const newNear = added.filter(near([w('price')], [w('deal')], 6, false)).map((d) => d.id);
  assert.ok(newPhrase.length > 0 && newNear.length > 0);
  assert.deepEqual(matchingMessageIds(session, '"wire the money"', { includePersonal: true }), [...before.phrase, ...newPhrase]);
  assert.deepEqual(matchingMessageIds(session, 'price w/6 deal', { includePersonal: true }), [...before.near, ...newNear]);
});

test('a term report counts a message held by two custodians for each of them', async () => {
  const late = session.db.prepare("SELECT id FROM conversations WHERE name = 'Late Chat'").pluck().get() as number;
  const dir = tempDir('holdfast-operators-copy-');
  const [file] = writeCorpus(dir, [{ name: 'Late Chat', authors: ['Eve Adams', 'Frank Moore'], messages: 600 }], 99);
  // The same chat collected from a second custodian (another file: one more line break): its messages gain an occurrence.
  fs.appendFileSync(file!, '\n');
  await runImport(session, { source: file!, tz: 'UTC', dateOrder: 'dmy', custodian: 'John Doe' }, new AbortController().signal);
  const all = matchingMessageIds(session, 'price', { includePersonal: true });
  const inLate = matchingMessageIds(session, `price conversation:${late}`, { includePersonal: true });
  assert.ok(inLate.length > 0 && inLate.length < all.length);
  const report = searchTerms(session, parseTermsFile('price\nprice w/6 deal\n'), { includePersonal: true });
  const row = report.terms[0]!;
  assert.equal(row.hits, all.length);
  assert.deepEqual(row.byCustodian, [{ custodian: '(no custodian)', hits: all.length }, { custodian: 'John Doe', hits: inLate.length }]);
  assert.equal(row.byConversation.find((c) => c.conversationId === late)?.hits, inLate.length);
  assert.equal(row.byConversation.reduce((n, c) => n + c.hits, 0), all.length);
  const both = new Set(matchingMessageIds(session, 'price w/6 deal', { includePersonal: true }));
  assert.equal(row.uniqueHits, all.filter((id) => !both.has(id)).length);
});
