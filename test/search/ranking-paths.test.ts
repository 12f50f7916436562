/**
 * A single-word query's page is picked without scoring every match (slot by slot, see
 * oneTermTop in src/search/evaluate.ts). Here it must equal the page the general path gives —
 * every match scored, then the first k of the full order — also with personal conversations
 * hidden and after messages were removed (their ids then stay in the postings as tombstones).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { newCase, tempDir } from '../helpers/case.ts';
import { writeCorpus, DEFAULT_CHATS } from '../helpers/search-corpus.ts';
import { runImport } from '../../src/ingest/run-import.ts';
import { removeFromIndex, run, searchMessages } from '../../src/search/search.ts';
import { singleTerm } from '../../src/search/evaluate.ts';
import { topByScore } from '../../src/search/rank.ts';
import { setPersonal } from '../../src/review/personal.ts';
import type { CaseSession } from '../../src/session/session.ts';

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
  const single = singleTerm(ctx, root);
  assert.ok(single, `${query} is a one-term query`);
  const order = topByScore(single.ids, single.scores, ctx.index.sentAt, k);
  return { total: single.ids.length, page: order.map((id) => [id, Math.round(single.scores[id]! * 1000) / 1000]) };
}

const WORDS = ['price', 'deal', 'contract', 'zurich', 'сделка', 'мир', 'angstrom', '👍', 'call'];

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

test('one-term pages equal the fully scored order, personal conversations hidden or not', () => {
  assert.ok(compareAll(false) > 500, 'the words must have hits');
  const family = session.db.prepare("SELECT id FROM conversations WHERE name = 'Family'").pluck().get() as number;
  setPersonal(session, { conversationId: family, personal: true });
  assert.ok(compareAll(false) > 500);
  assert.ok(compareAll(true) > 500);
});

test('one-term pages equal the fully scored order after removals (tombstones in the postings)', () => {
  const ids = session.db.prepare('SELECT id FROM messages ORDER BY id').pluck().all() as number[];
  const removed = ids.filter((id) => id % 5 === 0);
  session.db.prepare(`DELETE FROM messages WHERE id IN (${removed.join(',')})`).run();
  removeFromIndex(session, removed);
  const price = searchMessages(session, { query: 'price', limit: 10_000, includePersonal: true });
  assert.ok(price.total > 0 && price.hits.every((h) => h.messageId % 5 !== 0));
  assert.ok(compareAll(true) > 500);
  assert.ok(compareAll(false) > 500);
});
