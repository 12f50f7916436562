/**
 * FlexSearch's postings (term → message ids per relevance slot) computed from the index's token
 * array, exactly as FlexSearch's add() would have built them: a term's first occurrence in a
 * message decides its slot (slotOf), ids ascending, live messages only.
 *
 * Two ways: every term at once (`collectPostings` + `radixSort` + `groupPostings`, what a load
 * used to do before the first search), or a few terms by one pass over the token array
 * (`termSlots`, what a search after a load asks for until the whole build has run).
 */
import { DocCursor } from './positions.ts';

/** FlexSearch's intermediate result: ids per relevance slot. */
export type Slots = Array<Array<number | string> | undefined>;

/** What the postings are computed from: the index's arrays up to `maxId`. */
export interface TokenArrays {
  tokens: Uint32Array;
  offsets: Uint32Array;
  maxId: number;
  live: Uint32Array;
  resolution: number;
}

/** A term's relevance slot from its position among the message's terms (FlexSearch's default formula). */
export function slotOf(resolution: number, length: number, i: number): number {
  if (i === 0 || resolution <= 1) return 0;
  return length <= resolution ? i : (((resolution - 1) / length) * i + 1) | 0;
}

/** Pairs (term × resolution + slot, id) in id order, gathered a range of messages at a time. */
export class PostingPairs {
  readonly keys: Uint32Array;
  readonly ids: Uint32Array;
  count = 0;
  /** The next message to collect. */
  next = 1;

  private readonly a: TokenArrays;

  constructor(a: TokenArrays) {
    this.a = a;
    this.keys = new Uint32Array(a.offsets[a.maxId + 1]!);
    this.ids = new Uint32Array(this.keys.length);
  }

  get done(): boolean {
    return this.next > this.a.maxId;
  }

  /** Collects the pairs of the next `messages` messages. */
  collect(messages: number): void {
    const { tokens, offsets, live, resolution: res } = this.a;
    const { keys, ids } = this;
    const last = Math.min(this.a.maxId, this.next + messages - 1);
    let count = this.count;
    for (let id = this.next; id <= last; id++) {
      if ((live[id >>> 5]! & (1 << (id & 31))) === 0) continue;
      const s = offsets[id]!;
      const e = offsets[id + 1]!;
      let n = 0;
      for (let k = s; k < e; k++) if (tokens[k] !== 0) n++;
      let i = 0;
      for (let k = s; k < e; k++) {
        const t = tokens[k]!;
        if (t === 0) continue;
        // Messages are short: looking back for an earlier occurrence stays in the cache.
        let first = true;
        for (let j = s; j < k; j++) {
          if (tokens[j] === t) {
            first = false;
            break;
          }
        }
        if (first) {
          keys[count] = t * res + slotOf(res, n, i);
          ids[count++] = id;
        }
        i++;
      }
    }
    this.count = count;
    this.next = last + 1;
  }
}

/**
 * Stable LSD radix sort of the first `count` pairs by key (keys below `limit`), 11 bits a pass,
 * in steps of 2M pairs. Streams through memory, where filling per-term lists directly would jump
 * through it once per occurrence (several times slower with a large vocabulary).
 */
export function* radixSort(keys: Uint32Array, ids: Uint32Array, count: number, limit: number): Generator<undefined, { keys: Uint32Array; ids: Uint32Array }> {
  const BITS = 11;
  const RADIX = 1 << BITS;
  let k1: Uint32Array = keys;
  let v1: Uint32Array = ids;
  let k2: Uint32Array = new Uint32Array(count);
  let v2: Uint32Array = new Uint32Array(count);
  const bucket = new Uint32Array(RADIX);
  const STEP = 2_000_000;
  for (let shift = 0; limit > 0 && (limit - 1) >>> shift > 0; shift += BITS) {
    bucket.fill(0);
    for (let from = 0; from < count; from += STEP) {
      const to = Math.min(count, from + STEP);
      for (let i = from; i < to; i++) bucket[(k1[i]! >>> shift) & (RADIX - 1)]!++;
      yield;
    }
    let sum = 0;
    for (let b = 0; b < RADIX; b++) {
      const c = bucket[b]!;
      bucket[b] = sum;
      sum += c;
    }
    for (let from = 0; from < count; from += STEP) {
      const to = Math.min(count, from + STEP);
      for (let i = from; i < to; i++) {
        const d = (k1[i]! >>> shift) & (RADIX - 1);
        const at = bucket[d]!++;
        k2[at] = k1[i]!;
        v2[at] = v1[i]!;
      }
      yield;
    }
    [k1, k2] = [k2, k1];
    [v1, v2] = [v2, v1];
  }
  return { keys: k1, ids: v1 };
}

/** Sorted pairs → each term's slots (term id → Slots; undefined where a term has no live message). */
export function groupPostings(keys: Uint32Array, ids: Uint32Array, count: number, res: number, vocabulary: number): Array<Slots | undefined> {
  const slots = new Array<Slots | undefined>(vocabulary);
  for (let at = 0; at < count; ) {
    const key = keys[at]!;
    let end = at + 1;
    while (end < count && keys[end] === key) end++;
    const list = new Array<number>(end - at);
    for (let k = at; k < end; k++) list[k - at] = ids[k]!;
    const t = (key / res) | 0;
    (slots[t] ??= [])[key - t * res] = list;
    at = end;
  }
  return slots;
}

/**
 * The slots of a few terms by one pass over the token array: the same lists groupPostings gives
 * them (a term without a live message gets an empty Slots). One term is found with the typed
 * array's own indexOf; several by a flag per term id.
 */
export function termSlots(a: TokenArrays, termIds: readonly number[], vocabulary: number): Slots[] {
  const { tokens, offsets, maxId, live, resolution: res } = a;
  const end = offsets[maxId + 1]!;
  const lists: number[][][] = termIds.map(() => []);
  const want = new Int32Array(termIds.length === 1 ? 0 : vocabulary).fill(-1);
  termIds.forEach((t, w) => (want[t] = w));
  const seen = new Int32Array(termIds.length);
  const docs = new DocCursor(offsets, maxId);
  const single = termIds.length === 1 ? termIds[0]! : -1;
  let k = 0;
  while (k < end) {
    if (single >= 0) {
      k = tokens.indexOf(single, k);
      if (k < 0 || k >= end) break;
    } else if (want[tokens[k]!]! < 0) {
      k++;
      continue;
    }
    const id = docs.at(k);
    const s = offsets[id]!;
    const e = offsets[id + 1]!;
    k = e;
    if ((live[id >>> 5]! & (1 << (id & 31))) === 0) continue;
    let n = 0;
    for (let j = s; j < e; j++) if (tokens[j] !== 0) n++;
    let i = 0;
    for (let j = s; j < e; j++) {
      const t = tokens[j]!;
      if (t === 0) continue;
      const w = single >= 0 ? (t === single ? 0 : -1) : want[t]!;
      if (w >= 0 && seen[w] !== id) {
        seen[w] = id;
        ((lists[w]!)[slotOf(res, n, i)] ??= []).push(id);
      }
      i++;
    }
  }
  return lists.map((perSlot) => {
    const out: Slots = [];
    for (let s = 0; s < perSlot.length; s++) if (perSlot[s]) out[s] = perSlot[s];
    return out;
  });
}
