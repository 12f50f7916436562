/**
 * Positional postings: term → the sorted positions of its occurrences in the index's token array
 * (message after message, in id order, so position order is message order). Phrases and
 * proximity are answered by merging these lists, without reading each candidate's term sequence.
 *
 * Built from the term sequences (a counting sort: two streaming passes) the first time a phrase
 * or proximity query needs them, and again after messages were added; 4 bytes per indexed term
 * occurrence.
 */

export interface Positions {
  /** start[t]..start[t + 1]: term t's positions in `at`. */
  start: Uint32Array;
  at: Uint32Array;
  /** Tokens covered (the index's tokenCount when built). */
  upTo: number;
}

export function buildPositions(tokens: Uint32Array, tokenCount: number, vocabulary: number): Positions {
  const start = new Uint32Array(vocabulary + 1);
  for (let i = 0; i < tokenCount; i++) start[tokens[i]! + 1]!++;
  // Term 0 (the gap between fields) gets no list.
  start[1] = 0;
  for (let t = 1; t <= vocabulary; t++) start[t]! += start[t - 1]!;
  const at = new Uint32Array(start[vocabulary]!);
  const fill = start.slice(0, vocabulary);
  for (let i = 0; i < tokenCount; i++) {
    const t = tokens[i]!;
    if (t !== 0) at[fill[t]!++] = i;
  }
  return { start, at, upTo: tokenCount };
}

/** The sorted positions of any of `terms` (one term's list as is; several merged). */
export function positionsOf(p: Positions, terms: readonly number[]): Uint32Array {
  if (terms.length === 1) return p.at.subarray(p.start[terms[0]!]!, p.start[terms[0]! + 1]!);
  let n = 0;
  for (const t of terms) n += p.start[t + 1]! - p.start[t]!;
  const out = new Uint32Array(n);
  let o = 0;
  for (const t of terms) {
    out.set(p.at.subarray(p.start[t]!, p.start[t + 1]!), o);
    o += p.start[t + 1]! - p.start[t]!;
  }
  return out.sort();
}

/** How many positions the lists of `terms` hold together. */
export function positionCount(p: Positions, terms: readonly number[]): number {
  let n = 0;
  for (const t of terms) n += p.start[t + 1]! - p.start[t]!;
  return n;
}

/**
 * Start positions of the phrase whose k-th word is any term of lists[k]: positions s with
 * s + k in lists[k] for every k. Driven by the shortest list; the others are searched forward
 * with galloping (each pointer only moves on).
 */
export function phraseStarts(lists: readonly Uint32Array[]): Uint32Array {
  const n = lists.length;
  if (n === 1) return lists[0]!;
  let drive = 0;
  for (let k = 1; k < n; k++) if (lists[k]!.length < lists[drive]!.length) drive = k;
  const base = lists[drive]!;
  const ptr = new Int32Array(n);
  const out = new Uint32Array(base.length);
  let count = 0;
  outer: for (let i = 0; i < base.length; i++) {
    const s = base[i]! - drive;
    if (base[i]! < drive) continue;
    for (let k = 0; k < n; k++) {
      if (k === drive) continue;
      const list = lists[k]!;
      const want = s + k;
      const j = gallop(list, ptr[k]!, want);
      ptr[k] = j;
      if (j >= list.length) break outer;
      if (list[j] !== want) continue outer;
    }
    out[count++] = s;
  }
  return out.subarray(0, count);
}

/** The first index ≥ from where list[index] ≥ want (list.length when none). */
function gallop(list: Uint32Array, from: number, want: number): number {
  let lo = from;
  if (lo >= list.length || list[lo]! >= want) return lo;
  let step = 1;
  let hi = lo + 1;
  while (hi < list.length && list[hi]! < want) {
    lo = hi;
    step <<= 1;
    hi = lo + step;
  }
  if (hi > list.length) hi = list.length;
  // list[lo] < want; list[hi] >= want or hi = length.
  while (lo + 1 < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < want) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** The message holding token position `p`: the last id whose offset is ≤ p (offsets are non-decreasing). */
export function docAt(offsets: Uint32Array, maxId: number, p: number): number {
  let lo = 1;
  let hi = maxId;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (offsets[mid]! <= p) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The starts of `n`-term occurrences that lie inside one message: positions run on from one
 * message into the next (only fields are separated by a gap term), so a phrase could otherwise
 * join the end of one message to the start of the next.
 */
export function insideMessages(offsets: Uint32Array, maxId: number, starts: Uint32Array, n: number): Uint32Array {
  if (n === 1) return starts;
  const out = new Uint32Array(starts.length);
  let count = 0;
  let doc = 0;
  let end = 0;
  for (let i = 0; i < starts.length; i++) {
    const p = starts[i]!;
    if (p >= end || doc === 0) {
      doc = docAt(offsets, maxId, p);
      end = offsets[doc + 1]!;
    }
    if (p + n <= end) out[count++] = p;
  }
  return out.subarray(0, count);
}

/** Sets in `out` the message of every position of `starts` (ascending), one look-up per message. */
export function markDocs(offsets: Uint32Array, maxId: number, starts: Uint32Array, out: Uint32Array): void {
  let doc = 0;
  let end = 0;
  for (let i = 0; i < starts.length; i++) {
    const p = starts[i]!;
    if (p >= end || doc === 0) {
      doc = docAt(offsets, maxId, p);
      end = offsets[doc + 1]!;
    }
    out[doc >>> 5]! |= 1 << (doc & 31);
  }
}

/**
 * Marks in `out` the messages where a left occurrence (starts `l`, `ln` terms long) and a right
 * one (`r`, `rn`) lie within `distance` (nearest ends; adjacent = 1) in one field of one message,
 * the left first when `ordered`. Both lists ascending; each pointer only moves on.
 */
export function markNear(
  tokens: Uint32Array, offsets: Uint32Array, maxId: number,
  l: Uint32Array, ln: number, r: Uint32Array, rn: number, distance: number, ordered: boolean, out: Uint32Array,
): void {
  let after = 0;
  let before = 0;
  for (let i = 0; i < l.length; i++) {
    const ls = l[i]!;
    const le = ls + ln - 1;
    // The nearest right occurrence after the left one: the first starting past its end.
    while (after < r.length && r[after]! <= le) after++;
    if (after < r.length && r[after]! - le <= distance && together(tokens, offsets, maxId, le, r[after]!)) {
      mark(offsets, maxId, ls, out);
      continue;
    }
    if (ordered) continue;
    // The nearest right occurrence ending before the left one starts: the last such start.
    while (before + 1 < r.length && r[before + 1]! + rn - 1 < ls) before++;
    if (before < r.length && r[before]! + rn - 1 < ls) {
      const re = r[before]! + rn - 1;
      if (ls - re <= distance && together(tokens, offsets, maxId, re, ls)) mark(offsets, maxId, ls, out);
    }
  }
}

/** Whether positions a < b are in one message and one field (no gap term between them). */
function together(tokens: Uint32Array, offsets: Uint32Array, maxId: number, a: number, b: number): boolean {
  for (let k = a + 1; k < b; k++) if (tokens[k] === 0) return false;
  const doc = docAt(offsets, maxId, a);
  return b < offsets[doc + 1]!;
}

function mark(offsets: Uint32Array, maxId: number, p: number, out: Uint32Array): void {
  const doc = docAt(offsets, maxId, p);
  out[doc >>> 5]! |= 1 << (doc & 31);
}
