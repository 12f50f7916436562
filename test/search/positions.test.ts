/**
 * Positional postings against brute force on random term sequences: small vocabularies so phrases
 * and proximities recur, field gaps (term 0), empty messages, and occurrences that would run from
 * the end of one message into the next (which must never count).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { nearIn } from '../../src/search/near.ts';
import { buildPositions, mergeSorted } from '../../src/search/positions.ts';
import type { Occurrences } from '../../src/search/positions.ts';
import { insideMessages, markDocs, markNear, phraseStarts, TokenLayout } from '../../src/search/proximity.ts';

interface Layout {
  tokens: Uint32Array;
  offsets: Uint32Array;
  maxId: number;
  docs: number[][];
  layout: TokenLayout;
}

/** Messages 1..n laid out as the index lays them out (offsets[id]..offsets[id + 1]). */
function layout(docs: number[][]): Layout {
  const maxId = docs.length;
  const offsets = new Uint32Array(maxId + 2);
  const flat: number[] = [];
  docs.forEach((d, i) => {
    offsets[i + 1] = flat.length;
    flat.push(...d);
  });
  offsets[maxId + 1] = flat.length;
  const tokens = Uint32Array.from(flat);
  return { tokens, offsets, maxId, docs, layout: new TokenLayout(tokens, tokens.length, offsets, maxId) };
}

const docsArb = fc.array(fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 14 }), { minLength: 1, maxLength: 40 });
const setArb = fc.uniqueArray(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 2 });

function occurrences(doc: number[], phrase: number[][]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let s = 0; s + phrase.length <= doc.length; s++) if (phrase.every((set, k) => set.includes(doc[s + k]!))) out.push([s, s + phrase.length - 1]);
  return out;
}

function ids(words: Uint32Array): number[] {
  const out: number[] = [];
  for (let id = 0; id < words.length * 32; id++) if ((words[id >>> 5]! >>> (id & 31)) & 1) out.push(id);
  return out;
}

function starts(l: Layout, phrase: number[][]): Occurrences {
  const p = buildPositions(l.tokens, l.tokens.length, 6, l.offsets, l.maxId);
  const occ = insideMessages(l.layout, phraseStarts(l.layout, p, phrase), phrase.length);
  // Each occurrence comes with the message that holds it.
  occ.at.forEach((at, i) => assert.ok(l.offsets[occ.doc[i]!]! <= at && at + phrase.length <= l.offsets[occ.doc[i]! + 1]!, `message of position ${at}`));
  return occ;
}

/** Brute force: the messages (ids) holding the phrase. */
function phraseDocs(docs: number[][], phrase: number[][]): number[] {
  return docs.flatMap((d, i) => (occurrences(d, phrase).length ? [i + 1] : []));
}

/** Brute force: the messages (ids) where left and right lie within n in one field (nearest ends), left first when ordered. */
function nearDocs(docs: number[][], left: number[][], right: number[][], n: number, ordered: boolean): number[] {
  const sameField = (d: number[], a: number, b: number) => d.slice(a + 1, b).every((t) => t !== 0);
  return docs.flatMap((d, i) => {
    const ls = occurrences(d, left);
    const rs = occurrences(d, right);
    const hit = ls.some(([a, b]) => rs.some(([c, e]) => (b < c && c - b <= n && sameField(d, b, c)) || (!ordered && e < a && a - e <= n && sameField(d, e, a))));
    return hit ? [i + 1] : [];
  });
}

test('phrases from positional postings equal brute force, never across messages', () => {
  fc.assert(
    fc.property(docsArb, fc.array(setArb, { minLength: 1, maxLength: 3 }), (docs, phrase) => {
      const l = layout(docs);
      const out = new Uint32Array((l.maxId >>> 5) + 1);
      markDocs(l.layout, starts(l, phrase), 1, out);
      assert.deepEqual(ids(out), phraseDocs(docs, phrase));
      // Marking straight from the merge drops the starts that run on into the next message.
      const p = buildPositions(l.tokens, l.tokens.length, 6, l.offsets, l.maxId);
      const fused = new Uint32Array((l.maxId >>> 5) + 1);
      markDocs(l.layout, phraseStarts(l.layout, p, phrase), phrase.length, fused);
      assert.deepEqual(ids(fused), phraseDocs(docs, phrase));
    }),
    { numRuns: 400, seed: 19 },
  );
});

test('w/N and pre/N from positional postings equal brute force (one field of one message, nearest ends)', () => {
  fc.assert(
    fc.property(docsArb, fc.array(setArb, { minLength: 1, maxLength: 2 }), fc.array(setArb, { minLength: 1, maxLength: 2 }), fc.integer({ min: 1, max: 5 }), fc.boolean(), (docs, left, right, n, ordered) => {
      const l = layout(docs);
      const out = new Uint32Array((l.maxId >>> 5) + 1);
      markNear(l.layout, { n: left.length, lists: [starts(l, left)] }, { n: right.length, lists: [starts(l, right)] }, n, ordered, out);
      const expected = nearDocs(docs, left, right, n, ordered);
      assert.deepEqual(ids(out), expected);
      // The term-sequence path (for broad expansions) agrees, message by message.
      const pattern = (phrase: number[][]) => phrase.map((set) => (set.length === 1 ? set[0]! : new Set(set)));
      const bySequence = docs.flatMap((_, i) => (nearIn(l.tokens, l.offsets[i + 1]!, l.offsets[i + 2]!, [pattern(left)], [pattern(right)], n, ordered) ? [i + 1] : []));
      assert.deepEqual(bySequence, expected);
    }),
    { numRuns: 600, seed: 19 },
  );
});

/**
 * Long lists, as a 1M-message case has them: thousands of messages, runs of empty ones, one very common term
 * beside rare ones, so the shorter list drives and gallops far through the longer one, and messages are
 * found by galloping across long stretches.
 */
function skewedDocs(seed: number): number[][] {
  let x = seed || 1;
  const r = () => ((x = (Math.imul(x, 48271) >>> 0) % 2147483647) / 2147483647);
  const docs: number[][] = [];
  const n = 500 + Math.floor(r() * 2500);
  for (let i = 0; i < n; i++) {
    // Runs of empty messages (media placeholders, deleted texts).
    if (r() < 0.3) {
      for (let k = Math.floor(r() * 40); k > 0; k--) docs.push([]);
    }
    const len = Math.floor(r() * 14);
    docs.push(Array.from({ length: len }, () => {
      const y = r();
      return y < 0.04 ? 0 : y < 0.5 ? 1 : y < 0.8 ? 2 : y < 0.95 ? 3 : y < 0.99 ? 4 : 5;
    }));
  }
  return docs;
}

/** Distances below 32 (tested by 32-bit windows, in blocks) and from 32 up (tested one occurrence at a time). */
const distanceArb = fc.oneof(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 30, max: 40 }));

test('phrases and w/N over long skewed lists (common beside rare, runs of empty messages) equal brute force', () => {
  const phrases = [[[1]], [[5]], [[4]], [[1], [5]], [[5], [1]], [[1], [1]], [[2, 4], [1]], [[1], [2], [1]]];
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 2 ** 31 - 2 }), fc.constantFrom(...phrases), fc.constantFrom(...phrases), distanceArb, fc.boolean(), (seed, left, right, n, ordered) => {
      const docs = skewedDocs(seed);
      const l = layout(docs);
      const phrase = new Uint32Array((l.maxId >>> 5) + 1);
      const p = buildPositions(l.tokens, l.tokens.length, 6, l.offsets, l.maxId);
      markDocs(l.layout, phraseStarts(l.layout, p, left), left.length, phrase);
      assert.deepEqual(ids(phrase), phraseDocs(docs, left));
      const out = new Uint32Array((l.maxId >>> 5) + 1);
      markNear(l.layout, { n: left.length, lists: [starts(l, left)] }, { n: right.length, lists: [starts(l, right)] }, n, ordered, out);
      assert.deepEqual(ids(out), nearDocs(docs, left, right, n, ordered));
    }),
    { numRuns: 60, seed: 23 },
  );
});

/**
 * Field boundaries come from the layout's bitmap of message starts and field gaps: many fields
 * (a gap in one token of four), phrases on both sides, every N from 1 to 12, so a gap can lie before, inside or
 * after the reach of any occurrence.
 */
test('w/N across many field gaps (boundary bits, N 1-12, phrases on both sides) equals brute force', () => {
  const fieldsArb = fc.array(fc.array(fc.integer({ min: 0, max: 4 }).map((t) => (t === 4 ? 0 : t + 1)), { maxLength: 24 }), { minLength: 1, maxLength: 30 });
  const phraseArb = fc.array(fc.uniqueArray(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 3 });
  fc.assert(
    fc.property(fieldsArb, phraseArb, phraseArb, fc.integer({ min: 1, max: 12 }), fc.boolean(), (docs, left, right, n, ordered) => {
      const l = layout(docs);
      // The boundaries: every message's start and every field gap.
      const bounds = new Set([...Array.from(l.offsets.subarray(1, l.maxId + 1)), ...Array.from(l.tokens.keys()).filter((i) => l.tokens[i] === 0)]);
      assert.deepEqual(ids(l.layout.boundaries), [...bounds].sort((a, b) => a - b));
      const out = new Uint32Array((l.maxId >>> 5) + 1);
      markNear(l.layout, { n: left.length, lists: [starts(l, left)] }, { n: right.length, lists: [starts(l, right)] }, n, ordered, out);
      assert.deepEqual(ids(out), nearDocs(docs, left, right, n, ordered));
    }),
    { numRuns: 500, seed: 31 },
  );
});

test('w/N with several texts of one length on a side (an OR-group) marks the union of each pair', () => {
  const phraseArb = fc.array(setArb, { minLength: 2, maxLength: 2 });
  fc.assert(
    fc.property(docsArb, phraseArb, phraseArb, fc.array(setArb, { minLength: 1, maxLength: 2 }), fc.integer({ min: 1, max: 6 }), fc.boolean(), (docs, a, b, right, n, ordered) => {
      const l = layout(docs);
      const out = new Uint32Array((l.maxId >>> 5) + 1);
      markNear(l.layout, { n: 2, lists: [starts(l, a), starts(l, b)] }, { n: right.length, lists: [starts(l, right)] }, n, ordered, out);
      const expected = new Set([...nearDocs(docs, a, right, n, ordered), ...nearDocs(docs, b, right, n, ordered)]);
      assert.deepEqual(ids(out), [...expected].sort((x, y) => x - y));
    }),
    { numRuns: 400, seed: 37 },
  );
});

/** A bitmap over message ids 1..maxId of the messages `keep` says yes to. */
function messagesWhere(l: Layout, keep: (doc: number[], id: number) => boolean): Uint32Array {
  const out = new Uint32Array((l.maxId >>> 5) + 1);
  l.docs.forEach((d, i) => {
    if (keep(d, i + 1)) out[(i + 1) >>> 5]! |= 1 << ((i + 1) & 31);
  });
  return out;
}

test('w/N given the messages it can match in, or sides carrying the messages that hold them, marks the same messages (the walk jumps between them)', () => {
  const phrases = [[[1]], [[5]], [[4]], [[1], [5]], [[5], [1]], [[2, 4], [1]], [[1], [2], [1]], [[4], [5]]];
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 2 ** 31 - 2 }), fc.constantFrom(...phrases), fc.constantFrom(...phrases), distanceArb, fc.boolean(), fc.integer({ min: 0, max: 3 }), (seed, left, right, n, ordered, extra) => {
      const docs = skewedDocs(seed);
      const l = layout(docs);
      const p = buildPositions(l.tokens, l.tokens.length, 6, l.offsets, l.maxId);
      const words = [...left, ...right].filter((set) => set.length === 1).map((set) => set[0]!);
      // Every message holding all the words of both sides, and (extra > 0) some others besides.
      const candidates = messagesWhere(l, (d, id) => words.every((w) => d.includes(w)) || (extra > 0 && id % (extra + 2) === 0));
      const restricted = (phrase: number[][]) => insideMessages(l.layout, phraseStarts(l.layout, p, phrase, undefined, candidates), phrase.length);
      const expected = nearDocs(docs, left, right, n, ordered);
      const out = new Uint32Array((l.maxId >>> 5) + 1);
      markNear(l.layout, { n: left.length, lists: [restricted(left)] }, { n: right.length, lists: [restricted(right)] }, n, ordered, out, candidates);
      assert.deepEqual(ids(out), expected);
      // A restricted phrase keeps exactly its occurrences in the candidates (a word alone is its whole list).
      const phrase = new Uint32Array((l.maxId >>> 5) + 1);
      markDocs(l.layout, restricted(left), 1, phrase);
      assert.deepEqual(ids(phrase), phraseDocs(docs, left).filter((id) => left.length === 1 || (candidates[id >>> 5]! >>> (id & 31)) & 1));
      // Sides that are one word each carry the messages holding them (MemoryIndex.messagesWith).
      if (left.length === 1 && right.length === 1) {
        const holding = (set: number[]) => messagesWhere(l, (d) => set.some((t) => d.includes(t)));
        const bySides = new Uint32Array((l.maxId >>> 5) + 1);
        markNear(l.layout, { n: 1, lists: [starts(l, left)], messages: holding(left[0]!) }, { n: 1, lists: [starts(l, right)], messages: holding(right[0]!) }, n, ordered, bySides);
        assert.deepEqual(ids(bySides), expected);
      }
      // Only the messages in `within` are marked (the query's universe).
      const within = messagesWhere(l, (_, id) => id % 3 !== extra % 3);
      const inside = new Uint32Array((l.maxId >>> 5) + 1);
      markNear(l.layout, { n: left.length, lists: [restricted(left)] }, { n: right.length, lists: [restricted(right)] }, n, ordered, inside, candidates, within);
      assert.deepEqual(ids(inside), expected.filter((id) => id % 3 !== extra % 3));
    }),
    { numRuns: 120, seed: 41 },
  );
});

test('mergeSorted keeps every position of both lists, ascending (the expansions of one position as one list)', () => {
  fc.assert(
    fc.property(fc.array(fc.nat(200)), fc.array(fc.nat(200)), (a, b) => {
      // Each position's message is carried along with it (here: the position's tenth).
      const occ = (xs: number[]) => {
        const at = Uint32Array.from(xs).sort();
        return { at, doc: at.map((x) => Math.floor(x / 10)) };
      };
      const merged = mergeSorted(occ(a), occ(b));
      const expected = [...a, ...b].sort((x, y) => x - y);
      assert.deepEqual(Array.from(merged.at), expected);
      assert.deepEqual(Array.from(merged.doc), expected.map((x) => Math.floor(x / 10)));
    }),
    { numRuns: 300, seed: 5 },
  );
});
