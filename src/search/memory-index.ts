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
import { ByteLru } from './byte-lru.ts';
import type { IndexDoc } from './docs.ts';
import { decodeSegment } from './index-store.ts';
import type { SegmentTarget, StoredIndex, StoredSegment } from './index-store.ts';
import { assemblePositions, StoredPart } from './positions.ts';
import { TokenLayout } from './proximity.ts';
import { groupPostings, PostingPairs, radixSort, slotOf, termSlots } from './postings-build.ts';
import type { Slots, TokenArrays } from './postings-build.ts';
import type { Part, PositionRange, PositionStats, Positions } from './positions.ts';
import { stemmer } from './stem.ts';
import { MAX_TERM_LENGTH, terms as tokenTerms } from './tokenize.ts';

/** Relevance slots per term (FlexSearch's `resolution`). Chosen by test/bench/search-configs.ts. */
export const DEFAULT_RESOLUTION = 3;


/**
 * Until the postings are built after a load: a query's terms not yet computed are found in one
 * pass over the token array (~20-40 ms at 1M messages, the whole build ~1.4 s). More terms than
 * this in one query, or more passes than this since the load, and the build runs to its end.
 */
const MAX_TERMS_PER_PASS = 256;
const MAX_TERM_PASSES = 16;

/** What slotBitmaps and messagesWith may keep (~64 terms at 1M messages, 500 KB each). */
const SLOT_BITMAP_BYTES = 32 * 2 ** 20;

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
    this.storeOnly = false;
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
    if (!this.postingsBuilt) {
      // The token array holds it: the build adds it, and a term's postings are computed again.
      for (let i = 0; i < termIds.length; i++) this.materialized.delete(termIds[i]!);
    } else if (content.length) this.flex.add(id, content.join(' '));
  }

  /**
   * Builds the index from its stored form: typed arrays are adopted; FlexSearch's postings are
   * computed from the term sequences (the same slots its add() gives) later, a term when a query
   * first needs it or all by buildPostings, and handed to its import().
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
    ix.postingsBuilt = false;
    return ix;
  }

  /**
   * Whether everything in this index came from the store (a load, then appendStored): its term ids
   * are the store's, so segments another connection stores can be appended as they are.
   */
  get fromStoreOnly(): boolean {
    return this.storeOnly;
  }

  /** True while nothing was added in memory (an empty index is the start of any stored one). */
  private storeOnly = true;

  /**
   * Appends segments stored since this index was loaded (by another connection's import), their new
   * terms first: decoded like a load, nothing tokenized. Only while fromStoreOnly.
   */
  appendStored(terms: readonly string[], segments: readonly StoredSegment[], watermark: number): void {
    if (!this.storeOnly) throw new Error('search index: stored segments appended to an index that was added to in memory');
    for (const t of terms) {
      this.termIds?.set(t, this.terms.length);
      this.terms.push(t);
    }
    let tokens = 0;
    for (const s of segments) tokens += s.terms;
    this.ensureIdCapacity(watermark);
    this.ensureTokenCapacity(tokens);
    const first = this.maxId + 1;
    const live = this.live;
    const target: SegmentTarget = { ...this.arrays(), onDoc: (id) => live.add(id) };
    let at = { lastId: this.maxId, tokenAt: this.tokenCount };
    for (const s of segments) {
      const from = at.tokenAt;
      at = decodeSegment(s, target, at.lastId, at.tokenAt, this.terms.length);
      this.positionRanges.push({ from, to: at.tokenAt, key: s.positions, chunk: null });
      this.docCount += s.messages;
    }
    this.tokenCount = at.tokenAt;
    this.maxId = at.lastId;
    this.liveCount = live.count();
    this.positional = null;
    this.generation++;
    for (let id = first; id <= this.maxId; id++) {
      const s = this.offsets[id]!;
      const e = this.offsets[id + 1]!;
      if (!this.postingsBuilt) {
        for (let k = s; k < e; k++) this.materialized.delete(this.tokens[k]!);
        continue;
      }
      this.addToFlex(id);
    }
  }

  /** Hands message `id` (already in the token array) to FlexSearch's add(). */
  private addToFlex(id: number): void {
    const content: string[] = [];
    for (let k = this.offsets[id]!; k < this.offsets[id + 1]!; k++) if (this.tokens[k] !== 0) content.push(this.terms[this.tokens[k]!]!);
    if (content.length) this.flex.add(id, content.join(' '));
  }

  private arrays(): Omit<SegmentTarget, 'onDoc'> {
    return { offsets: this.offsets, tokens: this.tokens, conversation: this.conversation, sender: this.sender, sentAt: this.sentAt, flags: this.flags };
  }

  /**
   * Whether FlexSearch holds every term's postings. A load from the stored index leaves them to be
   * built (buildPostings: the app runs it in the background after the open; a query that needs
   * many terms first runs it to the end), so the first search does not wait for them: until then a
   * term's postings are computed from the token array when a query first asks for them
   * (`materialized`), and additions go to the token array only.
   */
  private postingsBuilt = true;
  /** Terms whose postings FlexSearch holds while postingsBuilt is false. */
  private readonly materialized = new Set<number>();
  /** Passes over the token array made for terms since the load. */
  private termPasses = 0;
  private building: Generator<undefined, void> | null = null;

  private tokenArrays(): TokenArrays {
    return { tokens: this.tokens, offsets: this.offsets, maxId: this.maxId, live: this.live.words, resolution: this.resolution };
  }

  /** Whether every term's postings are in FlexSearch (tests and benchmarks). */
  get allPostingsBuilt(): boolean {
    return this.postingsBuilt;
  }

  /**
   * Makes sure FlexSearch holds the postings of these terms: one pass over the token array for
   * those it does not, or the whole build when the passes would cost more than it.
   */
  preparePostings(termIds: readonly number[]): void {
    if (this.postingsBuilt) return;
    const missing = [...new Set(termIds)].filter((t) => t > 0 && t < this.terms.length && !this.materialized.has(t));
    if (missing.length === 0) return;
    if (missing.length > MAX_TERMS_PER_PASS || ++this.termPasses > MAX_TERM_PASSES) {
      this.finishPostings();
      return;
    }
    const lists = termSlots(this.tokenArrays(), missing, this.terms.length);
    const entries: Array<[string, Slots]> = [];
    missing.forEach((t, w) => {
      this.materialized.add(t);
      if (lists[w]!.length) entries.push([this.terms[t]!, lists[w]!]);
    });
    if (entries.length) this.importEntries(entries);
  }

  private importEntries(entries: Array<[string, Slots]>): void {
    // import() takes the parsed form of its own export (it JSON.parses strings, uses arrays as
    // they are) and sets each term's entry. Its id register is left empty: it only serves
    // update()/remove()/contain(), which Holdfast never calls (deletions are tombstones, see README).
    const load = this.flex.import as unknown as (key: string, data: unknown) => void;
    load.call(this.flex, 'map', entries);
  }

  /** Runs the postings build to its end now (one already under way goes on from where it is). */
  finishPostings(): void {
    if (this.postingsBuilt) return;
    const steps = (this.building ??= this.buildPostings());
    while (!steps.next().done);
  }

  /** One step (a few tens of milliseconds at 1M messages) of the postings build; false once built. */
  stepPostings(): boolean {
    if (this.postingsBuilt) return false;
    const steps = (this.building ??= this.buildPostings());
    return !steps.next().done;
  }

  /**
   * Every live message's postings, gathered in message order as (term·slot, id) pairs, grouped by
   * a radix sort, handed to FlexSearch's import(). Messages added while it runs (an import into
   * the open case) are added to FlexSearch at its end, in the same step as the import, so no query
   * sees a term half done.
   */
  private *buildPostings(): Generator<undefined, void> {
    const res = this.resolution;
    const a = this.tokenArrays();
    const pairs = new PostingPairs(a);
    while (!pairs.done) {
      pairs.collect(50_000);
      yield;
    }
    const sorted = yield* radixSort(pairs.keys, pairs.ids, pairs.count, this.terms.length * res);
    const slots = groupPostings(sorted.keys, sorted.ids, pairs.count, res, this.terms.length);
    const entries: Array<[string, Slots]> = [];
    for (let t = 1; t < slots.length; t++) {
      const sl = slots[t];
      if (sl) entries.push([this.terms[t]!, sl]);
    }
    // Terms materialized meanwhile hold ids above a.maxId that the additions below would add again.
    const map = (this.flex as unknown as { map: Map<string, unknown> }).map;
    for (const t of this.materialized) if (!slots[t]) map.delete(this.terms[t]!);
    this.importEntries(entries);
    for (let id = a.maxId + 1; id <= this.maxId; id++) {
      if (this.live.has(id)) this.addToFlex(id);
    }
    this.postingsBuilt = true;
    this.materialized.clear();
    this.building = null;
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
  private ids = new Uint32Array(0);
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
    // Set only once every chunk was read; reading one or appending ranges clears it.
    if (this.positional?.upTo === this.tokenCount) return this.positional;
    for (const _ of this.loadPositionChunks());
    // The old postings go before the new ones are assembled.
    this.positional = null;
    this.positional = assemblePositions(
      this.tokens, this.tokenCount, this.terms.length, this.offsets, this.maxId, this.positionRanges, this.countedRanges, this.positionStats,
    );
    return this.positional;
  }

  private tokenLayout: TokenLayout | null = null;

  /** Where messages and fields start in the token array (built again once messages were added). */
  layout(): TokenLayout {
    const l = this.tokenLayout;
    if (l && l.tokenCount === this.tokenCount && l.maxId === this.maxId) return l;
    return (this.tokenLayout = new TokenLayout(this.tokens, this.tokenCount, this.offsets, this.maxId));
  }

  /**
   * Room for n ids, reused from query to query (valid until the next call; contents undefined): a
   * common word's slot copied afresh each query (~230 KB at 1M) was new pages from the system each
   * time, a third of `price`'s time in the kernel.
   */
  scratchIds(n: number): Uint32Array {
    if (this.ids.length < n) this.ids = new Uint32Array(Math.max(n, this.ids.length * 2));
    return this.ids.subarray(0, n);
  }

  /** A zeroed score per message id, reused from query to query (valid until the next call). */
  scratchScores(): Float32Array {
    if (!this.scores || this.scores.length < this.maxId + 1) this.scores = new Float32Array(this.maxId + 1);
    else this.scores.fill(0);
    return this.scores;
  }

  /** Per term, its postings as one bitmap of ids per relevance slot and all slots together. */
  private readonly slotBitmapCache = new ByteLru<number, { slots: Uint32Array[]; all: Uint32Array }>(SLOT_BITMAP_BYTES);
  /** The maxId the cached bitmaps were made at: postings only change by additions, which raise it. */
  private slotBitmapsAt = -1;

  /**
   * A term's postings (live or not) as one bitmap over message ids per relevance slot, kept between
   * queries up to SLOT_BITMAP_BYTES: a phrase or proximity over common words ranks its matches by
   * them, and making them again from the postings for each query was ~1 ms of a 9 ms phrase at 1M.
   * Shared: read only.
   */
  slotBitmaps(termId: number): Uint32Array[] {
    return this.termBitmaps(termId).slots;
  }

  /** The messages holding a term (live or not), as a bitmap over ids kept with its slot bitmaps. Shared: read only. */
  messagesWith(termId: number): Uint32Array {
    return this.termBitmaps(termId).all;
  }

  private termBitmaps(termId: number): { slots: Uint32Array[]; all: Uint32Array } {
    const cache = this.slotBitmapCache;
    if (this.slotBitmapsAt !== this.maxId) {
      cache.clear();
      this.slotBitmapsAt = this.maxId;
    }
    const hit = cache.get(termId);
    if (hit) return hit;
    const postings = this.postings(this.terms[termId]!);
    const words = (this.maxId + 1 >>> 5) + 1;
    const all = new Uint32Array(words);
    const slots: Uint32Array[] = [];
    for (let s = 0; s < this.resolution; s++) {
      const bits = new Uint32Array(words);
      const list = postings[s];
      if (list) for (let i = 0; i < list.length; i++) bits[(list[i] as number) >>> 5]! |= 1 << ((list[i] as number) & 31);
      for (let w = 0; w < words; w++) all[w]! |= bits[w]!;
      slots.push(bits);
    }
    const made = { slots, all };
    cache.set(termId, made, words * 4 * (this.resolution + 1));
    return made;
  }

  /** The relevance slots of a term, straight from FlexSearch. */
  postings(term: string): Slots {
    if (!this.postingsBuilt) {
      const id = this.termId(term);
      if (id === undefined) return [];
      this.preparePostings([id]);
    }
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
