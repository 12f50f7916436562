/**
 * The index of an open case, in memory.
 *
 * FlexSearch (an `Index` with tokenize "strict") holds the inverted index: term → message ids in
 * relevance slots (where in the message the term first occurs). Around it, kept in typed arrays:
 * - the term dictionary (term id ↔ term), with a sorted permutation for prefix* and CJK expansion;
 * - every message's term sequence (term ids, 0 between fields), for exact phrases and re-ranking;
 * - the positional postings of the stored segments (positions.ts), for phrases and proximity;
 * - per-message attributes (conversation, sender, time, flags) for the filters;
 * - the set of live messages: a deleted message is dropped from results at once and from the
 *   postings at the next load (FlexSearch's own remove() scans every posting list per id).
 * Message ids are SQLite AUTOINCREMENT ids, never reused, added in ascending order.
 */
import { Index } from 'flexsearch';
import { distance } from 'fastest-levenshtein';
import { Bitset } from './bitset.ts';
import type { IndexDoc } from './docs.ts';
import { decodeSegment } from './index-store.ts';
import type { SegmentTarget, StoredIndex } from './index-store.ts';
import { assemblePositions, StoredPart } from './positions.ts';
import type { Part, PositionRange, PositionStats, Positions } from './positions.ts';
import { stemmer } from './stem.ts';
import { MAX_TERM_LENGTH, terms as tokenTerms } from './tokenize.ts';

/** Relevance slots per term (FlexSearch's `resolution`). Chosen by test/bench/search-configs.ts. */
export const DEFAULT_RESOLUTION = 3;

/** A term's relevance slot from its position among the message's terms (FlexSearch's default formula). */
export function slotOf(resolution: number, length: number, i: number): number {
  if (i === 0 || resolution <= 1) return 0;
  return length <= resolution ? i : (((resolution - 1) / length) * i + 1) | 0;
}

/** FlexSearch's intermediate result: ids per relevance slot. */
export type Slots = Array<Array<number | string> | undefined>;

interface Resolved {
  result: Slots;
}

export class MemoryIndex {
  readonly resolution: number;
  readonly flex: Index;
  /** Term id → term; id 0 is the gap between fields. */
  terms: string[] = [''];
  private termIds: Map<string, number> | null = null;
  /** Term ids ordered by term (JS string order); terms with id >= sortedUpTo are not yet merged in. */
  private sorted: Uint32Array = new Uint32Array(0);
  private sortedUpTo = 1;
  /** Highest message id indexed: everything at or below it is in (or was deliberately dropped from) the index. */
  maxId = 0;
  offsets: Uint32Array = new Uint32Array(1024);
  tokens: Uint32Array = new Uint32Array(16_384);
  tokenCount = 0;
  conversation: Uint32Array = new Uint32Array(1024);
  sender: Uint32Array = new Uint32Array(1024);
  sentAt: Float64Array = new Float64Array(1024);
  flags: Uint8Array = new Uint8Array(1024);
  live = new Bitset(1024);
  liveCount = 0;
  /** Messages indexed at or below maxId, live or not (the consistency check compares with the table). */
  docCount = 0;
  /** Bumped on every change (caches derived from the live set compare it). */
  generation = 0;
  /**
   * Whether every id in FlexSearch's postings is live: true from a load (postings are built from
   * live messages only) and through additions, false after the first removal (tombstones stay in
   * the postings until the next load). While true, a term's live count is its postings' length.
   */
  postingsAllLive = true;

  constructor(resolution = DEFAULT_RESOLUTION) {
    this.resolution = resolution;
    const res = resolution;
    this.flex = new Index({
      tokenize: 'strict',
      resolution: res,
      // Terms come from our tokenizer already folded, joined by single spaces.
      encode: (text: string) => (text ? text.split(' ') : []),
      score: (content: string[], _term: string, i: number) => slotOf(res, content.length, i),
    });
  }

  private ensureIdCapacity(id: number): void {
    if (id + 2 <= this.offsets.length) return;
    let n = this.offsets.length;
    while (id + 2 > n) n *= 2;
    const grow = <T extends Uint32Array | Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.offsets = grow(this.offsets, (k) => new Uint32Array(k));
    this.conversation = grow(this.conversation, (k) => new Uint32Array(k));
    this.sender = grow(this.sender, (k) => new Uint32Array(k));
    this.sentAt = grow(this.sentAt, (k) => new Float64Array(k));
    this.flags = grow(this.flags, (k) => new Uint8Array(k));
    const live = new Bitset(n);
    live.words.set(this.live.words);
    this.live = live;
  }

  private ensureTokenCapacity(extra: number): void {
    const need = this.tokenCount + extra;
    if (need <= this.tokens.length) return;
    let n = this.tokens.length;
    while (need > n) n = Math.ceil(n * 1.5);
    const t = new Uint32Array(n);
    t.set(this.tokens.subarray(0, this.tokenCount));
    this.tokens = t;
  }

  private idOf(term: string): number {
    this.termIds ??= new Map(this.terms.map((t, i) => [t, i]));
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.terms.push(term);
      this.termIds.set(term, id);
    }
    return id;
  }

  /** Adds messages (ascending ids above maxId): tokenizes, feeds FlexSearch, records terms and attributes. */
  addDocs(docs: readonly IndexDoc[]): void {
    for (const doc of docs) {
      const ids: number[] = [];
      for (let f = 0; f < doc.fields.length; f++) {
        if (f > 0) ids.push(0);
        for (const t of tokenTerms(doc.fields[f]!)) ids.push(this.idOf(t));
      }
      this.addTokenized(doc, ids);
    }
  }

  /** Adds one message whose term ids are known (0 = field gap). */
  addTokenized(doc: Omit<IndexDoc, 'fields'>, termIds: ArrayLike<number>): void {
    const id = doc.id;
    if (id <= this.maxId) throw new Error(`search index: message ${id} added out of order (indexed up to ${this.maxId})`);
    this.ensureIdCapacity(id);
    this.ensureTokenCapacity(termIds.length);
    for (let k = this.maxId + 1; k <= id; k++) this.offsets[k] = this.tokenCount;
    const content: string[] = [];
    for (let i = 0; i < termIds.length; i++) {
      const t = termIds[i]!;
      this.tokens[this.tokenCount++] = t;
      if (t !== 0) content.push(this.terms[t]!);
    }
    this.offsets[id + 1] = this.tokenCount;
    this.conversation[id] = doc.conversationId;
    this.sender[id] = doc.senderId;
    this.sentAt[id] = doc.sentAt;
    this.flags[id] = doc.flags;
    this.live.add(id);
    this.liveCount++;
    this.docCount++;
    this.maxId = id;
    this.generation++;
    if (content.length) this.flex.add(id, content.join(' '));
  }

  /**
   * Builds the index from its stored form: typed arrays are adopted, and FlexSearch's postings are
   * computed from the term sequences (the same slots its add() gives) and handed to its import().
   */
  static fromStored(stored: StoredIndex, resolution = DEFAULT_RESOLUTION): MemoryIndex {
    const steps = MemoryIndex.build(stored, resolution);
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
    }
  }

  /** fromStored in steps of a few tens of milliseconds (the app's main thread yields in between). */
  static *build(stored: StoredIndex, resolution = DEFAULT_RESOLUTION): Generator<undefined, MemoryIndex> {
    const ix = new MemoryIndex(resolution);
    const maxId = stored.meta.watermark;
    let totalTokens = 0;
    for (const s of stored.segments) totalTokens += s.terms;
    ix.terms = stored.terms;
    ix.setSorted(stored.sorted, stored.sorted.length + 1);
    ix.offsets = new Uint32Array(maxId + 2);
    ix.tokens = new Uint32Array(Math.max(totalTokens, 1024));
    ix.conversation = new Uint32Array(maxId + 2);
    ix.sender = new Uint32Array(maxId + 2);
    ix.sentAt = new Float64Array(maxId + 2);
    ix.flags = new Uint8Array(maxId + 2);
    const live = new Bitset(maxId + 2);
    ix.live = live;
    const target: SegmentTarget = { ...ix.arrays(), onDoc: (id) => live.add(id) };
    let at = { lastId: 0, tokenAt: 0 };
    for (const s of stored.segments) {
      const from = at.tokenAt;
      at = decodeSegment(s, target, at.lastId, at.tokenAt, stored.terms.length);
      ix.positionRanges.push({ from, to: at.tokenAt, key: s.positions, chunk: null });
      yield;
    }
    for (let k = at.lastId + 1; k <= maxId + 1; k++) ix.offsets[k] = at.tokenAt;
    ix.tokenCount = at.tokenAt;
    ix.maxId = maxId;
    ix.docCount = stored.meta.docs;
    for (const d of stored.dead) for (const id of d) live.delete(id);
    ix.liveCount = live.count();
    yield* ix.importPostings();
    return ix;
  }

  private arrays(): Omit<SegmentTarget, 'onDoc'> {
    return { offsets: this.offsets, tokens: this.tokens, conversation: this.conversation, sender: this.sender, sentAt: this.sentAt, flags: this.flags };
  }

  /**
   * FlexSearch's map (term → ids per relevance slot) for every live message, exactly as its add()
   * builds it (first occurrence of a term decides its slot), counted first so every id list is
   * allocated at its final size, then handed to FlexSearch's import().
   */
  private *importPostings(): Generator<undefined, void> {
    const res = this.resolution;
    const V = this.terms.length;
    // Postings are gathered in message order as (term·slot, id) pairs, then grouped by a stable
    // radix sort: every memory access streams, where filling per-term lists directly jumps
    // through memory once per term occurrence (several times slower with a large vocabulary).
    const pairs = collectPostings(res, this.tokens, this.offsets, this.live.words, this.maxId);
    yield;
    const sorted = radixSort(pairs.keys, pairs.ids, pairs.count, V * res);
    yield;
    const slots = new Array<Slots | undefined>(V);
    const { keys, ids } = sorted;
    for (let at = 0; at < pairs.count; ) {
      const key = keys[at]!;
      let end = at + 1;
      while (end < pairs.count && keys[end] === key) end++;
      const list = new Array<number>(end - at);
      for (let k = at; k < end; k++) list[k - at] = ids[k]!;
      const t = (key / res) | 0;
      (slots[t] ??= [])[key - t * res] = list;
      at = end;
    }
    yield;
    // import() takes the parsed form of its own export (it JSON.parses strings, uses arrays as
    // they are). Its id register is left empty: it only serves update()/remove()/contain(),
    // which Holdfast never calls (deletions are tombstones, see README).
    const load = this.flex.import as unknown as (key: string, data: unknown) => void;
    for (let from = 1; from < V; from += 100_000) {
      const entries: Array<[string, Slots]> = [];
      for (let t = from; t < Math.min(V, from + 100_000); t++) {
        const sl = slots[t];
        if (sl) entries.push([this.terms[t]!, sl]);
      }
      load.call(this.flex, 'map', entries);
      yield;
    }
  }

  /** Drops messages from every result. Returns how many were live. */
  remove(ids: Iterable<number>): number {
    let n = 0;
    for (const id of ids) {
      if (id > 0 && id <= this.maxId && this.live.has(id)) {
        this.live.delete(id);
        this.liveCount--;
        n++;
      }
    }
    if (n) {
      this.generation++;
      this.postingsAllLive = false;
    }
    return n;
  }

  private scores: Float32Array | null = null;
  private positional: Positions | null = null;
  /** The stored segments' token ranges and their positional postings (null where none is stored). */
  private readonly positionRanges: PositionRange[] = [];
  /** Ranges without stored postings, counted in memory on first use (by start). */
  private readonly countedRanges = new Map<number, Part>();
  /** Term lists decoded from stored postings, tokens counted in memory (tests and benchmarks). */
  readonly positionStats: PositionStats = { decoded: 0, counted: 0 };
  /**
   * Reads a stored positions chunk (null when it is gone or belongs to a rebuilt index): set by
   * whoever loaded the index. The chunks are read on first need, not at open: the open stays as fast.
   */
  readPositionChunk: ((key: string) => Buffer | null) | null = null;

  /** Reads the stored positions chunks not read yet, one per step. */
  *loadPositionChunks(): Generator<undefined> {
    for (const r of this.positionRanges) {
      if (!r.key || r.chunk) continue;
      const data = this.readPositionChunk?.(r.key) ?? null;
      if (data) r.chunk = new StoredPart(r.key, data, r.from, r.to - r.from);
      else r.key = null;
      this.positional = null;
      yield;
    }
  }

  /** The positional postings: the stored ones, and those of tokens added since counted in memory (again once more were added). */
  positions(): Positions {
    for (const _ of this.loadPositionChunks());
    if (!this.positional || this.positional.upTo !== this.tokenCount) {
      this.positional = null;
      this.positional = assemblePositions(this.tokens, this.tokenCount, this.terms.length, this.positionRanges, this.countedRanges, this.positionStats);
    }
    return this.positional;
  }

  /** A zeroed score per message id, reused from query to query (valid until the next call). */
  scratchScores(): Float32Array {
    if (!this.scores || this.scores.length < this.maxId + 1) this.scores = new Float32Array(this.maxId + 1);
    else this.scores.fill(0);
    return this.scores;
  }

  /** The relevance slots of a term, straight from FlexSearch. */
  postings(term: string): Slots {
    const r = this.flex.search(term, { resolve: false }) as unknown as Resolved;
    return r.result;
  }

  private ensureSorted(): void {
    if (this.sortedUpTo === this.terms.length) return;
    const terms = this.terms;
    const added = new Uint32Array(terms.length - this.sortedUpTo);
    for (let i = 0; i < added.length; i++) added[i] = this.sortedUpTo + i;
    added.sort((a, b) => (terms[a]! < terms[b]! ? -1 : terms[a]! > terms[b]! ? 1 : 0));
    const merged = new Uint32Array(this.sorted.length + added.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < this.sorted.length && j < added.length) {
      merged[k++] = terms[this.sorted[i]!]! <= terms[added[j]!]! ? this.sorted[i++]! : added[j++]!;
    }
    while (i < this.sorted.length) merged[k++] = this.sorted[i++]!;
    while (j < added.length) merged[k++] = added[j++]!;
    this.sorted = merged;
    this.sortedUpTo = terms.length;
  }

  /** Replaces the sorted permutation (a persisted one, covering term ids below `upTo`). */
  setSorted(sorted: Uint32Array, upTo: number): void {
    this.sorted = sorted;
    this.sortedUpTo = upTo;
  }

  private lowerBound(key: string): number {
    this.ensureSorted();
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.terms[this.sorted[mid]!]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  termId(term: string): number | undefined {
    if (this.termIds) return this.termIds.get(term);
    const at = this.lowerBound(term);
    const id = this.sorted[at];
    return id !== undefined && this.terms[id] === term ? id : undefined;
  }

  /** Ids of every term starting with `prefix`. */
  prefixTerms(prefix: string): number[] {
    const out: number[] = [];
    for (let at = this.lowerBound(prefix); at < this.sorted.length; at++) {
      const id = this.sorted[at]!;
      if (!this.terms[id]!.startsWith(prefix)) break;
      out.push(id);
    }
    return out;
  }

  /**
   * Ids of every term within `edits` edits (Levenshtein, in UTF-16 units) of `term`: one pass
   * over the dictionary, the length difference checked before the distance.
   */
  fuzzyTerms(term: string, edits: number): number[] {
    const out: number[] = [];
    const terms = this.terms;
    const len = term.length;
    for (let id = 1; id < terms.length; id++) {
      const t = terms[id]!;
      const d = t.length - len;
      if (d > edits || d < -edits) continue;
      if (distance(t, term) <= edits) out.push(id);
    }
    return out;
  }

  /** Ids of every term containing `text`, and of every term cut at MAX_TERM_LENGTH (its rest could). */
  termsContaining(text: string): number[] {
    const out: number[] = [];
    const terms = this.terms;
    for (let id = 1; id < terms.length; id++) {
      const t = terms[id]!;
      if (t.length >= MAX_TERM_LENGTH || t.includes(text)) out.push(id);
    }
    return out;
  }

  /** Per language: stem → ids of the terms with that stem, extended as terms are added. */
  private stems = new Map<string, { upTo: number; byStem: Map<string, number[]> }>();

  /** Ids of every term whose stem in `lang` is the stem of `term`. */
  stemTerms(term: string, lang: string): number[] {
    const stem = stemmer(lang);
    let entry = this.stems.get(lang);
    if (!entry) {
      entry = { upTo: 1, byStem: new Map() };
      this.stems.set(lang, entry);
    }
    for (; entry.upTo < this.terms.length; entry.upTo++) {
      const s = stem(this.terms[entry.upTo]!);
      const list = entry.byStem.get(s);
      if (list) list.push(entry.upTo);
      else entry.byStem.set(s, [entry.upTo]);
    }
    return entry.byStem.get(stem(term)) ?? [];
  }

  /** Ids of CJK terms (unigrams and bigrams) that contain the character `ch`. */
  cjkTermsContaining(ch: string): number[] {
    const out = new Set(this.prefixTerms(ch));
    // CJK terms sort together (U+2E80 and up, surrogates for the supplementary ideographs).
    for (let at = this.lowerBound('\u2e80'); at < this.sorted.length; at++) {
      const id = this.sorted[at]!;
      const t = this.terms[id]!;
      if (t.endsWith(ch) && [...t].length <= 2) out.add(id);
    }
    return [...out];
  }
}

/**
 * Every live message's postings as (term × resolution + slot, id), ids ascending: a term's first
 * occurrence in a message decides its slot, as in FlexSearch's add() (same formula as slotOf()).
 */
function collectPostings(res: number, tokens: Uint32Array, offsets: Uint32Array, live: Uint32Array, maxId: number): { keys: Uint32Array; ids: Uint32Array; count: number } {
  const keys = new Uint32Array(offsets[maxId + 1]!);
  const ids = new Uint32Array(keys.length);
  let count = 0;
  for (let id = 1; id <= maxId; id++) {
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
        const slot = i === 0 || res <= 1 ? 0 : n <= res ? i : (((res - 1) / n) * i + 1) | 0;
        keys[count] = t * res + slot;
        ids[count++] = id;
      }
      i++;
    }
  }
  return { keys, ids, count };
}

/** Stable LSD radix sort of the first `count` pairs by key (keys below `limit`), 11 bits a pass. */
function radixSort(keys: Uint32Array, ids: Uint32Array, count: number, limit: number): { keys: Uint32Array; ids: Uint32Array } {
  const BITS = 11;
  const RADIX = 1 << BITS;
  let k1: Uint32Array = keys;
  let v1: Uint32Array = ids;
  let k2: Uint32Array = new Uint32Array(count);
  let v2: Uint32Array = new Uint32Array(count);
  const bucket = new Uint32Array(RADIX);
  for (let shift = 0; limit > 0 && (limit - 1) >>> shift > 0; shift += BITS) {
    bucket.fill(0);
    for (let i = 0; i < count; i++) bucket[(k1[i]! >>> shift) & (RADIX - 1)]!++;
    let sum = 0;
    for (let b = 0; b < RADIX; b++) {
      const c = bucket[b]!;
      bucket[b] = sum;
      sum += c;
    }
    for (let i = 0; i < count; i++) {
      const d = (k1[i]! >>> shift) & (RADIX - 1);
      const to = bucket[d]!++;
      k2[to] = k1[i]!;
      v2[to] = v1[i]!;
    }
    [k1, k2] = [k2, k1];
    [v1, v2] = [v2, v1];
  }
  return { keys: k1, ids: v1 };
}
