/**
 * Phrases and proximity over the positional postings (positions.ts), with bitmaps over token positions.
 * - A phrase sets its rarest word's positions as bits, and the next word's list is walked against them.
 * - A w/N sets one side's occurrences as bits over token positions, and tests each occurrence of
 *   the other side against the window of bits after and before it.
 * Both go up the lists in order, so the arrays are read in order. Merging two lists of similar
 * length instead mispredicted a branch at every step, and that was most of the time of a phrase
 * or a proximity over common words.
 *
 * Where messages and fields start is a second bitmap (TokenLayout.boundaries), so an occurrence or
 * a span is checked against them with a 32-bit window; a hit's message is read beside its position
 * (Occurrences.doc).
 */
import { setIds } from './bitset.ts';
import type { Occurrences, Positions } from './positions.ts';

/** Where the token array's messages and fields start, for phrases and proximity; built once per state of the index. */
export class TokenLayout {
  readonly tokenCount: number;
  readonly maxId: number;
  /**
   * A bit at every position where a message starts and at every field gap (term 0): a span from
   * a to b crosses into another message or field exactly when a bit lies in (a, b].
   */
  readonly boundaries: Uint32Array;
  /** A bitmap over positions that is all zero between uses (each use clears what it set). */
  readonly scratch: Uint32Array;
  /** Room for a query's intermediate lists (evaluate marks and releases it around each phrase and w/N). */
  readonly lists = new ScratchLists();
  /** A bitmap over message ids: the messages one w/N can match in (evaluate's nearCandidates), overwritten by the next. */
  readonly messages: Uint32Array;

  constructor(tokens: Uint32Array, tokenCount: number, offsets: Uint32Array, maxId: number) {
    this.tokenCount = tokenCount;
    this.maxId = maxId;
    const words = (tokenCount >>> 5) + 2;
    const b = new Uint32Array(words);
    for (let id = 1; id <= maxId; id++) {
      const q = offsets[id]!;
      b[q >>> 5]! |= 1 << (q & 31);
    }
    for (let q = tokens.indexOf(0); q >= 0 && q < tokenCount; q = tokens.indexOf(0, q + 1)) b[q >>> 5]! |= 1 << (q & 31);
    this.boundaries = b;
    this.scratch = new Uint32Array(words);
    this.messages = new Uint32Array((maxId >>> 5) + 1);
  }
}

/**
 * Uint32 arrays taken and given back in stack order, from one buffer that only grows. A phrase at 1M
 * messages made ~1 MB of lists per query; fresh typed arrays that large are new pages from the
 * system each time (zeroed, faulted in, unmapped again by the collector).
 */
export class ScratchLists {
  private buf = new Uint32Array(1 << 16);
  private top = 0;

  /** n entries, contents undefined: valid until a release to a mark taken before. */
  take(n: number): Uint32Array {
    // A larger buffer; views already taken keep the old one.
    if (this.top + n > this.buf.length) this.buf = new Uint32Array(Math.max(this.buf.length * 2, this.top + n));
    const view = this.buf.subarray(this.top, this.top + n);
    this.top += n;
    return view;
  }

  mark(): number {
    return this.top;
  }

  release(mark: number): void {
    this.top = mark;
  }
}

/** Whether a bit is set in bits at any position of [lo, hi] (lo ≤ hi). */
function anyBit(bits: Uint32Array, lo: number, hi: number): boolean {
  let w = lo >>> 5;
  const last = hi >>> 5;
  let v = bits[w]! & (-1 << (lo & 31));
  while (w < last) {
    if (v !== 0) return true;
    v = bits[++w]! | 0;
  }
  return (v & (-1 >>> (31 - (hi & 31)))) !== 0;
}

/** The first position in [lo, hi] whose bit is set, or -1. */
function firstBit(bits: Uint32Array, lo: number, hi: number): number {
  let w = lo >>> 5;
  const last = hi >>> 5;
  let v = bits[w]! & (-1 << (lo & 31));
  for (;;) {
    if (w === last) v &= -1 >>> (31 - (hi & 31));
    if (v !== 0) return w * 32 + 31 - Math.clz32(v & -v);
    if (w === last) return -1;
    v = bits[++w]! | 0;
  }
}

/** The last position in [lo, hi] whose bit is set, or -1. */
function lastBit(bits: Uint32Array, lo: number, hi: number): number {
  let w = hi >>> 5;
  const first = lo >>> 5;
  let v = bits[w]! & (-1 >>> (31 - (hi & 31)));
  for (;;) {
    if (w === first) v &= -1 << (lo & 31);
    if (v !== 0) return w * 32 + 31 - Math.clz32(v);
    if (w === first) return -1;
    v = bits[--w]! | 0;
  }
}


/**
 * Start positions of the phrase whose k-th word is any term of terms[k]: positions s with s + k in
 * the list of terms[k] for every k (whether the phrase stays inside one message is
 * insideMessages'). The shortest list gives the candidates; each next list, shortest first, keeps
 * those it has a position for, by a bitmap of the candidates that the list is walked against, or,
 * for a word so common that its positions are kept as a bitmap, by testing each candidate in it.
 * Everything is read in ascending order: checking each candidate on the token array instead
 * cost a cache miss per candidate once the rest of the query had evicted it (5.7 ms at 1M for
 * "wire the money"), and merging two lists mispredicted a branch at every step.
 * `counts`: each position's occurrences (Positions.count), when the caller has them. `messages`: a
 * bitmap over ids of the only messages wanted, when the caller has one (a w/N's candidates): the
 * rarest word's occurrences in other messages are no candidates (a phrase that runs on into the
 * next message is dropped anyway, by insideMessages).
 */
export function phraseStarts(
  layout: TokenLayout, positions: Positions, terms: readonly (readonly number[])[], counts: readonly number[] = terms.map((t) => positions.count(t)),
  messages: Uint32Array | null = null,
): Occurrences {
  if (terms.length === 1) return positions.of(terms[0]!);
  const order = terms.map((_, k) => k).sort((a, b) => counts[a]! - counts[b]! || a - b);
  // The candidates are starts.at less `shift`: the rarest word's positions less its place, at first.
  let starts = positions.of(terms[order[0]!]!);
  if (messages) starts = inMessages(layout.lists, starts, messages);
  let shift = order[0]!;
  for (let r = 1; r < order.length && starts.at.length > 0; r++) {
    const k = order[r]!;
    const dense = terms[k]!.length === 1 ? positions.bitmap(terms[k]![0]!) : null;
    starts = dense ? keepByBitmap(layout.lists, starts, shift, dense, k) : keepByBits(layout, starts, shift, positions.of(terms[k]!), k);
    shift = 0;
  }
  return starts;
}

// The loops below are functions of their own that fill their output and return a count: code after
// a loop that was optimised while it ran (on-stack replacement) has no type feedback yet, and
// reaching it threw the function back to the interpreter on every call.

/** The occurrences in a message set in `messages` (a bitmap over ids). */
function inMessages(lists: ScratchLists, occ: Occurrences, messages: Uint32Array): Occurrences {
  const at = lists.take(occ.at.length);
  const doc = lists.take(occ.at.length);
  const n = inMessagesLoop(occ.at, occ.doc, messages, at, doc);
  return { at: at.subarray(0, n), doc: doc.subarray(0, n) };
}

function inMessagesLoop(starts: Uint32Array, docs: Uint32Array, messages: Uint32Array, at: Uint32Array, doc: Uint32Array): number {
  let c = 0;
  for (let i = 0; i < starts.length; i++) {
    const d = docs[i]!;
    if (((messages[d >>> 5]! >>> (d & 31)) & 1) === 0) {
      // On to the next message set: the loop's step lands on its first occurrence.
      const last = messages.length * 32 - 1;
      const next = d < last ? firstBit(messages, d + 1, last) : -1;
      if (next < 0) break;
      i = firstAtLeast(docs, i + 1, next) - 1;
      continue;
    }
    at[c] = starts[i]!;
    doc[c] = d;
    c++;
  }
  return c;
}

/** The candidates (starts less shift) s with s + k set in a common word's bitmap (Positions.bitmap): the candidates are walked, not its long list. */
function keepByBitmap(lists: ScratchLists, starts: Occurrences, shift: number, bits: Uint32Array, k: number): Occurrences {
  const at = lists.take(starts.at.length);
  const doc = lists.take(starts.at.length);
  const n = bitmapLoop(bits, starts.at, starts.doc, shift, k, at, doc);
  return { at: at.subarray(0, n), doc: doc.subarray(0, n) };
}

function bitmapLoop(bits: Uint32Array, starts: Uint32Array, docs: Uint32Array, shift: number, k: number, at: Uint32Array, doc: Uint32Array): number {
  let c = 0;
  for (let i = 0; i < starts.length; i++) {
    if (starts[i]! < shift) continue;
    const s = starts[i]! - shift;
    const p = s + k;
    at[c] = s;
    doc[c] = docs[i]!;
    c += (bits[p >>> 5]! >>> (p & 31)) & 1;
  }
  return c;
}

/**
 * The candidates (starts less shift) s with s + k in list (both ascending), each with the message of
 * s + k: the candidates set as bits, the list walked once against them (branch-free).
 */
function keepByBits(layout: TokenLayout, starts: Occurrences, shift: number, list: Occurrences, k: number): Occurrences {
  const bits = layout.scratch;
  setShifted(bits, starts.at, shift);
  const room = Math.min(starts.at.length, list.at.length) + 1;
  const at = layout.lists.take(room);
  const doc = layout.lists.take(room);
  const n = bitsLoop(bits, list.at, list.doc, k, at, doc);
  clearShifted(bits, starts.at, shift);
  return { at: at.subarray(0, n), doc: doc.subarray(0, n) };
}

function setShifted(bits: Uint32Array, list: Uint32Array, shift: number): void {
  for (let i = 0; i < list.length; i++) {
    if (list[i]! < shift) continue;
    const p = list[i]! - shift;
    bits[p >>> 5]! |= 1 << (p & 31);
  }
}

/** Clears the words holding the bits of list less shift (the scratch bitmap is all zero between uses). */
function clearShifted(bits: Uint32Array, list: Uint32Array, shift: number): void {
  for (let i = 0; i < list.length; i++) if (list[i]! >= shift) bits[(list[i]! - shift) >>> 5] = 0;
}

function bitsLoop(bits: Uint32Array, list: Uint32Array, docs: Uint32Array, k: number, at: Uint32Array, doc: Uint32Array): number {
  let c = 0;
  let i = 0;
  while (i < list.length && list[i]! < k) i++;
  // The output has room for every kept start plus the one written past them before the last test.
  const room = at.length - 1;
  for (; i < list.length && c < room; i++) {
    const s = list[i]! - k;
    at[c] = s;
    doc[c] = docs[i]!;
    c += (bits[s >>> 5]! >>> (s & 31)) & 1;
  }
  return c;
}

/**
 * The `n`-term occurrences that lie inside one message: positions run on from one message into the
 * next (only fields are separated by a gap term), so a phrase could otherwise join the end of one
 * message to the start of the next.
 */
export function insideMessages(layout: TokenLayout, starts: Occurrences, n: number): Occurrences {
  if (n === 1) return starts;
  const at = layout.lists.take(starts.at.length);
  const doc = layout.lists.take(starts.at.length);
  const c = insideLoop(layout.boundaries, starts.at, starts.doc, n, at, doc);
  return { at: at.subarray(0, c), doc: doc.subarray(0, c) };
}

function insideLoop(bounds: Uint32Array, starts: Uint32Array, docs: Uint32Array, n: number, at: Uint32Array, doc: Uint32Array): number {
  let c = 0;
  for (let i = 0; i < starts.length; i++) {
    const p = starts[i]!;
    at[c] = p;
    doc[c] = docs[i]!;
    c += crosses(bounds, p, n) ? 0 : 1;
  }
  return c;
}

/** Whether the n tokens from p run across a message or field start. */
function crosses(bounds: Uint32Array, p: number, n: number): boolean {
  return n <= 32 ? (window32(bounds, p + 1) & ((1 << (n - 1)) - 1)) !== 0 : anyBit(bounds, p + 1, p + n - 1);
}

/** Sets in `out` the message of every occurrence (`n` terms long) that lies inside it. */
export function markDocs(layout: TokenLayout, starts: Occurrences, n: number, out: Uint32Array): void {
  markLoop(layout.boundaries, starts.at, starts.doc, n, out);
}

function markLoop(bounds: Uint32Array, starts: Uint32Array, docs: Uint32Array, n: number, out: Uint32Array): void {
  for (let i = 0; i < starts.length; i++) {
    if (n > 1 && crosses(bounds, starts[i]!, n)) continue;
    const doc = docs[i]!;
    out[doc >>> 5]! |= 1 << (doc & 31);
  }
}

/** One side of a w/N: occurrences `n` terms long (ascending lists, each occurrence inside one message). */
export interface NearSide {
  n: number;
  lists: readonly Occurrences[];
  /** The starts of all lists as a bitmap kept between queries (a word's, Positions.bitmap), when there is one. */
  bits?: Uint32Array | null;
  /** The messages holding the side's occurrences (or more), as a bitmap over ids, when at hand (a word's, MemoryIndex.messagesWith). */
  messages?: Uint32Array | null;
}

/**
 * Marks in `out` the messages where a left occurrence and a right one lie within `distance`
 * (nearest ends; adjacent = 1) in one field of one message, the left first when `ordered`. The
 * side with more occurrences is set as bits of their starts; each occurrence of the other side
 * (in a message that side is in, when its messages are at hand) then tests the window of starts
 * after it and of ends before it, each cut at the first message or field boundary. `candidates`: a bitmap over ids holding every message that can match, when the caller has one.
 * `within`: a bitmap over ids of the only messages to mark, when not all are wanted (the query's
 * universe): tested as each match is marked, instead of a pass over every word afterwards.
 */
export function markNear(
  layout: TokenLayout, left: NearSide, right: NearSide, distance: number, ordered: boolean, out: Uint32Array, candidates: Uint32Array | null = null,
  within: Uint32Array | null = null,
): void {
  // The longer side is set as bits (a step each) and the shorter one tested (a few loads each).
  const size = (s: NearSide) => s.lists.reduce((n, l) => n + l.at.length, 0);
  const leftBits = size(left) > size(right);
  const bitsSide = leftBits ? left : right;
  const walked = leftBits ? right : left;
  // Whether the bits side may come after the walked occurrence, and before it.
  const afterOk = !ordered || !leftBits;
  const beforeOk = !ordered || leftBits;
  const kept = bitsSide.bits;
  const bits = kept ?? layout.scratch;
  if (!kept) for (const l of bitsSide.lists) setIds(bits, l.at);
  // With the other side's messages at hand (a word's), only occurrences in one of them are tested.
  // Making them from an OR-group's lists cost more than it saved.
  const messages = candidates ?? bitsSide.messages ?? null;
  const test = { layout, bits, bn: bitsSide.n, distance, afterOk, beforeOk };
  for (const l of walked.lists) {
    if (distance < 32) nearInBlocks(test, messages, within, l.at, l.doc, walked.n, out);
    else {
      // With the walked side's messages too, the walk jumps from one message both hold to the next.
      const own = candidates ?? (messages !== null ? (walked.messages ?? null) : null);
      nearLoop(test, messages, own, within, l.at, l.doc, walked.n, out);
    }
  }
  if (!kept) for (const l of bitsSide.lists) clearShifted(bits, l.at, 0);
}

/** What testing one occurrence against the bits side needs. */
interface NearTest {
  layout: TokenLayout;
  bits: Uint32Array;
  /** The bits side's occurrences' length. */
  bn: number;
  distance: number;
  afterOk: boolean;
  beforeOk: boolean;
}

/** Occurrences tested per block (nearInBlocks): its lists stay in the first-level cache. */
const BLOCK = 512;
const blockAt = new Uint32Array(BLOCK);
const blockAfter = new Int32Array(BLOCK);
const blockBefore = new Int32Array(BLOCK);

/**
 * A w/N within 31 words, a block of occurrences at a time: those in a message of `messages` picked
 * out (no branch), the windows of bits after and before each read in one pass (window32: each a
 * load independent of the others, so the processor has many cache misses in flight), then only
 * occurrences with a start in a window read the boundaries. Testing each occurrence as the walk met
 * it waited out one miss after another and mispredicted the branch on each window:
 * `kickback w/3 money` at 1M spent 210 µs there warm, 590 µs after another query (now 105 and 240).
 */
function nearInBlocks(
  t: NearTest, messages: Uint32Array | null, within: Uint32Array | null, list: Uint32Array, docs: Uint32Array, n: number, out: Uint32Array,
): void {
  const { boundaries } = t.layout;
  const { bits, bn, distance } = t;
  // Window bits of the positions after an occurrence (bit i: i + 1 after its end) and of those
  // before it (bit i: 32 - i before its start).
  const afterMask = t.afterOk ? (1 << distance) - 1 : 0;
  const beforeMask = t.beforeOk ? ~((1 << (32 - distance)) - 1) : 0;
  // Below this start, a window before the occurrence would reach below position 0.
  const low = 32 + bn;
  for (let i = 0; i < list.length; ) {
    const c = messages === null ? takeAll(list.length, i, blockAt) : takeIn(messages, docs, i, blockAt);
    i = c === BLOCK ? blockAt[BLOCK - 1]! + 1 : list.length;
    readWindows(bits, list, blockAt, c, n, bn, low, afterMask, beforeMask, blockAfter, blockBefore);
    for (let k = 0; k < c; k++) {
      const after = blockAfter[k]!;
      const before = blockBefore[k]!;
      const j = blockAt[k]!;
      const s = list[j]!;
      let near: boolean;
      if (s < low) {
        near = nearAt(t, s, s + n - 1);
      } else {
        if ((after | before) === 0) continue;
        const e = s + n - 1;
        // After e, below the first boundary after e (the bits below a's lowest; all when a is 0).
        const a = window32(boundaries, e + 1) & afterMask;
        // Before s, above the last boundary at or before s (bit 31 of the boundaries' window is s).
        let b = window32(boundaries, s - 31) & beforeMask;
        b |= b >>> 1;
        b |= b >>> 2;
        b |= b >>> 4;
        b |= b >>> 8;
        b |= b >>> 16;
        near = ((after & ((a & -a) - 1)) | (before & ~b)) !== 0;
      }
      if (!near) continue;
      const doc = docs[j]!;
      mark(out, within, doc);
    }
  }
}

/** Sets doc in `out` when it is in `within` (or `within` is null: all are wanted). */
function mark(out: Uint32Array, within: Uint32Array | null, doc: number): void {
  if (within === null || ((within[doc >>> 5]! >>> (doc & 31)) & 1) !== 0) out[doc >>> 5]! |= 1 << (doc & 31);
}

/** The indexes from `from` up to a block's worth (or the end) into `at`; their count. */
function takeAll(length: number, from: number, at: Uint32Array): number {
  const c = Math.min(BLOCK, length - from);
  for (let k = 0; k < c; k++) at[k] = from + k;
  return c;
}

/** The indexes from `from` up whose message is set in `messages`, up to a block's worth, into `at`; their count. */
function takeIn(messages: Uint32Array, docs: Uint32Array, from: number, at: Uint32Array): number {
  let c = 0;
  for (let i = from; i < docs.length && c < BLOCK; i++) {
    const d = docs[i]!;
    at[c] = i;
    c += (messages[d >>> 5]! >>> (d & 31)) & 1;
  }
  return c;
}

/** For each occurrence list[at[k]], the window of bits after its end and the one before its start (masked). */
function readWindows(
  bits: Uint32Array, list: Uint32Array, at: Uint32Array, c: number, n: number, bn: number, low: number, afterMask: number, beforeMask: number,
  after: Int32Array, before: Int32Array,
): void {
  for (let k = 0; k < c; k++) {
    const s = list[at[k]!]!;
    after[k] = window32(bits, s + n) & afterMask;
    // Below `low` the occurrence is tested without windows (nearAt): the read only stays in bounds.
    before[k] = window32(bits, s >= low ? s - bn - 31 : 0) & beforeMask;
  }
}

/** Whether the bits side has an occurrence within the distance of the one from s to e, in its field (any distance). */
function nearAt(t: NearTest, s: number, e: number): boolean {
  const { boundaries } = t.layout;
  const { bits, bn, distance } = t;
  const top = t.layout.tokenCount - 1;
  if (t.afterOk && e < top) {
    let hi = Math.min(e + distance, top);
    const q = firstBit(boundaries, e + 1, hi);
    if (q >= 0) hi = q - 1;
    if (hi > e && anyBit(bits, e + 1, hi)) return true;
  }
  if (t.beforeOk && s > 0) {
    let lo = Math.max(s - distance, 0);
    const q = lastBit(boundaries, lo + 1, s);
    if (q > lo) lo = q;
    const from = lo - (bn - 1);
    const to = s - 1 - (bn - 1);
    return to >= 0 && to >= from && anyBit(bits, Math.max(from, 0), to);
  }
  return false;
}

/** A w/N of 32 words or more: each occurrence in turn (in a message both sides are in, when `own` is at hand jumping to the next). */
function nearLoop(
  t: NearTest, messages: Uint32Array | null, own: Uint32Array | null, within: Uint32Array | null, list: Uint32Array, docs: Uint32Array, n: number,
  out: Uint32Array,
): void {
  // The message marked last: its other occurrences need no test.
  let marked = 0;
  for (let i = 0; i < list.length; i++) {
    const doc = docs[i]!;
    if (doc === marked) continue;
    if (messages !== null && ((messages[doc >>> 5]! >>> (doc & 31)) & 1) === 0) {
      if (own === null) continue;
      const next = nextInBoth(own, messages, doc + 1);
      if (next < 0) break;
      // The loop's step lands on the first occurrence in `next`.
      i = firstAtLeast(docs, i + 1, next) - 1;
      continue;
    }
    const s = list[i]!;
    if (!nearAt(t, s, s + n - 1)) continue;
    mark(out, within, doc);
    marked = doc;
  }
}

/** The first id from `from` up set in both bitmaps, or -1. */
function nextInBoth(a: Uint32Array, b: Uint32Array, from: number): number {
  let w = from >>> 5;
  const end = Math.min(a.length, b.length);
  if (w >= end) return -1;
  let v = a[w]! & b[w]! & (-1 << (from & 31));
  while (v === 0) {
    if (++w >= end) return -1;
    v = a[w]! & b[w]!;
  }
  return w * 32 + 31 - Math.clz32(v & -v);
}

/** The first index from `from` up whose value is at least `target` in an ascending array (its length when none): galloping, then halving. */
function firstAtLeast(values: Uint32Array, from: number, target: number): number {
  let step = 1;
  let lo = from;
  let hi = from;
  while (hi < values.length && values[hi]! < target) {
    lo = hi + 1;
    hi += step;
    step *= 2;
  }
  if (hi > values.length) hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The 32 bits of bits from position lo up (bit i: position lo + i). */
function window32(bits: Uint32Array, lo: number): number {
  const sh = lo & 31;
  const w = lo >>> 5;
  // Two shifts: a shift by 32 is a shift by 0 in JavaScript.
  return (bits[w]! >>> sh) | ((bits[w + 1]! << 1) << (31 - sh));
}
