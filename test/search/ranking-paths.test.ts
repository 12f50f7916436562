/**
 * Relevance pages are picked without scoring every match: a single word slot by slot (oneTermTop),
 * a query of up to four distinct terms by groups of slot combinations (topBySlots; with many matches
 * its best groups first as bitmaps, pageByGroups). Here they must
 * equal the page the general path gives — every match scored (scoreMatches), then the first k of
 * the full order — also with personal conversations hidden and after messages were removed (their
 * ids then stay in the postings as tombstones).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { newCase, tempDir } from '../helpers/case.ts';
import { writeCorpus, DEFAULT_CHATS } from '../helpers/search-corpus.ts';
import { runImport } from '../../src/app/run-import.ts';
import { removeFromIndex, run, searchMessages } from '../../src/search/search.ts';
import { evaluate, pageByGroups, positiveTexts, resolveText, ScoreGroups, scoreBySequences, scoreMatches, singleTerm } from '../../src/search/evaluate.ts';
import { members } from '../../src/search/rank.ts';
import { topByScore } from '../../src/search/rank.ts';
import { setPersonal } from '../../src/review/personal.ts';
import type { CaseSession } from '../../src/case/session.ts';

let session: CaseSession;

before(async () => {
  const dir = tempDir('holdfast-ranking-');
  session = newCase(dir);
  const signal = new AbortController().signal;
  for (const f of writeCorpus(dir, DEFAULT_CHATS.slice(0, 3))) await runImport(session, { source: f, tz: 'UTC', dateOrder: 'dmy' }, signal);
});

/** The general path: every match scored, the first `k` of the whole order. */
function reference(query: string, includePersonal: boolean, k: number): { total: number; page: Array<[number, number]> } {
  const { ctx, root } = run(session, query, includePersonal);
  let all = singleTerm(ctx, root);
  if (!all) {
    const matches = evaluate(ctx, root);
    all = { ids: members(matches, matches.count()), scores: scoreMatches(ctx, positiveTexts(root), matches) };
  }
  const { ids, scores } = all;
  const order = topByScore(ids, scores, ctx.index.sentAt, k);
  return { total: ids.length, page: order.map((id) => [id, Math.round(scores[id]! * 1000) / 1000]) };
}

const WORDS = [
  'price', 'deal', 'contract', 'zurich', 'сделка', 'мир', 'angstrom', '👍', 'call',
  'price deal', 'contract price call', 'price OR deal', '(price OR call) -deal', 'price -price', '"wire the money"', '"the money"',
  'deal from:"Alice Smith"', 'has:attachment', '-price', 'price (deal OR call OR contract)',
  'price w/5 contract', '"the money" w/10 price', '(price OR call) w/10 (deal OR contract)', 'deal pre/3 price', 'price w/3 deal call contract',
  '"wire the money" w/10 deal', 'zurich w/5 price', 'angstrom OR price', 'zurich OR deal OR call',
];

function compareAll(includePersonal: boolean): number {
  let compared = 0;
  for (const word of WORDS) {
    for (const [offset, limit] of [[0, 50], [0, 7], [13, 40], [0, 10_000]] as const) {
      const got = searchMessages(session, { query: word, offset, limit, includePersonal });
      const want = reference(word, includePersonal, offset + limit);
      assert.equal(got.total, want.total, `${word}: total`);
      assert.deepEqual(got.hits.map((h) => [h.messageId, h.score]), want.page.slice(offset), `${word} offset ${offset} limit ${limit}`);
      compared += got.hits.length;
    }
  }
  return compared;
}

test('scores read off the matches\' term sequences equal the scores from the postings', () => {
  let used = 0;
  for (const word of WORDS) {
    const { ctx, root } = run(session, word, true);
    const matches = evaluate(ctx, root);
    const total = matches.count();
    const bySequences = scoreBySequences(ctx, positiveTexts(root), matches, total);
    if (!bySequences) continue;
    used++;
    const got = Array.from(bySequences.ids, (id) => bySequences.scores[id]!);
    const want = scoreMatches(ctx, positiveTexts(root), matches);
    assert.deepEqual(got, Array.from(bySequences.ids, (id) => want[id]!), word);
  }
  assert.ok(used >= 3, `the sequence path was taken for ${used} queries only`);
});

test('pages made group by group from the slot bitmaps equal the fully scored order', () => {
  let filled = 0;
  let whole = 0;
  for (const word of WORDS) {
    const { ctx, root } = run(session, word, true);
    const termIds = [...new Set(positiveTexts(root).flatMap((t) => resolveText(ctx.index, t).positions.flat()))];
    if (termIds.length === 0 || termIds.length > 4) continue;
    const matches = evaluate(ctx, root);
    const total = matches.count();
    const groups = new ScoreGroups(ctx.index, termIds);
    for (const k of [1, 7, 50]) {
      const page = pageByGroups(ctx, termIds, matches, groups, k);
      if (!page) continue;
      filled++;
      assert.deepEqual(page.order.map((id) => [id, Math.round(page.scoreOf(id) * 1000) / 1000]), reference(word, true, k).page, `${word} k ${k}`);
    }
    // Every group taken: the whole order, through the combinations where a term is absent too.
    if (total === 0) continue;
    const all = pageByGroups(ctx, termIds, matches, groups, total, Infinity)!;
    assert.deepEqual(all.order.map((id) => [id, Math.round(all.scoreOf(id) * 1000) / 1000]), reference(word, true, total).page, `${word}: every match`);
    whole++;
  }
  assert.ok(filled >= 20 && whole >= 15, `the best groups filled ${filled} pages, every group ${whole}`);
});

test('one-term and few-term pages equal the fully scored order, personal conversations hidden or not', () => {
  assert.ok(compareAll(false) > 500, 'the words must have hits');
  const family = session.db.prepare("SELECT id FROM conversations WHERE name = 'Family'").pluck().get() as number;
  setPersonal(session, { conversationId: family, personal: true });
  assert.ok(compareAll(false) > 500);
  assert.ok(compareAll(true) > 500);
});

test('one-term and few-term pages equal the fully scored order after removals (tombstones in the postings)', () => {
  const ids = session.db.prepare('SELECT id FROM messages ORDER BY id').pluck().all() as number[];
  const removed = ids.filter((id) => id % 5 === 0);
  session.db.prepare(`DELETE FROM messages WHERE id IN (${removed.join(',')})`).run();
  removeFromIndex(session, removed);
  const price = searchMessages(session, { query: 'price', limit: 10_000, includePersonal: true });
  assert.ok(price.total > 0 && price.hits.every((h) => h.messageId % 5 !== 0));
  assert.ok(compareAll(true) > 500);
  assert.ok(compareAll(false) > 500);
});

test('pages after more messages were imported into the open case equal the fully scored order (slot bitmaps made again)', async () => {
  assert.ok(compareAll(true) > 500);
  const dir = tempDir('holdfast-ranking-more-');
  const [more] = writeCorpus(dir, DEFAULT_CHATS.slice(3), 11);
  await runImport(session, { source: more!, tz: 'UTC', dateOrder: 'dmy' }, new AbortController().signal);
  assert.ok(compareAll(true) > 500);
});
