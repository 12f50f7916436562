/**
 * Positional postings: term → the sorted positions of its occurrences in the index's token array
 * (message after message, in id order, so position order is message order). Phrases and
 * proximity are answered from these lists (proximity.ts), without reading each candidate's term sequence.
 *
 * They are stored with the index, one chunk per segment (`pos.<first id>`, beside `seg.<first id>`,
 * encrypted in the case like the rest): per term of the segment, its positions from the segment's
 * start as delta varints, behind a directory of the segment's terms. A term's list is decoded from
 * every segment when a query needs it (and kept in a small cache). Token ranges without a stored
 * chunk — messages added in memory above the watermark, or an index stored before positions were —
 * are counted in memory (a counting sort: two streaming passes, 4 bytes per occurrence).
 */
import { setIds } from './bitset.ts';
import { ByteLru } from './byte-lru.ts';
import { corrupt } from './index-store.ts';

/** One token range's postings: how many occurrences a term has there, and where (absolute positions). */
export interface Part {
  readonly from: number;
  readonly to: number;
  readonly occurrences: number;
  readonly bytes: number;
  count(t: number): number;
  /** Writes term t's positions into out from index o; returns the index after them. */
  copy(t: number, out: Uint32Array, o: number): number;
}

/** A range counted in memory from the term sequences. */
class BuiltPart implements Part {
  readonly from: number;
  readonly to: number;
  readonly start: Uint32Array;
  readonly at: Uint32Array;

  constructor(tokens: Uint32Array, from: number, to: number, vocabulary: number) {
    const start = new Uint32Array(vocabulary + 1);
    for (let i = from; i < to; i++) start[tokens[i]! + 1]!++;
    // Term 0 (the gap between fields) gets no list.
    start[1] = 0;
    for (let t = 1; t <= vocabulary; t++) start[t]! += start[t - 1]!;
    const at = new Uint32Array(start[vocabulary]!);
    const fill = start.slice(0, vocabulary);
    for (let i = from; i < to; i++) {
      const t = tokens[i]!;
      if (t !== 0) at[fill[t]!++] = i;
    }
    this.from = from;
    this.to = to;
    this.start = start;
    this.at = at;
  }

  get occurrences(): number {
    return this.at.length;
  }

  get bytes(): number {
    return this.at.byteLength + this.start.byteLength;
  }

  count(t: number): number {
    return t + 1 < this.start.length ? this.start[t + 1]! - this.start[t]! : 0;
  }

  list(t: number): Uint32Array {
    return t + 1 < this.start.length ? this.at.subarray(this.start[t]!, this.start[t + 1]!) : new Uint32Array(0);
  }

  copy(t: number, out: Uint32Array, o: number): number {
    const l = this.list(t);
    out.set(l, o);
    return o + l.length;
  }
}

const POSITIONS_MAGIC = 0x48465031; // "HFP1"

/**
 * A segment's positional postings: a 16-byte header (magic, distinct terms D, the segment's
 * tokens counting field gaps, varint bytes), then three Uint32 arrays of D — the terms ascending,
 * the running count of occurrences and the running byte length at each term's end — then per term
 * its positions (from the segment's first token) as unsigned LEB128: the first, then differences.
 */
export function encodePositions(termIds: ReadonlyArray<ArrayLike<number>>): Buffer {
  let n = 0;
  let maxTerm = 0;
  for (const ids of termIds) {
    n += ids.length;
    for (let k = 0; k < ids.length; k++) if (ids[k]! > maxTerm) maxTerm = ids[k]!;
  }
  const flat = new Uint32Array(n);
  let o = 0;
  for (const ids of termIds) for (let k = 0; k < ids.length; k++) flat[o++] = ids[k]!;
  const part = new BuiltPart(flat, 0, n, maxTerm + 1);
  const terms: number[] = [];
  for (let t = 1; t <= maxTerm; t++) if (part.count(t)) terms.push(t);
  const d = terms.length;
  let bytes = new Uint8Array(part.occurrences * 2 + 16);
  let at = 0;
  const dir = new Uint32Array(3 * d);
  for (let i = 0; i < d; i++) {
    const list = part.list(terms[i]!);
    if (at + 5 * list.length > bytes.length) {
      const grown = new Uint8Array(Math.max(bytes.length * 2, at + 5 * list.length));
      grown.set(bytes);
      bytes = grown;
    }
    let prev = 0;
    for (let k = 0; k < list.length; k++) {
      let v = list[k]! - prev;
      prev = list[k]!;
      while (v >= 0x80) {
        bytes[at++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      bytes[at++] = v;
    }
    dir[i] = terms[i]!;
    dir[d + i] = part.start[terms[i]! + 1]!;
    dir[2 * d + i] = at;
  }
  const out = Buffer.alloc(16 + 12 * d + at);
  out.writeUInt32LE(POSITIONS_MAGIC, 0);
  out.writeUInt32LE(d, 4);
  out.writeUInt32LE(n, 8);
  out.writeUInt32LE(at, 12);
  out.set(new Uint8Array(dir.buffer), 16);
  out.set(bytes.subarray(0, at), 16 + 12 * d);
  return out;
}

/** A stored segment's positional postings, decoded term by term as queries ask. */
export class StoredPart implements Part {
  readonly from: number;
  readonly to: number;
  readonly occurrences: number;
  private readonly terms: Uint32Array;
  private readonly occEnd: Uint32Array;
  private readonly byteEnd: Uint32Array;
  private readonly varints: Uint8Array;

  /** `data` is the stored chunk `key`; the segment's tokens are [from, from + tokens). */
  constructor(key: string, data: Uint8Array, from: number, tokens: number) {
    // A copy, so the directory is 4-byte aligned.
    const copy = new Uint8Array(data);
    const head = copy.length >= 16 ? new Uint32Array(copy.buffer, 0, 4) : null;
    const d = head?.[1] ?? 0;
    if (!head || head[0] !== POSITIONS_MAGIC || head[2] !== tokens || copy.length !== 16 + 12 * d + head[3]!) throw corrupt(key);
    this.terms = new Uint32Array(copy.buffer, 16, d);
    this.occEnd = new Uint32Array(copy.buffer, 16 + 4 * d, d);
    this.byteEnd = new Uint32Array(copy.buffer, 16 + 8 * d, d);
    this.varints = new Uint8Array(copy.buffer, 16 + 12 * d);
    if (d > 0 && (this.byteEnd[d - 1] !== this.varints.length || this.occEnd[d - 1]! > tokens)) throw corrupt(key);
    this.from = from;
    this.to = from + tokens;
    this.occurrences = d ? this.occEnd[d - 1]! : 0;
  }

  get bytes(): number {
    return this.varints.buffer.byteLength;
  }

  private find(t: number): number {
    const terms = this.terms;
    let lo = 0;
    let hi = terms.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (terms[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo < terms.length && terms[lo] === t ? lo : -1;
  }

  count(t: number): number {
    const i = this.find(t);
    return i < 0 ? 0 : this.occEnd[i]! - (i ? this.occEnd[i - 1]! : 0);
  }

  copy(t: number, out: Uint32Array, o: number): number {
    const i = this.find(t);
    if (i < 0) return o;
    const bytes = this.varints;
    const end = this.byteEnd[i]!;
    let at = i ? this.byteEnd[i - 1]! : 0;
    let p = this.from;
    while (at < end) {
      let b = bytes[at++]!;
      let v = b & 0x7f;
      let shift = 7;
      while (b >= 0x80) {
        b = bytes[at++]!;
        v |= (b & 0x7f) << shift;
        shift += 7;
      }
      p += v;
      out[o++] = p;
    }
    if (p >= this.to) throw corrupt(`positions of term ${t}`);
    return o;
  }
}

/** What answering phrases cost so far: term lists decoded from stored chunks, tokens counted in memory. */
export interface PositionStats {
  decoded: number;
  counted: number;
}

/** Decoded lists kept between queries (a phrase's common words are asked for again and again). */
const CACHE_BYTES = 96 * 2 ** 20;

/**
 * A term with a position in this many keeps its positions as a bitmap (a word in 0.7% of the tokens
 * at 1M: "money"; its bitmap is then 4 times its list with its messages). Setting and clearing its
 * bits again for each query cost ~0.2 ms of `kickback w/3 money`'s 1.4, and ~1 ms of `"wire the
 * money" w/10 offshore`'s 2.8 under a profiler. One share for phrases and w/N alike, so a query takes
 * the same way whatever ran before it.
 */
const BITMAP_SHARE = 256;

/**
 * A term's occurrences (or any of several terms'): positions ascending, and the message holding
 * each. A phrase or proximity marks its hits' messages from `doc`, read in order beside the
 * positions: looking each hit's message up in the offsets instead was a cache miss per hit, most
 * of the time of a phrase of common words at 1M.
 */
export interface Occurrences {
  readonly at: Uint32Array;
  readonly doc: Uint32Array;
}

/** The positional postings of the whole token array: its ranges in order. */
export class Positions {
  /** Tokens covered (the index's tokenCount when assembled). */
  readonly upTo: number;
  /** Occurrences, all terms. */
  readonly total: number;
  private readonly parts: readonly Part[];
  private readonly offsets: Uint32Array;
  private readonly maxId: number;
  private readonly stats: PositionStats;
  /** Decoded lists (key: the term) and common words' bitmaps (key: ~term), one budget. */
  private readonly cache = new ByteLru<number, Occurrences | Uint32Array>(CACHE_BYTES);

  /** `offsets` of messages 1..maxId: the message of each position. */
  constructor(parts: readonly Part[], upTo: number, offsets: Uint32Array, maxId: number, stats: PositionStats) {
    this.parts = parts;
    this.upTo = upTo;
    this.offsets = offsets;
    this.maxId = maxId;
    this.stats = stats;
    this.total = parts.reduce((n, p) => n + p.occurrences, 0);
  }

  /** Memory held (stored chunks and ranges counted in memory). */
  get bytes(): number {
    return this.parts.reduce((n, p) => n + p.bytes, 0);
  }

  /** How many positions the lists of `terms` hold together. */
  count(terms: readonly number[]): number {
    let n = 0;
    for (const t of terms) for (const p of this.parts) n += p.count(t);
    return n;
  }

  /** The occurrences of any of `terms` (one term's list as is; several merged). */
  of(terms: readonly number[]): Occurrences {
    if (terms.length === 1) return this.term(terms[0]!);
    if (terms.length === 0) return { at: new Uint32Array(0), doc: new Uint32Array(0) };
    let lists = terms.map((t) => this.term(t));
    // Merged two by two (each list is sorted; positions of different terms never coincide).
    while (lists.length > 1) {
      const next: Occurrences[] = [];
      for (let i = 0; i + 1 < lists.length; i += 2) next.push(mergeSorted(lists[i]!, lists[i + 1]!));
      if (lists.length % 2) next.push(lists[lists.length - 1]!);
      lists = next;
    }
    return lists[0]!;
  }

  /**
   * A term's positions as a bitmap over the token array, when the term holds at least one position
   * in BITMAP_SHARE; else null. A phrase checks its candidates against it instead of setting them as
   * bits and reading the term's whole list, a w/N tests windows of it instead of setting the list's
   * bits each time (both are bound by how many bytes they read). Kept in the cache with the lists.
   */
  bitmap(t: number): Uint32Array | null {
    const hit = this.cache.get(~t);
    if (hit instanceof Uint32Array) return hit;
    if (this.count([t]) * BITMAP_SHARE < this.upTo) return null;
    const bits = new Uint32Array((this.upTo >>> 5) + 2);
    setIds(bits, this.term(t).at);
    this.cache.set(~t, bits, bits.byteLength);
    return bits;
  }

  private term(t: number): Occurrences {
    const hit = this.cache.get(t);
    if (hit && !(hit instanceof Uint32Array)) return hit;
    const at = new Uint32Array(this.count([t]));
    let o = 0;
    for (const p of this.parts) {
      if (p instanceof StoredPart) this.stats.decoded++;
      o = p.copy(t, at, o);
    }
    const doc = new Uint32Array(at.length);
    fillDocs(at, new DocCursor(this.offsets, this.maxId), doc);
    const occ = { at, doc };
    const bytes = at.byteLength * 2;
    if (bytes <= CACHE_BYTES / 4) this.cache.set(t, occ, bytes);
    return occ;
  }
}

function fillDocs(at: Uint32Array, docs: DocCursor, out: Uint32Array): void {
  for (let i = 0; i < at.length; i++) out[i] = docs.at(at[i]!);
}

/**
 * The two ascending lists in one, ascending (a position in both is kept twice). One loop: the
 * usual tail loops run only once a call, after the main loop was optimised, and each time threw
 * the function back to the interpreter (no type feedback for them yet).
 */
export function mergeSorted(a: Occurrences, b: Occurrences): Occurrences {
  const at = new Uint32Array(a.at.length + b.at.length);
  const doc = new Uint32Array(at.length);
  mergeLoop(a.at, a.doc, b.at, b.doc, at, doc);
  return { at, doc };
}

function mergeLoop(aAt: Uint32Array, aDoc: Uint32Array, bAt: Uint32Array, bDoc: Uint32Array, at: Uint32Array, doc: Uint32Array): void {
  const na = aAt.length;
  const nb = bAt.length;
  let i = 0;
  let j = 0;
  for (let o = 0; o < at.length; o++) {
    if (j >= nb || (i < na && aAt[i]! < bAt[j]!)) {
      at[o] = aAt[i]!;
      doc[o] = aDoc[i++]!;
    } else {
      at[o] = bAt[j]!;
      doc[o] = bDoc[j++]!;
    }
  }
}

/** A stored segment's token range: its postings once read (`chunk`), the stored chunk's key until then (null when none is stored). */
export interface PositionRange {
  from: number;
  to: number;
  key: string | null;
  chunk: StoredPart | null;
}

/**
 * The postings of tokens [0, tokenCount): the stored ranges as they are, every run of ranges
 * without a chunk (and the tail above them) counted in memory. `counted` keeps the ranges counted
 * by an earlier call (by start), which do not change; the tail is counted again when it grew.
 */
export function assemblePositions(
  tokens: Uint32Array, tokenCount: number, vocabulary: number, offsets: Uint32Array, maxId: number,
  ranges: readonly PositionRange[], counted: Map<number, Part>, stats: PositionStats,
): Positions {
  const parts: Part[] = [];
  const countRange = (from: number, to: number) => {
    let p = counted.get(from);
    if (!p || p.to !== to) {
      p = new BuiltPart(tokens, from, to, vocabulary);
      counted.set(from, p);
      stats.counted += to - from;
    }
    parts.push(p);
  };
  let at = 0;
  for (const r of ranges) {
    if (!r.chunk) continue;
    if (r.from > at) countRange(at, r.from);
    parts.push(r.chunk);
    at = r.to;
  }
  if (tokenCount > at) countRange(at, tokenCount);
  return new Positions(parts, tokenCount, offsets, maxId, stats);
}

/** The postings of a token array counted in memory (tests). */
export function buildPositions(tokens: Uint32Array, tokenCount: number, vocabulary: number, offsets: Uint32Array, maxId: number): Positions {
  return assemblePositions(tokens, tokenCount, vocabulary, offsets, maxId, [], new Map(), { decoded: 0, counted: 0 });
}

/**
 * The messages of ascending positions: each found by galloping forward from the last one, so a
 * run of nearby positions costs a step or two each instead of a binary search over every message
 * (a walk up the token array; proximity.ts's MessageMap answers positions far apart).
 */
export class DocCursor {
  private doc = 1;
  private readonly offsets: Uint32Array;
  private readonly maxId: number;

  constructor(offsets: Uint32Array, maxId: number) {
    this.offsets = offsets;
    this.maxId = maxId;
  }

  /** The message holding `p`, which is not below any position asked before. */
  at(p: number): number {
    const offsets = this.offsets;
    const maxId = this.maxId;
    let lo = this.doc;
    if (lo >= maxId || offsets[lo + 1]! > p) return lo;
    // offsets[lo] ≤ p: gallop to an id whose offset is past p (or the end), then halve.
    let step = 1;
    let hi = lo + 1;
    while (hi <= maxId && offsets[hi]! <= p) {
      lo = hi;
      step <<= 1;
      hi = lo + step;
    }
    if (hi > maxId + 1) hi = maxId + 1;
    while (lo + 1 < hi) {
      const mid = (lo + hi) >>> 1;
      if (offsets[mid]! <= p) lo = mid;
      else hi = mid;
    }
    this.doc = lo;
    return lo;
  }
}
