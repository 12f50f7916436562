/**
 * The runs a /regex/ match must contain: what is taken and what is not, and (property-based) that
 * every text a pattern matches has each run inside one of its indexed terms — the claim that lets
 * a regular expression read only the messages holding such a term.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RE2JS } from 're2js';
import { requiredLiterals } from '../../src/search/regex-literals.ts';
import { terms } from '../../src/search/tokenize.ts';

test('runs outside groups and classes, optional characters dropped, none with an alternation', () => {
  const cases: Array<[string, string[]]> = [
    ['\\bkick\\w*', ['kick']],
    ['report-\\d{2,}', ['report']],
    ['WA00[0-4]\\d\\.jpg', ['wa00', 'jpg']],
    ['PRICEs?', ['price']],
    ['contracts?', ['contract']],
    ['con(tract)?ing', ['con', 'ing']],
    ['ship{1}ment', ['ship', 'ment']],
    ['abc{0,2}def', ['def']],
    ['abcd+x', ['abcd']],
    ['x{100}abc', ['abc']],
    ['\\x41bcd', ['bcd']],
    ['\\p{Greek}abc\\pLxyz', ['abc', 'xyz']],
    ['[abc]def[^]x]ghi', ['def', 'ghi']],
    ['(?i)wire.*money', ['wire', 'money']],
    ['wire|money', []],
    ['\\Qabc\\E', []],
    ['\\b\\d{8,12}\\b', []],
  ];
  for (const [pattern, expected] of cases) assert.deepEqual(requiredLiterals(pattern), expected, pattern);
});

const PIECES = ['abc', 'kick', 'Kick', 'kic', 'x', 'ab', '1', '2', '\\d', '\\w', '\\w+', '.', '.*', '?', '*', '+', '{0,2}', '{2}', '{1,3}', '(', ')', '(?:', '[a-c]', '[^x]', '\\b', ' ', '-', 'é', '(?i)', '|'];
/** Texts are made of pieces like the patterns' own, so that patterns match them often. */
const FRAGMENTS = ['abc', 'ab', 'kick', 'kic', 'ki', 'KICK', 'k\u212aick', 'x', 'a', 'b', 'c', 'ſ', 's', 'é', 'e\u0301', '1', '2', '12', ' ', '-', '.', '価', '格', 'ß', 'ABC'];

test('whatever a pattern matches holds each required run inside one indexed term', () => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 8 }),
      fc.boolean(),
      fc.array(fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 12 }).map((a) => a.join('')), { minLength: 1, maxLength: 12 }),
      (pieces, insensitive, texts) => {
        const pattern = pieces.join('');
        let re: RE2JS;
        try {
          re = RE2JS.compile(pattern, insensitive ? RE2JS.CASE_INSENSITIVE : 0);
        } catch {
          return;
        }
        const literals = requiredLiterals(pattern);
        for (const text of texts) {
          if (!re.matcher(text).find()) continue;
          const indexed = terms(text);
          for (const l of literals) assert.ok(indexed.some((t) => t.includes(l)), `${pattern} matches ${JSON.stringify(text)} but no term of ${JSON.stringify(indexed)} holds ${l}`);
        }
      },
    ),
    { numRuns: 5000, seed: 19 },
  );
});
