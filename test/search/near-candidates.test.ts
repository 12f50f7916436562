/**
 * A w/N with a phrase on one side is answered only in the messages that hold every word of both
 * sides (nearCandidates), when those are few beside the rarest word. Here a corpus made for it: a
 * phrase in one message in ten, a word in another one in ten (independently), long messages of rare
 * filler words, "the" everywhere (too common to narrow anything), phrases and words that cross from
 * one message into the next, the phrase's words apart or reversed, and a few right next to the word. Every answer against brute
 * force over the messages' words; relevance pages against full scoring.
 */
import { test, before } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { newCase, tempDir } from '../helpers/case.ts';
import { rng } from '../helpers/generate.ts';
import { runImport } from '../../src/app/run-import.ts';
import { matchingMessageIds, run, searchMessages } from '../../src/search/search.ts';
import { evaluate, nearCandidates, positiveTexts, scoreMatches } from '../../src/search/evaluate.ts';
import { members, topByScore } from '../../src/search/rank.ts';
import { iterateMessages } from '../../src/case/messages.ts';
import type { CaseSession } from '../../src/case/session.ts';

let session: CaseSession;
const texts = new Map<number, string[]>();

function message(r: () => number): string {
  const words = Array.from({ length: 30 + Math.floor(r() * 20) }, () => `f${Math.floor(r() * 6000)}`);
  const put = (phrase: string) => words.splice(Math.floor(r() * (words.length + 1)), 0, phrase);
  put('the');
  put('the');
  if (r() < 0.1) put('wire the money');
  if (r() < 0.1) put('offshore');
  // Right next to each other; two phrases a few words apart.
  if (r() < 0.01) put('wire the money offshore');
  if (r() < 0.01) put(`the money f${Math.floor(r() * 6000)} wire the`);
  // The phrase's words apart or reversed.
  if (r() < 0.05) put('wire');
  if (r() < 0.05) put('money the wire');
  const roll = r();
  // A message that ends in the phrase, or starts with the word: together they must never count.
  if (roll < 0.03) words.push('wire', 'the', 'money');
  else if (roll < 0.06) words.unshift('offshore');
  return words.join(' ');
}

before(async () => {
  const dir = tempDir('holdfast-near-candidates-');
  session = newCase(dir);
  const r = rng(4242);
  const lines = Array.from({ length: 3000 }, (_, i) => {
    const minute = String(i % 60).padStart(2, '0');
    const hour = String(Math.floor(i / 60) % 24).padStart(2, '0');
    const day = String(1 + Math.floor(i / 1440)).padStart(2, '0');
    return `${day}/03/2024, ${hour}:${minute} - ${i % 2 ? 'Alice' : 'Bob'}: ${message(r)}`;
  });
  const file = path.join(dir, 'WhatsApp Chat with Desk.txt');
  fs.writeFileSync(file, lines.join('\n') + '\n');
  await runImport(session, { source: file, tz: 'UTC', dateOrder: 'dmy' }, new AbortController().signal);
  for (const m of iterateMessages(session)) texts.set(m.id, m.text.split(' '));
  assert.equal(texts.size, 3000);
});

/** Starts and ends of `phrase` in `words`. */
function spans(words: string[], phrase: string[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let s = 0; s + phrase.length <= words.length; s++) if (phrase.every((p, k) => words[s + k] === p)) out.push([s, s + phrase.length - 1]);
  return out;
}

/** Brute force: ids where `left` and `right` lie within n (nearest ends), left first when ordered; negated: left but not so near. */
function brute(left: string[], right: string[], n: number, ordered: boolean, negated = false): number[] {
  const out: number[] = [];
  for (const [id, words] of texts) {
    const ls = spans(words, left);
    const rs = spans(words, right);
    const near = ls.some(([a, b]) => rs.some(([c, e]) => (b < c && c - b <= n) || (!ordered && e < a && a - e <= n)));
    if (negated ? ls.length > 0 && !near : near) out.push(id);
  }
  return out.sort((a, b) => a - b);
}

/** The general path: every match scored, then the first k. */
function reference(query: string, k: number): Array<[number, number]> {
  const { ctx, root } = run(session, query, true);
  const matches = evaluate(ctx, root);
  const scores = scoreMatches(ctx, positiveTexts(root), matches);
  return Array.from(topByScore(members(matches, matches.count()), scores, ctx.index.sentAt, k), (id) => [id, Math.round(scores[id]! * 1000) / 1000]);
}

const PHRASE = ['wire', 'the', 'money'];
const CASES: Array<[string, () => number[]]> = [
  ['"wire the money" w/10 offshore', () => brute(PHRASE, ['offshore'], 10, false)],
  ['offshore w/3 "wire the money"', () => brute(['offshore'], PHRASE, 3, false)],
  ['"wire the money" pre/5 offshore', () => brute(PHRASE, ['offshore'], 5, true)],
  ['offshore pre/8 "wire the money"', () => brute(['offshore'], PHRASE, 8, true)],
  ['"wire the money" w/1 offshore', () => brute(PHRASE, ['offshore'], 1, false)],
  ['"wire the money" not w/10 offshore', () => brute(PHRASE, ['offshore'], 10, false, true)],
  ['"the money" w/4 "wire the"', () => brute(['the', 'money'], ['wire', 'the'], 4, false)],
];

test('a phrase w/N a word here is answered in the few messages holding all their words', () => {
  const { ctx, root } = run(session, '"wire the money" w/10 offshore', true);
  assert.equal(root.type, 'near');
  const candidates = root.type === 'near' ? nearCandidates(ctx.index, root) : null;
  assert.ok(candidates, 'the candidates are taken');
  const held = [...texts].filter(([, words]) => ['wire', 'money', 'offshore'].every((w) => words.includes(w))).map(([id]) => id);
  const marked = held.filter((id) => (candidates[id >>> 5]! >>> (id & 31)) & 1);
  assert.deepEqual(marked, held, 'every message holding the words is a candidate');
});

for (const [query, expect] of CASES) {
  test(`${query}: the messages brute force finds, pages as full scoring orders them`, () => {
    const expected = expect();
    assert.ok(expected.length > 0, 'brute force finds messages: the case would pass vacuously');
    assert.deepEqual(matchingMessageIds(session, query, { includePersonal: true }), expected);
    for (const [offset, limit] of [[0, 20], [7, 30]] as const) {
      const page = searchMessages(session, { query, offset, limit, includePersonal: true });
      assert.equal(page.total, expected.length);
      assert.deepEqual(page.hits.map((h) => [h.messageId, h.score]), reference(query, offset + limit).slice(offset));
    }
  });
}
