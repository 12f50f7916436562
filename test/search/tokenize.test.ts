import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { terms, tokenize, MAX_TERM_LENGTH } from '../../src/search/tokenize.ts';

test('case and diacritics fold; letters NFKD keeps get their plain forms', () => {
  assert.deepEqual(terms('Ångström CAFÉ naïve Zürich São Paulo Mañana façade'), ['angstrom', 'cafe', 'naive', 'zurich', 'sao', 'paulo', 'manana', 'facade']);
  assert.deepEqual(terms('Straße STRASSE ẞ Æther Œuvre Øre Łódź Đorđe þorn ı İstanbul'), ['strasse', 'strasse', 'ss', 'aether', 'oeuvre', 'ore', 'lodz', 'dorde', 'thorn', 'i', 'istanbul']);
  assert.deepEqual(terms('ﬁnance ＡＢＣ ①'), ['finance', 'abc', '1']);
  // Decomposed input folds the same as precomposed.
  assert.deepEqual(terms('Cafe\u0301 A\u030angstro\u0308m'), ['cafe', 'angstrom']);
});

test('Cyrillic, Greek, Arabic and Hebrew are words; their diacritics, tashkeel, tatweel and niqqud are dropped', () => {
  assert.deepEqual(terms('Привет СДЕЛКА ёлка мой'), ['привет', 'сделка', 'елка', 'мой']);
  assert.deepEqual(terms('Ελλάδα ΟΔΟΣ'), ['ελλαδα', 'οδοσ']);
  assert.deepEqual(terms('مَرْحَبًا مرحـــبا أحمد إسلام آمن صفقة مستشفى'), ['مرحبا', 'مرحبا', 'احمد', 'اسلام', 'امن', 'صفقه', 'مستشفي']);
  assert.deepEqual(terms('שָׁלוֹם עסקה'), ['שלום', 'עסקה']);
  assert.deepEqual(terms('٣٤ ۱۲ १२३'), ['34', '12', '123']);
});

test('CJK runs become overlapping bigrams (a lone character stays itself); marks that are part of a kana stay', () => {
  assert.deepEqual(terms('価格を確認'), ['価格', '格を', 'を確', '確認']);
  assert.deepEqual(terms('会 議'), ['会', '議']);
  assert.deepEqual(terms('거래를 합시다'), ['거래', '래를', '합시', '시다']);
  assert.deepEqual(terms('iPhone価格'), ['iphone', '価格']);
  assert.deepEqual(terms('ガ ｶﾞ が'), ['ガ', 'ガ', 'が']);
  assert.deepEqual(terms('\u{20B9F}\u{20B9F}'), ['\u{20B9F}\u{20B9F}']);
});

test('emoji are terms (skin tones and presentation selectors folded), flags too; Thai is cut into words', () => {
  assert.deepEqual(terms('👍🏽 👍 ❤️ 👨‍👩‍👧 🇬🇧'), ['👍', '👍', '❤', '👨‍👩‍👧', '🇬🇧']);
  assert.deepEqual(terms('สวัสดีครับ'), ['สวัสดี', 'ครับ']);
});

test('punctuation separates; offsets point into the original text', () => {
  assert.deepEqual(terms("don't e-mail me@example.com #123 $4.50"), ['don', 't', 'e', 'mail', 'me', 'example', 'com', '123', '4', '50']);
  const text = 'Un café à Zürich 価格を';
  for (const t of tokenize(text)) assert.ok(t.end > t.start && t.end <= text.length);
  assert.deepEqual(tokenize(text).map((t) => text.slice(t.start, t.end)), ['Un', 'café', 'à', 'Zürich', '価格', '格を']);
  const decomposed = 'Cafe\u0301!';
  assert.deepEqual(tokenize(decomposed).map((t) => decomposed.slice(t.start, t.end)), ['Cafe\u0301']);
});

test('very long terms are cut, the same way on both sides', () => {
  const long = 'x'.repeat(500);
  assert.equal(terms(long)[0]!.length, MAX_TERM_LENGTH);
  assert.deepEqual(terms(long), terms(`${long}y`));
});

test('a 4.5-million-letter word tokenizes without overflowing the stack, as one term; runs longer than a chunk stay whole', () => {
  for (const letter of ['ب', 'e\u0301']) {
    const word = letter.repeat(Math.ceil(4_500_000 / letter.length));
    const tokens = tokenize(`start ${word} end`);
    assert.deepEqual(tokens.map((t) => t.term.length), [5, MAX_TERM_LENGTH, 3], letter);
    assert.deepEqual([tokens[1]!.start, tokens[1]!.end], [6, 6 + word.length], 'the term spans the whole run');
  }
  // A CJK run across the internal chunk boundary: every bigram, none lost or doubled at the seam.
  const cjk = Array.from({ length: 5000 }, (_, i) => String.fromCodePoint(0x4e00 + (i % 500))).join('');
  const bigrams = terms(cjk);
  assert.equal(bigrams.length, 4999);
  assert.equal(bigrams[4095], cjk.slice(4095, 4097));
});

test('letters of any script joined to others, marks, emoji and punctuation: one run where Unicode says so, offsets kept', () => {
  const text = 'abcé naïveTÉ x\u0301y 😀abc def😀 a—b a\u00a0b Zürich,Zürich İx';
  assert.deepEqual(
    tokenize(text).map((t) => [t.term, text.slice(t.start, t.end)]),
    [
      ['abce', 'abcé'], ['naivete', 'naïveTÉ'], ['xy', 'x\u0301y'], ['😀', '😀'], ['abc', 'abc'], ['def', 'def'], ['😀', '😀'],
      ['a', 'a'], ['b', 'b'], ['a', 'a'], ['b', 'b'], ['zurich', 'Zürich'], ['zurich', 'Zürich'], ['ix', 'İx'],
    ],
  );
  // A letter that is also an emoji (ℹ) starts an emoji, but inside a word it is a letter; full-width
  // and half-width forms, soft hyphens, letter-like numerals.
  const more = ['ℹ️info', 'abcℹ x', '☀️sun', 'ｶﾞｷ ＡＢＣ１２', 'x\u00adY', 'Ⅻ ǅa'];
  assert.deepEqual(more.map((t) => tokenize(t).map((k) => [k.term, k.start, k.end])), [
    [['ℹ', 0, 2], ['info', 2, 6]], [['abci', 0, 4], ['x', 5, 6]], [['☀', 0, 2], ['sun', 2, 5]], [['ガキ', 0, 3], ['abc12', 4, 9]],
    [['x', 0, 1], ['y', 2, 3]], [['xii', 0, 1], ['dza', 2, 4]],
  ]);
  // A long ASCII run that ends in another letter is one run, cut like any other.
  assert.deepEqual(terms(`${'x'.repeat(5000)}é ok`), ['x'.repeat(MAX_TERM_LENGTH), 'ok']);
});

test('terms are cut where the Unicode run pattern cuts them: each run tokenized alone gives the same terms at the same offsets', () => {
  // The pattern the tokenizer's runs follow (an emoji or a flag first, else letters, digits and marks).
  const run = /\p{RI}\p{RI}|\p{Extended_Pictographic}(?:[\u{1F3FB}-\u{1F3FF}\uFE0F\u20E3]|\u200D\p{Extended_Pictographic}[\u{1F3FB}-\u{1F3FF}\uFE0F]{0,8}){0,32}|[\p{L}\p{N}\p{M}]+/gu;
  const pieces = ['a', 'Z', '7', ' ', '-', '.', 'é', 'e\u0301', '\u0301', 'ß', 'İ', 'ﬁ', 'ℹ', '☀', '©', '\uFE0F', '\u20E3', '\u200D', '😀', '👍🏽', '🇬', '🇧', '価', 'を', 'ｶ', 'ﾞ', 'ก', 'ส', 'ب', 'ـ', '\u064E', 'Ж', '½', '①', '٣', '—', '\u00A0', '\u00AD', '\u{20B9F}', '\uD800', 'Ａ', '\u3000'];
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 24 }), (parts) => {
      const text = parts.join('');
      const expected = [...text.matchAll(run)].flatMap((m) => tokenize(m[0]).map((t) => ({ term: t.term, start: t.start + m.index, end: t.end + m.index })));
      assert.deepEqual(tokenize(text), expected);
    }),
    { numRuns: 3000, seed: 7 },
  );
});
