/**
 * After a load from the stored index, FlexSearch's postings are computed on demand (a query's terms
 * by one pass over the token array) until the whole build has run (in steps, in the background).
 * Every way must give the postings FlexSearch's own add() gives the same messages, through
 * additions and removals at any moment, and the same query results.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryIndex } from '../../src/search/memory-index.ts';
import type { Slots } from '../../src/search/postings-build.ts';
import { encodeSegment } from '../../src/search/index-store.ts';
import type { StoredIndex } from '../../src/search/index-store.ts';
import { parseQuery } from '../../src/search/query-parser.ts';
import { evaluate } from '../../src/search/evaluate.ts';
import type { EvalContext } from '../../src/search/evaluate.ts';
import type { Bitset } from '../../src/search/bitset.ts';
import { rng } from '../helpers/generate.ts';

const TERMS = ['', ...Array.from({ length: 60 }, (_, i) => `w${i}`), '価格', '格を', '👍', 'مال', 'деньги', 'late'];
/** A term only messages added after the load hold. */
const LATE = TERMS.length - 1;

interface Doc {
  id: number;
  termIds: number[];
}

/** Messages with ids that skip, repeated terms, fields (0 between them), empty messages; common and rare terms. */
function makeDocs(r: () => number, count: number, firstId: number, late = false): Doc[] {
  const docs: Doc[] = [];
  let id = firstId;
  for (let i = 0; i < count; i++) {
    id += r() < 0.1 ? 2 + Math.floor(r() * 3) : 1;
    const n = r() < 0.05 ? 0 : 1 + Math.floor(r() * 14);
    const termIds: number[] = [];
    for (let k = 0; k < n; k++) {
      if (k > 0 && r() < 0.08) termIds.push(0);
      // Skewed: low ids common, high ids rare.
      termIds.push(1 + Math.floor(r() ** 2.5 * (TERMS.length - 2)));
    }
    if (late && r() < 0.2) termIds.push(LATE);
    docs.push({ id, termIds });
  }
  return docs;
}

const attrs = (id: number) => ({ id, conversationId: 1 + (id % 3), senderId: 1 + (id % 5), sentAt: 1_700_000_000_000 + id * 1000, flags: 0 });

function fresh(docs: Doc[]): MemoryIndex {
  const ix = new MemoryIndex();
  ix.terms = TERMS.slice();
  for (const d of docs) ix.addTokenized(attrs(d.id), d.termIds);
  return ix;
}

function stored(docs: Doc[], dead: number[] = []): MemoryIndex {
  const last = docs[docs.length - 1]!.id;
  const data = encodeSegment(docs.map((d) => attrs(d.id)), docs.map((d) => d.termIds));
  const s: StoredIndex = {
    meta: { format: 2, tokenizer: 1, watermark: last, docs: docs.length, terms: TERMS.length, sortedUpTo: 1, segments: 1, deadChunks: 0, dead: dead.length, builtAt: 0 },
    terms: TERMS.slice(),
    sorted: new Uint32Array(0),
    segments: [{ key: 'seg', messages: docs.length, terms: docs.reduce((n, d) => n + d.termIds.length, 0), data, positions: null }],
    dead: dead.length ? [Uint32Array.from(dead)] : [],
  };
  return MemoryIndex.fromStored(s);
}

/** A term's live ids per slot (removed messages stay in FlexSearch's postings until a load). */
function liveSlots(ix: MemoryIndex, term: string): number[][] {
  const slots: Slots = ix.postings(term);
  const out: number[][] = [];
  for (let s = 0; s < ix.resolution; s++) out.push(((slots[s] ?? []) as number[]).filter((id) => ix.live.has(id)));
  return out;
}

function assertSame(actual: MemoryIndex, expected: MemoryIndex, terms: readonly string[], why: string): void {
  for (const t of terms) assert.deepEqual(liveSlots(actual, t), liveSlots(expected, t), `${why}: postings of ${t}`);
}

function add(ixs: MemoryIndex[], docs: Doc[]): void {
  for (const ix of ixs) for (const d of docs) ix.addTokenized(attrs(d.id), d.termIds);
}

test('postings computed on demand after a load are the ones FlexSearch builds, one term or several at a time', () => {
  for (const seed of [1, 2, 3]) {
    const r = rng(seed);
    const docs = makeDocs(r, 3000, 0);
    const dead = docs.filter(() => r() < 0.05).map((d) => d.id);
    const reference = fresh(docs);
    reference.remove(dead);
    const lazy = stored(docs, dead);
    assert.equal(lazy.allPostingsBuilt, false);
    // A few alone (the typed array's indexOf), then many in one pass.
    assertSame(lazy, reference, ['w0', 'w59', '👍', 'nothing-like-it'], `seed ${seed}, one at a time`);
    lazy.preparePostings(TERMS.slice(1, 40).map((_, i) => i + 1));
    assertSame(lazy, reference, TERMS.slice(1, 40), `seed ${seed}, one pass`);
    assert.equal(lazy.allPostingsBuilt, false, 'a few passes do not build everything');
    lazy.finishPostings();
    assert.equal(lazy.allPostingsBuilt, true);
    assertSame(lazy, reference, TERMS.slice(1), `seed ${seed}, built`);
  }
});

test('more passes than the limit, or a query with very many terms, build every posting at once', () => {
  const docs = makeDocs(rng(4), 500, 0);
  const lazy = stored(docs);
  for (let i = 1; i <= 16; i++) lazy.postings(TERMS[i]!);
  assert.equal(lazy.allPostingsBuilt, false);
  lazy.postings(TERMS[17]!);
  assert.equal(lazy.allPostingsBuilt, true, 'the 17th pass builds instead');
  const wide = stored(docs);
  wide.preparePostings(Array.from({ length: 300 }, (_, i) => 1 + (i % (TERMS.length - 1))));
  assert.equal(wide.allPostingsBuilt, false, 'repeated ids count once');
  assertSame(wide, fresh(docs), TERMS.slice(1), 'wide');
});

test('messages added and removed while postings are computed on demand and while the build is in steps are found exactly', () => {
  for (const seed of [5, 6, 7, 8]) {
    const r = rng(seed);
    const first = makeDocs(r, 200_000 / 100, 0);
    const reference = fresh(first);
    const lazy = stored(first);
    // On demand, then messages added (terms computed before are computed again), some removed.
    assertSame(lazy, reference, ['w1', 'w2', 'w30'], 'before additions');
    let more = makeDocs(r, 400, first[first.length - 1]!.id);
    add([reference, lazy], more);
    const gone = more.filter(() => r() < 0.1).map((d) => d.id);
    reference.remove(gone);
    lazy.remove(gone);
    assertSame(lazy, reference, ['w1', 'w2', 'w30', 'w3'], 'after additions');
    // The build in steps, with messages added and terms asked for between its steps.
    let steps = 0;
    while (lazy.stepPostings()) {
      steps++;
      if (r() < 0.5) {
        more = makeDocs(r, 50, more[more.length - 1]!.id, true);
        add([reference, lazy], more);
      }
      if (r() < 0.5) lazy.postings(TERMS[1 + Math.floor(r() * (TERMS.length - 1))]!);
      lazy.postings('late');
    }
    assert.ok(steps > 0);
    assert.equal(lazy.allPostingsBuilt, true);
    more = makeDocs(r, 50, more[more.length - 1]!.id);
    add([reference, lazy], more);
    assertSame(lazy, reference, TERMS.slice(1), `seed ${seed}, after the build`);
  }
});

test('queries give the same matches before, during and after the build as on an index built by adding', () => {
  const docs = makeDocs(rng(9), 4000, 0);
  const reference = fresh(docs);
  const lazy = stored(docs);
  const queries = ['w1', 'w2 w5', '"w1 w2"', 'w1*', 'w3 OR w40', 'w0 -w1', '価格', 'w1 w/3 w7', '👍 OR مال'];
  const run = (ix: MemoryIndex) =>
    queries.map((q) => {
      const ctx = { index: ix, data: null as never, db: null as never, displayTz: 'UTC', universe: ix.live, warnings: [] as string[] } as unknown as EvalContext;
      return (evaluate(ctx, parseQuery(q).root) as Bitset).toArray();
    });
  const expected = run(reference);
  assert.deepEqual(run(lazy), expected, 'on demand');
  lazy.stepPostings();
  assert.deepEqual(run(lazy), expected, 'during the build');
  lazy.finishPostings();
  assert.deepEqual(run(lazy), expected, 'built');
});
