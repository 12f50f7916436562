/**
 * The search index as stored inside the encrypted case (table search_index_chunks), append-only:
 *
 *   meta            JSON: format and tokenizer versions, watermark (highest message id indexed), counts
 *   dict.<first>    new terms, UTF-8, one per line, in term-id order from <first>
 *   seg.<first id>  a run of messages: ids, attributes, and each message's term ids (0 between fields)
 *   pos.<first id>  the same run's positional postings: term → positions (positions.ts)
 *   sorted          term ids in term order (covers ids below meta.sortedUpTo) for prefix* look-ups
 *   dead.<seq>      ids of messages deleted after they were indexed
 *
 * Every write is one transaction that also moves the watermark, so the stored index is always a
 * consistent snapshot of some prefix of the messages table; what lies above the watermark (a batch
 * committed just before a kill -9) is caught up from the table. The stored form is our tokenizer's
 * output, not FlexSearch's export: FlexSearch's postings are rebuilt from it on load (see README).
 */
import { HoldfastError } from '../api/errors.ts';
import { isSqliteCode } from '../case/data/index.ts';
import type { CaseData } from '../case/data/interface.ts';
import { readDocs } from './docs.ts';
import type { IndexDoc } from './docs.ts';
import { fieldTerms } from './record-terms.ts';
import { encodePositions } from './positions.ts';

export const INDEX_FORMAT = 2;
/** Bump whenever tokenize.ts changes what terms a text yields: stored indexes are then rebuilt. */
export const TOKENIZER_VERSION = 1;

export interface IndexMeta {
  format: number;
  tokenizer: number;
  /** Highest message id indexed; every message at or below it is in a segment (or was deleted since). */
  watermark: number;
  /** Messages in segments (including those deleted since). */
  docs: number;
  /** Dictionary size, counting the field gap (term id 0). */
  terms: number;
  sortedUpTo: number;
  segments: number;
  deadChunks: number;
  dead: number;
  builtAt: number;
  /** Set when the stored index is started (empty) and kept by every append: a rebuild has another. */
  startedAt?: number;
}

function emptyMeta(): IndexMeta {
  return { format: INDEX_FORMAT, tokenizer: TOKENIZER_VERSION, watermark: 0, docs: 0, terms: 1, sortedUpTo: 1, segments: 0, deadChunks: 0, dead: 0, builtAt: Date.now(), startedAt: Date.now() };
}

export function key(prefix: string, n: number): string {
  return `${prefix}.${String(n).padStart(12, '0')}`;
}

export function readMeta(data: CaseData): IndexMeta | null {
  const row = data.read.searchIndex.chunk('meta');
  return row ? (JSON.parse(row.toString('utf8')) as IndexMeta) : null;
}

/** Whether a stored index can be used by this version (same format and tokenizer). */
export function isCurrent(meta: IndexMeta | null): meta is IndexMeta {
  return meta !== null && meta.format === INDEX_FORMAT && meta.tokenizer === TOKENIZER_VERSION;
}

function writeMeta(data: CaseData, meta: IndexMeta): void {
  data.write.searchIndex.put('meta', Buffer.from(JSON.stringify(meta), 'utf8'));
}

/** Chunks whose key starts with `prefix.`, in key order. */
export function* chunks(data: CaseData, prefix: string, fromKey?: string): Generator<{ key: string; data: Buffer }> {
  yield* data.read.searchIndex.chunksFrom(fromKey ?? `${prefix}.`, `${prefix}/`);
}

// ---- segments ----

/**
 * A stored run of messages: a 16-byte header (magic, messages, terms, varint bytes), the send
 * times as Float64 (exact milliseconds), then per message as unsigned LEB128 varints: id minus the
 * previous id, conversation, sender (0 = none), flags, number of terms, the term ids (0 between
 * fields). Term ids follow first appearance, so frequent terms are small: ~1.3 bytes a term.
 */
export interface StoredSegment {
  key: string;
  messages: number;
  terms: number;
  data: Buffer;
  /** The key of its positional postings (`pos.<first id>`, read when first needed: readPositions); null in an index stored before they were. */
  positions: string | null;
}

const SEGMENT_MAGIC = 0x48465332; // "HFS2"

export interface SegmentDoc {
  id: number;
  conversationId: number;
  senderId: number;
  sentAt: number;
  flags: number;
}

/** A message with its terms ('' between fields), as an import hands it over (record-terms.ts). */
export interface TermsDoc extends SegmentDoc {
  terms: string[];
}

export function encodeSegment(docs: readonly SegmentDoc[], termIds: ReadonlyArray<ArrayLike<number>>): Buffer {
  const n = docs.length;
  let bytes = new Uint8Array(16 * n + 64);
  let at = 0;
  let terms = 0;
  const put = (v: number) => {
    if (at + 5 > bytes.length) {
      const grown = new Uint8Array(bytes.length * 2);
      grown.set(bytes);
      bytes = grown;
    }
    while (v >= 0x80) {
      bytes[at++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    bytes[at++] = v;
  };
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const d = docs[i]!;
    const t = termIds[i]!;
    put(d.id - prev);
    prev = d.id;
    put(d.conversationId);
    put(d.senderId);
    put(d.flags);
    put(t.length);
    for (let k = 0; k < t.length; k++) put(t[k]!);
    terms += t.length;
  }
  const out = Buffer.alloc(16 + 8 * n + at);
  const head = new Uint32Array(out.buffer, out.byteOffset, 4);
  head[0] = SEGMENT_MAGIC;
  head[1] = n;
  head[2] = terms;
  head[3] = at;
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) times[i] = docs[i]!.sentAt;
  out.set(new Uint8Array(times.buffer), 16);
  out.set(bytes.subarray(0, at), 16 + 8 * n);
  return out;
}

function segmentHeader(key: string, data: Buffer, positions: string | null): StoredSegment {
  if (data.length < 16) throw corrupt(key);
  const magic = data.readUInt32LE(0);
  const messages = data.readUInt32LE(4);
  const terms = data.readUInt32LE(8);
  const varints = data.readUInt32LE(12);
  if (magic !== SEGMENT_MAGIC || data.length !== 16 + 8 * messages + varints) throw corrupt(key);
  return { key, messages, terms, data, positions };
}

/** Where decoded messages go: arrays indexed by message id, and the flat term sequence. */
export interface SegmentTarget {
  offsets: Uint32Array;
  tokens: Uint32Array;
  conversation: Uint32Array;
  sender: Uint32Array;
  sentAt: Float64Array;
  flags: Uint8Array;
  /** Receives each message id (ascending). */
  onDoc(id: number): void;
}

/**
 * Decodes a segment into `t`, starting after message `lastId` and term position `tokenAt`.
 * Offsets of ids skipped (never stored) are filled so every id has an empty term range.
 * Returns the last id and the next term position.
 */
export function decodeSegment(seg: StoredSegment, t: SegmentTarget, lastId: number, tokenAt: number, termCount: number): { lastId: number; tokenAt: number } {
  const data = seg.data;
  const n = seg.messages;
  const bytes = new Uint8Array(data.buffer, data.byteOffset + 16 + 8 * n, data.length - 16 - 8 * n);
  const timesBytes = new Uint8Array(8 * n);
  timesBytes.set(new Uint8Array(data.buffer, data.byteOffset + 16, 8 * n));
  const times = new Float64Array(timesBytes.buffer);
  let at = 0;
  const end = bytes.length;
  const next = (): number => {
    let v = 0;
    let shift = 0;
    for (;;) {
      if (at >= end) throw corrupt(seg.key);
      const b = bytes[at++]!;
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
      shift += 7;
      if (shift > 35) throw corrupt(seg.key);
    }
  };
  const { offsets, tokens } = t;
  let id = lastId;
  // Ids are stored as differences from the previous id of the same segment (the first from 0).
  let stored = 0;
  let pos = tokenAt;
  for (let i = 0; i < n; i++) {
    stored += next();
    if (stored <= id || stored + 1 >= offsets.length) throw corrupt(seg.key);
    for (let k = id + 1; k <= stored; k++) offsets[k] = pos;
    id = stored;
    t.conversation[id] = next();
    t.sender[id] = next();
    t.flags[id] = next();
    t.sentAt[id] = times[i]!;
    const len = next();
    if (pos + len > tokens.length) throw corrupt(seg.key);
    for (let k = 0; k < len; k++) {
      // One-byte varints (frequent terms) take the fast path.
      const b = bytes[at]!;
      let term: number;
      if (b < 0x80 && at < end) {
        at++;
        term = b;
      } else if (at + 1 < end && bytes[at + 1]! < 0x80) {
        term = (b & 0x7f) | (bytes[at + 1]! << 7);
        at += 2;
      } else term = next();
      if (term >= termCount) throw corrupt(seg.key);
      tokens[pos++] = term;
    }
    offsets[id + 1] = pos;
    t.onDoc(id);
  }
  if (at !== end) throw corrupt(seg.key);
  return { lastId: id, tokenAt: pos };
}

export function corrupt(where: string): HoldfastError {
  return new HoldfastError('INTERNAL', `The stored search index is damaged (${where}); run "holdfast reindex" to rebuild it.`, { position: where });
}

// ---- writing ----

/**
 * Appends messages above the stored watermark to the stored index. Keeps the dictionary between
 * calls (an import calls it after every batch); every call re-reads the stored meta inside its
 * transaction, so another writer's appends are picked up, never overwritten.
 */
export class IndexWriter {
  private terms: string[] = [''];
  private termIds = new Map<string, number>([['', 0]]);
  private readonly data: CaseData;

  constructor(data: CaseData) {
    this.data = data;
  }

  /** Reads dictionary chunks this writer has not seen (the dictionary only grows). */
  private syncDictionary(meta: IndexMeta): void {
    if (meta.terms === this.terms.length) return;
    if (meta.terms < this.terms.length) {
      this.terms = [''];
      this.termIds = new Map([['', 0]]);
    }
    for (const c of chunks(this.data, 'dict', key('dict', this.terms.length))) {
      const start = Number(c.key.slice(5));
      if (start !== this.terms.length) throw corrupt(c.key);
      for (const t of c.data.toString('utf8').split('\n')) {
        this.termIds.set(t, this.terms.length);
        this.terms.push(t);
      }
    }
    if (this.terms.length !== meta.terms) throw corrupt('dictionary size');
  }

  /** Term ids of a message's terms ('' is the field gap, id 0); terms new to the dictionary go to `added`. */
  private idsOf(terms: readonly string[], added: string[]): Uint32Array {
    const ids = new Uint32Array(terms.length);
    for (let k = 0; k < ids.length; k++) ids[k] = this.idOf(terms[k]!, added);
    return ids;
  }

  /** Stores one segment and the dictionary terms it introduced, and moves `m` past it. */
  private storeSegment(m: IndexMeta, docs: readonly SegmentDoc[], tokenIds: readonly Uint32Array[], newTerms: readonly string[]): void {
    if (newTerms.length) {
      this.data.write.searchIndex.put(key('dict', m.terms), Buffer.from(newTerms.join('\n'), 'utf8'));
      m.terms += newTerms.length;
    }
    this.data.write.searchIndex.put(key('seg', docs[0]!.id), encodeSegment(docs, tokenIds));
    this.data.write.searchIndex.put(key('pos', docs[0]!.id), encodePositions(tokenIds));
    m.segments++;
    m.docs += docs.length;
    m.watermark = docs[docs.length - 1]!.id;
  }

  private idOf(term: string, added: string[]): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.terms.push(term);
      this.termIds.set(term, id);
      added.push(term);
    }
    return id;
  }

  /**
   * Indexes every message above the watermark (up to `upToId`), in segments of at most
   * `segmentDocs` messages. Returns how many messages were added.
   */
  catchUp(opts: { upToId?: number; segmentDocs?: number; onProgress?: (done: number) => void } = {}): number {
    const data = this.data;
    const segmentDocs = opts.segmentDocs ?? 50_000;
    return data.write.searchIndex.inTransaction(() => {
      let meta = readMeta(data);
      if (meta && !isCurrent(meta)) throw new HoldfastError('INTERNAL', 'The stored search index is from another version; it must be rebuilt.');
      meta ??= emptyMeta();
      this.syncDictionary(meta);
      const m = meta;
      let added = 0;
      let newTerms: string[] = [];
      let docs: IndexDoc[] = [];
      let tokenIds: Uint32Array[] = [];
      const flush = () => {
        if (docs.length === 0) return;
        this.storeSegment(m, docs, tokenIds, newTerms);
        added += docs.length;
        newTerms = [];
        docs = [];
        tokenIds = [];
      };
      for (const page of readDocs(data, m.watermark, opts.upToId)) {
        for (const doc of page) {
          docs.push(doc);
          tokenIds.push(this.idsOf(fieldTerms(doc.fields), newTerms));
          if (docs.length >= segmentDocs) flush();
        }
        opts.onProgress?.(added + docs.length);
      }
      flush();
      if (added) {
        m.builtAt = Date.now();
        writeMeta(data, m);
      }
      return added;
    });
  }

  /**
   * Appends messages an import just committed, with the terms the parser thread made, in one
   * segment — when they are exactly the messages above the watermark (up to the last of them).
   * Otherwise (another connection indexed some, or rows are missing) it reads them from the case
   * instead, so the stored index stays a snapshot of a prefix of the messages table.
   */
  append(batch: readonly TermsDoc[]): number {
    const data = this.data;
    if (batch.length === 0) return 0;
    const lastId = batch[batch.length - 1]!.id;
    return data.write.searchIndex.inTransaction(() => {
      let meta = readMeta(data);
      if (meta && !isCurrent(meta)) throw new HoldfastError('INTERNAL', 'The stored search index is from another version; it must be rebuilt.');
      meta ??= emptyMeta();
      const m = meta;
      const docs = batch.filter((d) => d.id > m.watermark);
      if (docs.length === 0) return 0;
      const between = data.read.searchIndex.countBetween(m.watermark, lastId);
      if (between !== docs.length) return this.catchUp({ upToId: lastId });
      this.syncDictionary(m);
      const newTerms: string[] = [];
      this.storeSegment(m, docs, docs.map((d) => this.idsOf(d.terms, newTerms)), newTerms);
      m.builtAt = Date.now();
      writeMeta(data, m);
      return docs.length;
    });
  }

  /** Stores the sorted term order (prefix look-ups then need no sort on load). */
  writeSorted(): void {
    const data = this.data;
    data.write.searchIndex.inTransaction(() => {
      const meta = readMeta(data);
      if (!meta) return;
      this.syncDictionary(meta);
      const terms = this.terms;
      const order = new Uint32Array(terms.length - 1);
      for (let i = 0; i < order.length; i++) order[i] = i + 1;
      order.sort((a, b) => (terms[a]! < terms[b]! ? -1 : terms[a]! > terms[b]! ? 1 : 0));
      data.write.searchIndex.put('sorted', new Uint8Array(order.buffer));
      meta.sortedUpTo = terms.length;
      writeMeta(data, meta);
    });
  }
}

/** Records deleted messages in the stored index (those above the watermark were never stored). */
export function storeTombstones(data: CaseData, ids: readonly number[]): void {
  data.write.searchIndex.inTransaction(() => {
    const meta = readMeta(data);
    if (!isCurrent(meta)) return;
    const dead = Uint32Array.from(ids.filter((id) => id > 0 && id <= meta.watermark)).sort();
    if (dead.length === 0) return;
    data.write.searchIndex.put(key('dead', meta.deadChunks + 1), new Uint8Array(dead.buffer));
    meta.deadChunks++;
    meta.dead += dead.length;
    writeMeta(data, meta);
  });
}

/** Forgets the stored index (before a rebuild, or when it is from another version). */
export function dropStoredIndex(data: CaseData): void {
  data.write.searchIndex.inTransaction(() => data.write.searchIndex.clear());
}

/** Whether a write failed only because the case is read-only or busy (the in-memory index still works). */
export function isUnwritable(err: unknown): boolean {
  return ['SQLITE_READONLY', 'SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_READONLY_DBMOVED'].some((c) => isSqliteCode(err, c));
}

// ---- reading ----

export interface StoredIndex {
  meta: IndexMeta;
  terms: string[];
  sorted: Uint32Array;
  segments: StoredSegment[];
  dead: Uint32Array[];
}

/**
 * A segment's stored positional postings, if the stored index is still the one `startedAt` names
 * (a rebuild since, by another connection, numbers terms anew): null otherwise, or when absent.
 */
export function readPositions(data: CaseData, posKey: string, startedAt: number | undefined): Buffer | null {
  return data.read.searchIndex.snapshot(() => {
    const meta = readMeta(data);
    if (!isCurrent(meta) || meta.startedAt !== startedAt) return null;
    return data.read.searchIndex.chunk(posKey) ?? null;
  });
}

/** What the store holds beyond what an index loaded from it has: new terms and segments (null when it was rebuilt since). */
export interface StoredTail {
  terms: string[];
  segments: StoredSegment[];
}

/**
 * The chunks appended since an index was loaded from the store (`startedAt`, its terms and its
 * highest id): what another connection's import stored in the meantime, described by `meta`
 * (readMeta, read by the caller before).
 */
export function readStoredTail(data: CaseData, meta: IndexMeta | null, startedAt: number | undefined, termCount: number, maxId: number): StoredTail | null {
  // An empty index (a case with nothing stored when it was loaded) is the start of any stored index.
  const empty = termCount === 1 && maxId === 0;
  if (!isCurrent(meta) || (!empty && meta.startedAt !== startedAt) || meta.terms < termCount || meta.watermark < maxId) return null;
  return data.read.searchIndex.snapshot(() => {
    const terms: string[] = [];
    for (const c of chunks(data, 'dict', key('dict', termCount))) {
      const n = Number(c.key.slice(5));
      if (n >= meta.terms) break;
      if (n !== termCount + terms.length) throw corrupt(c.key);
      for (const t of c.data.toString('utf8').split('\n')) terms.push(t);
    }
    if (termCount + terms.length !== meta.terms) throw corrupt('dictionary size');
    const positions = new Set(data.read.searchIndex.contentKeys().filter((k) => k.startsWith('pos.')).map((k) => Number(k.slice(4))));
    const segments: StoredSegment[] = [];
    for (const c of chunks(data, 'seg', key('seg', maxId + 1))) {
      const first = Number(c.key.slice(4));
      if (first > meta.watermark) break;
      segments.push(segmentHeader(c.key, c.data, positions.has(first) ? key('pos', first) : null));
    }
    return { terms, segments };
  });
}

/** Everything stored (segments as their bytes), or null when there is no current index. */
export function readStored(data: CaseData): StoredIndex | null {
  const steps = readStoredSteps(data);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * The same, one chunk per step (a caller on the app's main thread yields to its event loop in
 * between; no statement stays open across a step, so the connection stays usable).
 */
export function* readStoredSteps(data: CaseData): Generator<undefined, StoredIndex | null> {
  const meta = readMeta(data);
  if (!isCurrent(meta)) return null;
  const stored = data.read.searchIndex;
  const keys = stored.contentKeys();
  const terms: string[] = [''];
  const segments: StoredSegment[] = [];
  const dead: Uint32Array[] = [];
  const positions = new Set<number>();
  let docs = 0;
  // Chunks written after the meta was read (another connection appending) are left for the
  // caller's catch-up: the snapshot is what the meta describes.
  const described = (k: string) =>
    k.startsWith('dict.') ? Number(k.slice(5)) < meta.terms : k.startsWith('seg.') || k.startsWith('pos.') ? Number(k.slice(4)) <= meta.watermark : k.startsWith('dead.') && Number(k.slice(5)) <= meta.deadChunks;
  for (const k of keys.filter(described)) {
    // pos.<n> sorts before seg.<n>; its data is read when a phrase first needs it (readPositions).
    if (k.startsWith('pos.')) {
      positions.add(Number(k.slice(4)));
      continue;
    }
    const bytes = stored.chunk(k);
    if (!bytes) throw corrupt(k);
    if (k.startsWith('dict.')) {
      if (Number(k.slice(5)) !== terms.length) throw corrupt(k);
      for (const t of bytes.toString('utf8').split('\n')) terms.push(t);
    } else if (k.startsWith('seg.')) {
      const s = segmentHeader(k, bytes, positions.has(Number(k.slice(4))) ? key('pos', Number(k.slice(4))) : null);
      docs += s.messages;
      segments.push(s);
    } else if (k.startsWith('dead.')) {
      const copy = new Uint8Array(bytes);
      dead.push(new Uint32Array(copy.buffer, 0, copy.length >>> 2));
    }
    yield;
  }
  if (terms.length !== meta.terms) throw corrupt('dictionary size');
  if (docs !== meta.docs) throw corrupt('segment count');
  const sortedRow = stored.chunk('sorted');
  let sorted = new Uint32Array(0);
  if (sortedRow && meta.sortedUpTo > 1) {
    const copy = new Uint8Array(sortedRow);
    sorted = new Uint32Array(copy.buffer, 0, copy.length >>> 2);
    if (sorted.length !== meta.sortedUpTo - 1) throw corrupt('sorted');
  }
  return { meta, terms, sorted, segments, dead };
}
