/**
 * The /regex/ matcher against RE2 itself: random patterns in RE2 syntax (literals, classes, escapes, groups,
 * alternation, repetition, anchors; flags i, s, m) on random texts with the characters where JavaScript and
 * RE2 part ways (K and ſ under i, \r, U+2028, emoji, lone surrogates of either half, non-ASCII letters, line breaks) must give RE2's answer;
 * the translated (fast) path must really be taken for plain patterns, and stay linear on a pathological one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { compileRegex } from '../../src/search/query-parser.ts';
import { textMatcher, translateRe2 } from '../../src/search/regex-engine.ts';

const atoms = [
  'a', 'k', 's', 'K', 'S', 'é', 'С', 'с', '1', ' ', '-', '_', '中', '\\.', '\\-', '/', '.', '\\d', '\\w', '\\s', '\\D', '\\W', '\\S',
  '[a-k]', '[^a-z]', '[\\w-]', '[ks]', '[^\\s]', '[0-9а-я]', '[A-Z_]', '[^\\d]', '[.\\]]', '\\n', '\\t', 'x{2}', '\\u212A',
];
const patternArb: fc.Arbitrary<string> = fc.letrec<{ seq: string; alt: string; item: string }>((tie) => ({
  item: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...atoms) },
    { weight: 1, arbitrary: tie('alt').map((x) => `(${x})`) },
    { weight: 1, arbitrary: tie('alt').map((x) => `(?:${x})`) },
  ).chain((x) => fc.constantFrom(x, x, x, `${x}*`, `${x}+`, `${x}?`, `${x}{1,3}`, `${x}+?`, `${x}*?`)),
  seq: fc.array(fc.oneof({ weight: 8, arbitrary: tie('item') }, { weight: 1, arbitrary: fc.constantFrom('\\b', '\\B', '^', '$') }), { minLength: 1, maxLength: 5 }).map((a) => a.join('')),
  alt: fc.array(tie('seq'), { minLength: 1, maxLength: 2 }).map((a) => a.join('|')),
})).alt;

const chars = ['\uD83D', '\uDE00', '\uE000', '🇬🇧', 'a', 'k', 'K', 's', 'S', 'ſ', '\u212A', '\u00a0', '\v', 'é', 'É', 'С', 'с', '1', '2', ' ', '\n', '\r', '\t', '\u2028', '-', '😀', '中', '_', '.', ']', 'x'];
const textArb = fc.array(fc.constantFrom(...chars), { maxLength: 14 }).map((a) => a.join(''));
const flagsArb = fc.subarray(['i', 's', 'm']).map((f) => f.join(''));

test('the matcher gives RE2\'s answer on every text, for random patterns and flags', () => {
  let translated = 0;
  fc.assert(
    fc.property(patternArb, flagsArb, fc.array(textArb, { minLength: 1, maxLength: 8 }), (pattern, flags, texts) => {
      let re2;
      try {
        re2 = compileRegex(pattern, flags);
      } catch {
        return; // not a valid RE2 pattern: refused by the parser before any scan
      }
      if (translateRe2(pattern, flags) !== null) translated++;
      const matches = textMatcher(pattern, flags);
      for (const t of texts) assert.equal(matches(t), re2.matcher(t).find(), `/${pattern}/${flags} on ${JSON.stringify(t)}`);
    }),
    { numRuns: 3000, seed: 19 },
  );
  // Most generated patterns take the fast path, so it is what was compared.
  assert.ok(translated > 1500, `only ${translated} patterns translated`);
});

test('plain patterns are translated (the fast path); look-alikes outside the subset are not', () => {
  for (const p of ['\\b\\d{8,12}\\b', '\\bkick\\w*', 'wire.{1,6}money', 'сделка|СДЕЛКА', 'report-\\d{2,}', '[A-Z]{2}\\d{2}']) assert.notEqual(translateRe2(p, ''), null, p);
  assert.equal(translateRe2('\\bprice\\w*', 'i'), '\\b[pP][rR][iI][cC][eE][0-9A-Za-z_\\u017F\\u212A]*');
  for (const [p, f] of [['\\pL', ''], ['(?i)a', ''], ['\\x41', ''], ['Ж', 'i'], ['[[:alpha:]]', ''], ['😀+', ''], ['a{,2}', '']] as const) assert.equal(translateRe2(p, f), null, p);
});

test('a pathological pattern stays linear on the fast path ((a+)+$ on a long aaaa…b)', () => {
  assert.notEqual(translateRe2('(a+)+$', ''), null);
  const matches = textMatcher('(a+)+$', '');
  const t = performance.now();
  assert.equal(matches('a'.repeat(50_000) + 'b'), false);
  assert.equal(textMatcher('(x+x+)+y', '')('x'.repeat(20_000)), false);
  assert.ok(performance.now() - t < 2_000, `took ${Math.round(performance.now() - t)} ms`);
});

test('the V8 flags are set by the first translated pattern, not by importing the module', () => {
  // A fresh process: in this one the tests above set them already.
  const script = `
    const { textMatcher } = await import(${JSON.stringify(new URL('../../src/search/regex-engine.ts', import.meta.url).href)});
    const linear = () => { try { new RegExp('a', 'l'); return true; } catch { return false; } };
    const before = linear();
    textMatcher('\\bkick', '')('kick');
    console.log(JSON.stringify([before, linear()]));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out), [false, true]);
});
