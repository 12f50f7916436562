/**
 * The search index as stored inside the encrypted case (table search_index_chunks), append-only:
 *
 *   meta            JSON: format and tokenizer versions, watermark (highest message id indexed), counts
 *   dict.<first>    new terms, UTF-8, one per line, in term-id order from <first>
 *   seg.<first id>  a run of messages: ids, attributes, and each message's term ids (0 between fields)
 *   sorted          term ids in term order (covers ids below meta.sortedUpTo) for prefix* look-ups
 *   dead.<seq>      ids of messages deleted after they were indexed
 *
 * Every write is one transaction that also moves the watermark, so the stored index is always a
 * consistent snapshot of some prefix of the messages table; what lies above the watermark (a batch
 * committed just before a kill -9) is caught up from the table. The stored form is our tokenizer's
 * output, not FlexSearch's export: FlexSearch's postings are rebuilt from it on load (see README).
 */
import { HoldfastError } from '../api/errors.ts';
import type { DB } from '../case/store.ts';
import { isSqliteCode } from '../case/store.ts';
import { readDocs } from './docs.ts';
import type { IndexDoc } from './docs.ts';
import { terms as tokenTerms } from './tokenize.ts';

export const INDEX_FORMAT = 1;
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
}

function emptyMeta(): IndexMeta {
  return { format: INDEX_FORMAT, tokenizer: TOKENIZER_VERSION, watermark: 0, docs: 0, terms: 1, sortedUpTo: 1, segments: 0, deadChunks: 0, dead: 0, builtAt: Date.now() };
}

export function key(prefix: string, n: number): string {
  return `${prefix}.${String(n).padStart(12, '0')}`;
}

export function readMeta(db: DB): IndexMeta | null {
  const row = db.prepare("SELECT data FROM search_index_chunks WHERE key = 'meta'").pluck().get() as Buffer | undefined;
  return row ? (JSON.parse(row.toString('utf8')) as IndexMeta) : null;
}

/** Whether a stored index can be used by this version (same format and tokenizer). */
export function isCurrent(meta: IndexMeta | null): meta is IndexMeta {
  return meta !== null && meta.format === INDEX_FORMAT && meta.tokenizer === TOKENIZER_VERSION;
}

function put(db: DB, k: string, data: Buffer | Uint8Array): void {
  db.prepare('INSERT OR REPLACE INTO search_index_chunks(key, data) VALUES (?, ?)').run(k, data);
}

function writeMeta(db: DB, meta: IndexMeta): void {
  put(db, 'meta', Buffer.from(JSON.stringify(meta), 'utf8'));
}

/** Chunks whose key starts with `prefix.`, in key order. */
export function* chunks(db: DB, prefix: string, fromKey?: string): Generator<{ key: string; data: Buffer }> {
  const lo = fromKey ?? `${prefix}.`;
  yield* db.prepare('SELECT key, data FROM search_index_chunks WHERE key >= ? AND key < ? ORDER BY key').iterate(lo, `${prefix}/`) as IterableIterator<{ key: string; data: Buffer }>;
}

// ---- segments ----

export interface Segment {
  ids: Uint32Array;
  /** Per message, where its terms start in `tokens` (n + 1 entries). */
  offsets: Uint32Array;
  tokens: Uint32Array;
  conversation: Uint32Array;
  sender: Uint32Array;
  sentAt: Float64Array;
  flags: Uint8Array;
}

const SEGMENT_MAGIC = 0x48465331; // "HFS1"

export function encodeSegment(s: Segment): Buffer {
  const n = s.ids.length;
  const t = s.tokens.length;
  const size = 16 + 8 * n + 4 * n + 4 * (n + 1) + 4 * n + 4 * n + 4 * t + n;
  const buf = new ArrayBuffer(size);
  const head = new Uint32Array(buf, 0, 4);
  head[0] = SEGMENT_MAGIC;
  head[1] = n;
  head[2] = t;
  let at = 16;
  new Float64Array(buf, at, n).set(s.sentAt);
  at += 8 * n;
  for (const a of [s.ids, s.offsets, s.conversation, s.sender, s.tokens]) {
    new Uint32Array(buf, at, a.length).set(a);
    at += 4 * a.length;
  }
  new Uint8Array(buf, at, n).set(s.flags);
  return Buffer.from(buf);
}

export function decodeSegment(data: Buffer, where: string): Segment {
  // Typed views need aligned memory; a Buffer from SQLite may sit at any offset of its pool.
  const bytes = data.byteOffset % 8 === 0 ? data : Buffer.from(new Uint8Array(data));
  const buf = bytes.buffer;
  const base = bytes.byteOffset;
  if (bytes.length < 16) throw corrupt(where);
  const head = new Uint32Array(buf, base, 4);
  const n = head[1]!;
  const t = head[2]!;
  if (head[0] !== SEGMENT_MAGIC || bytes.length !== 16 + 8 * n + 12 * n + 4 * (n + 1) + 4 * t + n) throw corrupt(where);
  let at = base + 16;
  const take32 = (len: number) => {
    const a = new Uint32Array(buf, at, len);
    at += 4 * len;
    return a;
  };
  const sentAt = new Float64Array(buf, at, n);
  at += 8 * n;
  const ids = take32(n);
  const offsets = take32(n + 1);
  const conversation = take32(n);
  const sender = take32(n);
  const tokens = take32(t);
  const flags = new Uint8Array(buf, at, n);
  return { ids, offsets, tokens, conversation, sender, sentAt, flags };
}

function corrupt(where: string): HoldfastError {
  return new HoldfastError('INTERNAL', `The stored search index is damaged (${where}); run "holdfast reindex" to rebuild it.`, { position: where });
}

// ---- writing ----

function inTransaction<T>(db: DB, fn: () => T): T {
  const tx = db.transaction(fn);
  return db.inTransaction ? tx() : tx.immediate();
}

/**
 * Appends messages above the stored watermark to the stored index. Keeps the dictionary between
 * calls (an import calls it after every batch); every call re-reads the stored meta inside its
 * transaction, so another writer's appends are picked up, never overwritten.
 */
export class IndexWriter {
  private terms: string[] = [''];
  private termIds = new Map<string, number>([['', 0]]);
  private readonly db: DB;

  constructor(db: DB) {
    this.db = db;
  }

  /** Reads dictionary chunks this writer has not seen (the dictionary only grows). */
  private syncDictionary(meta: IndexMeta): void {
    if (meta.terms === this.terms.length) return;
    if (meta.terms < this.terms.length) {
      this.terms = [''];
      this.termIds = new Map([['', 0]]);
    }
    for (const c of chunks(this.db, 'dict', key('dict', this.terms.length))) {
      const start = Number(c.key.slice(5));
      if (start !== this.terms.length) throw corrupt(c.key);
      for (const t of c.data.toString('utf8').split('\n')) {
        this.termIds.set(t, this.terms.length);
        this.terms.push(t);
      }
    }
    if (this.terms.length !== meta.terms) throw corrupt('dictionary size');
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
    const db = this.db;
    const segmentDocs = opts.segmentDocs ?? 50_000;
    return inTransaction(db, () => {
      let meta = readMeta(db);
      if (meta && !isCurrent(meta)) throw new HoldfastError('INTERNAL', 'The stored search index is from another version; it must be rebuilt.');
      meta ??= emptyMeta();
      this.syncDictionary(meta);
      const m = meta;
      let added = 0;
      let newTerms: string[] = [];
      let docs: IndexDoc[] = [];
      let tokenIds: number[][] = [];
      const flush = () => {
        if (docs.length === 0) return;
        if (newTerms.length) {
          put(db, key('dict', m.terms), Buffer.from(newTerms.join('\n'), 'utf8'));
          m.terms += newTerms.length;
          newTerms = [];
        }
        put(db, key('seg', docs[0]!.id), encodeSegment(toSegment(docs, tokenIds)));
        m.segments++;
        m.docs += docs.length;
        m.watermark = docs[docs.length - 1]!.id;
        added += docs.length;
        docs = [];
        tokenIds = [];
      };
      for (const page of readDocs(db, m.watermark, opts.upToId)) {
        for (const doc of page) {
          const ids: number[] = [];
          for (let f = 0; f < doc.fields.length; f++) {
            if (f > 0) ids.push(0);
            for (const t of tokenTerms(doc.fields[f]!)) ids.push(this.idOf(t, newTerms));
          }
          docs.push(doc);
          tokenIds.push(ids);
          if (docs.length >= segmentDocs) flush();
        }
        opts.onProgress?.(added + docs.length);
      }
      flush();
      if (added) {
        m.builtAt = Date.now();
        writeMeta(db, m);
      }
      return added;
    });
  }

  /** Stores the sorted term order (prefix look-ups then need no sort on load). */
  writeSorted(): void {
    const db = this.db;
    inTransaction(db, () => {
      const meta = readMeta(db);
      if (!meta) return;
      this.syncDictionary(meta);
      const terms = this.terms;
      const order = new Uint32Array(terms.length - 1);
      for (let i = 0; i < order.length; i++) order[i] = i + 1;
      order.sort((a, b) => (terms[a]! < terms[b]! ? -1 : terms[a]! > terms[b]! ? 1 : 0));
      put(db, 'sorted', new Uint8Array(order.buffer));
      meta.sortedUpTo = terms.length;
      writeMeta(db, meta);
    });
  }
}

function toSegment(docs: IndexDoc[], tokenIds: number[][]): Segment {
  const n = docs.length;
  let total = 0;
  for (const t of tokenIds) total += t.length;
  const s: Segment = {
    ids: new Uint32Array(n), offsets: new Uint32Array(n + 1), tokens: new Uint32Array(total),
    conversation: new Uint32Array(n), sender: new Uint32Array(n), sentAt: new Float64Array(n), flags: new Uint8Array(n),
  };
  let at = 0;
  for (let i = 0; i < n; i++) {
    const d = docs[i]!;
    s.ids[i] = d.id;
    s.conversation[i] = d.conversationId;
    s.sender[i] = d.senderId;
    s.sentAt[i] = d.sentAt;
    s.flags[i] = d.flags;
    s.offsets[i] = at;
    s.tokens.set(tokenIds[i]!, at);
    at += tokenIds[i]!.length;
  }
  s.offsets[n] = at;
  return s;
}

/** Records deleted messages in the stored index (those above the watermark were never stored). */
export function storeTombstones(db: DB, ids: readonly number[]): void {
  inTransaction(db, () => {
    const meta = readMeta(db);
    if (!isCurrent(meta)) return;
    const dead = Uint32Array.from(ids.filter((id) => id > 0 && id <= meta.watermark)).sort();
    if (dead.length === 0) return;
    put(db, key('dead', meta.deadChunks + 1), new Uint8Array(dead.buffer));
    meta.deadChunks++;
    meta.dead += dead.length;
    writeMeta(db, meta);
  });
}

/** Forgets the stored index (before a rebuild, or when it is from another version). */
export function dropStoredIndex(db: DB): void {
  inTransaction(db, () => db.prepare('DELETE FROM search_index_chunks').run());
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
  segments: Segment[];
  dead: Uint32Array[];
}

/** Everything stored, decoded (typed arrays over the chunk bytes, no copies), or null when there is no current index. */
export function readStored(db: DB): StoredIndex | null {
  const meta = readMeta(db);
  if (!isCurrent(meta)) return null;
  const terms: string[] = [''];
  for (const c of chunks(db, 'dict')) {
    if (Number(c.key.slice(5)) !== terms.length) throw corrupt(c.key);
    for (const t of c.data.toString('utf8').split('\n')) terms.push(t);
  }
  if (terms.length !== meta.terms) throw corrupt('dictionary size');
  const sortedRow = db.prepare("SELECT data FROM search_index_chunks WHERE key = 'sorted'").pluck().get() as Buffer | undefined;
  let sorted = new Uint32Array(0);
  if (sortedRow && meta.sortedUpTo > 1) {
    const copy = new Uint8Array(sortedRow);
    sorted = new Uint32Array(copy.buffer, 0, copy.length >>> 2);
    if (sorted.length !== meta.sortedUpTo - 1) throw corrupt('sorted');
  }
  const segments: Segment[] = [];
  let docs = 0;
  for (const c of chunks(db, 'seg')) {
    const s = decodeSegment(c.data, c.key);
    docs += s.ids.length;
    segments.push(s);
  }
  if (docs !== meta.docs) throw corrupt('segment count');
  const dead: Uint32Array[] = [];
  for (const c of chunks(db, 'dead')) {
    const copy = new Uint8Array(c.data);
    dead.push(new Uint32Array(copy.buffer, 0, copy.length >>> 2));
  }
  return { meta, terms, sorted, segments, dead };
}
