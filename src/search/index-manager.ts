/**
 * One in-memory index per open case (kept with the case: CaseSession.own), kept consistent with the messages table:
 * - on first use the stored index is brought up to date where the case is writable (a batch
 *   committed just before a crash is indexed), then loaded — no message is tokenized again;
 * - messages above the watermark are added (catch-up), messages the table no longer holds
 *   (deleted, or rolled back with an interrupted import) are dropped and recorded as such.
 * The check runs on first use and again whenever this or another connection changed the case.
 */
import { acquireWriteLock } from '../case/lock.ts';
import { appendAudit } from '../case/audit.ts';
import type { CaseSession } from '../case/session.ts';
import { dataOf } from '../case/data/index.ts';
import type { CaseData } from '../case/data/interface.ts';
import { Bitset } from './bitset.ts';
import { readDocs } from './docs.ts';
import { dropStoredIndex, IndexWriter, isCurrent, isUnwritable, readMeta, readPositions, readStoredSteps, readStoredTail, storeTombstones } from './index-store.ts';
import type { IndexMeta } from './index-store.ts';
import { MemoryIndex } from './memory-index.ts';

interface Entry {
  index: MemoryIndex;
  /** The stored index it was loaded from (its meta.startedAt; a rebuild since has another). */
  startedAt: number | undefined;
  /** The case's change marks (data.read.searchIndex.changeMarks) when last checked: unchanged means nothing to check. */
  dataVersion: number;
  totalChanges: number;
}

/** How the current index of a connection came to be (tests and diagnostics). */
export interface IndexLoadInfo {
  /** Messages tokenized to get here (0 when everything came from the stored index). */
  tokenized: number;
  fromStore: boolean;
  /** The stored index was missing, damaged or from another version and was rebuilt. */
  rebuilt: boolean;
  loadMs: number;
}

/** The open case's index: loaded (entry), being loaded in slices (pending), and how it came to be. */
interface IndexState {
  entry?: Entry | undefined;
  info?: IndexLoadInfo | undefined;
  /** A load started by prepareIndexAsync and not finished yet. */
  pending?: Generator<undefined, Entry> | undefined;
}

function stateOf(session: CaseSession): IndexState {
  return session.own<IndexState>('search.index', () => ({}));
}

/** Above this many new messages, reloading the stored index beats tokenizing them again. */
const RELOAD_GAP = 20_000;

/** Adds every message above the watermark to the in-memory index. */
function catchUpInMemory(data: CaseData, index: MemoryIndex): number {
  let added = 0;
  for (const page of readDocs(data, index.maxId)) {
    index.addDocs(page);
    added += page.length;
  }
  return added;
}

/** Brings the stored index up to the table where the case can be written; false when it cannot. */
function tryStoreCatchUp(data: CaseData): { added: number; rebuilt: boolean } | null {
  try {
    let rebuilt = false;
    const meta = readMeta(data);
    if (meta && !isCurrent(meta)) {
      dropStoredIndex(data);
      rebuilt = true;
    } else if (data.read.searchIndex.maxMessageId() <= (meta?.watermark ?? 0)) {
      return { added: 0, rebuilt };
    }
    const writer = new IndexWriter(data);
    const added = writer.catchUp();
    if (rebuilt || added > 5_000) writer.writeSorted();
    return { added, rebuilt };
  } catch (err) {
    if (isUnwritable(err)) return null;
    throw err;
  }
}

/**
 * Drops messages the table no longer holds; records them in the stored index where possible.
 * False when the table holds messages the index counts as deleted (a deletion that was rolled
 * back after removeFromIndex): the caller reloads.
 */
function reconcile(data: CaseData, index: MemoryIndex): boolean {
  if (index.maxId === 0) return true;
  const stored = data.read.searchIndex;
  const inTable = stored.messageCount() - stored.countAbove(index.maxId);
  if (inTable === index.liveCount) return true;
  const present = new Bitset(index.maxId + 1);
  for (const id of stored.idsUpTo(index.maxId)) present.add(id);
  const gone = index.live.clone().andNot(present).toArray();
  index.remove(gone);
  if (gone.length) {
    try {
      storeTombstones(data, gone);
    } catch (err) {
      if (!isUnwritable(err)) throw err;
    }
  }
  return present.andNot(index.live).isEmpty();
}

function* loadSteps(data: CaseData, state: IndexState): Generator<undefined, Entry> {
  const started = performance.now();
  let tokenized = 0;
  const stored = tryStoreCatchUp(data);
  tokenized += stored?.added ?? 0;
  const storedIndex = yield* readStoredSteps(data);
  const index = storedIndex ? yield* MemoryIndex.build(storedIndex) : new MemoryIndex();
  const startedAt = storedIndex?.meta.startedAt;
  index.readPositionChunk = (key) => readPositions(data, key, startedAt);
  tokenized += catchUpInMemory(data, index);
  // With AUTOINCREMENT ids every message at or below the watermark was indexed; if the table
  // ever disagrees, trust the table and rebuild.
  if (!reconcile(data, index)) throw new Error('search index: messages below the watermark are missing from the index');
  state.info = { tokenized, fromStore: storedIndex !== null, rebuilt: stored?.rebuilt ?? false, loadMs: performance.now() - started };
  return { index, startedAt, ...data.read.searchIndex.changeMarks() };
}

/** Appends what another connection stored since the index was loaded from the store (`meta`: the store's now): nothing tokenized again. */
function appendStoredTail(data: CaseData, entry: Entry, meta: IndexMeta | null): void {
  const { index } = entry;
  if (!index.fromStoreOnly || !meta) return;
  const tail = readStoredTail(data, meta, entry.startedAt, index.terms.length, index.maxId);
  if (!tail || (tail.segments.length === 0 && tail.terms.length === 0)) return;
  index.appendStored(tail.terms, tail.segments, meta.watermark);
  if (entry.startedAt !== meta.startedAt) {
    // The case had no stored index when this one was loaded: it now follows the one stored since.
    entry.startedAt = meta.startedAt;
    index.readPositionChunk = (key) => readPositions(data, key, entry.startedAt);
  }
}

function drain<T>(steps: Generator<undefined, T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

function isDamage(err: unknown): boolean {
  return err instanceof Error && (err.message.startsWith('search index:') || err.message.includes('search index is damaged'));
}

/** Finishes a load (`steps` already under way, or a new one); a damaged stored index is rebuilt. */
function loadOrRebuild(data: CaseData, state: IndexState, steps: Generator<undefined, Entry> = loadSteps(data, state)): Entry {
  state.pending = undefined;
  let entry: Entry;
  try {
    entry = drain(steps);
  } catch (err) {
    if (!isDamage(err)) throw err;
    rebuildStored(data);
    entry = drain(loadSteps(data, state));
    state.info!.rebuilt = true;
  }
  state.entry = entry;
  return entry;
}

/** The case's index, loaded on first use and brought up to date with the table. */
export function ensureIndex(session: CaseSession): MemoryIndex {
  const data = dataOf(session);
  const state = stateOf(session);
  let entry = state.entry;
  if (!entry) {
    // A search during a background load finishes that load here, synchronously.
    entry = loadOrRebuild(data, state, state.pending);
    return entry.index;
  }
  const marks = data.read.searchIndex.changeMarks();
  if (marks.dataVersion !== entry.dataVersion || marks.totalChanges !== entry.totalChanges) {
    const top = data.read.searchIndex.maxMessageId();
    const meta = readMeta(data);
    appendStoredTail(data, entry, meta);
    if (top - entry.index.maxId > RELOAD_GAP && isCurrent(meta) && meta.watermark >= top) {
      entry = loadOrRebuild(data, state);
    } else {
      catchUpInMemory(data, entry.index);
      if (reconcile(data, entry.index)) Object.assign(entry, data.read.searchIndex.changeMarks());
      else entry = loadOrRebuild(data, state);
    }
  }
  return entry.index;
}

/** Loads the index now (the app calls this when a case opens, so the first search does not wait). */
export function prepareIndex(session: CaseSession): IndexLoadInfo {
  ensureIndex(session);
  return stateOf(session).info!;
}

/**
 * The app's way to load the index when a case opens: the same work as prepareIndex, in slices of
 * ~20 ms with the event loop free in between, so the process keeps answering (IPC, progress,
 * other requests) while a million messages load. A search that arrives meanwhile finishes the
 * load itself.
 */
export async function prepareIndexAsync(session: CaseSession): Promise<IndexLoadInfo> {
  const data = dataOf(session);
  const state = stateOf(session);
  if (!state.entry && !state.pending) state.pending = loadSteps(data, state);
  let slice = performance.now();
  for (;;) {
    const steps = state.pending;
    if (!steps || state.entry) break;
    let r: IteratorResult<undefined, Entry>;
    try {
      r = steps.next();
    } catch (err) {
      state.pending = undefined;
      if (!isDamage(err)) throw err;
      loadOrRebuild(data, state, loadSteps(data, state));
      break;
    }
    if (r.done) {
      state.pending = undefined;
      state.entry = r.value;
      break;
    }
    if (performance.now() - slice > 20) {
      await new Promise((resolve) => setImmediate(resolve));
      slice = performance.now();
    }
  }
  // Then the stored positions, so the first phrase does not wait for them either, and every
  // term's postings (searches meanwhile compute their terms' own).
  const index = ensureIndex(session);
  const positions = index.loadPositionChunks();
  slice = performance.now();
  const more = (): boolean => !positions.next().done || index.stepPostings();
  while (more()) {
    if (performance.now() - slice > 20) {
      await new Promise((resolve) => setImmediate(resolve));
      slice = performance.now();
    }
  }
  return state.info!;
}

export function indexLoadInfo(session: CaseSession): IndexLoadInfo | undefined {
  return stateOf(session).info;
}

function rebuildStored(data: CaseData, onProgress?: (done: number) => void): number {
  dropStoredIndex(data);
  const writer = new IndexWriter(data);
  const n = writer.catchUp({ onProgress });
  writer.writeSorted();
  return n;
}

export interface ReindexResult {
  messages: number;
  terms: number;
  tookMs: number;
}

/** Rebuilds the stored index from the messages table (`holdfast reindex`), holding the case's write lock. */
export function reindex(session: CaseSession, onProgress?: (done: number) => void): ReindexResult {
  const started = performance.now();
  const lock = acquireWriteLock(dataOf(session), session.path, 'search index rebuild');
  try {
    const messages = rebuildStored(dataOf(session), onProgress);
    stateOf(session).entry = undefined;
    const terms = (readMeta(dataOf(session))?.terms ?? 1) - 1;
    dataOf(session).write.transaction.run(() => appendAudit(dataOf(session), session.actor, 'search.reindex', { messages, terms }));
    return { messages, terms, tookMs: Math.round(performance.now() - started) };
  } finally {
    lock.release();
  }
}

/**
 * Drops messages from search results: call it when messages are deleted (delete, retention), in
 * the transaction that deletes them or right after it commits. Works whether or not this
 * connection has the index loaded: the stored index records them too.
 */
export function removeFromIndex(session: CaseSession, ids: readonly number[]): void {
  if (ids.length === 0) return;
  stateOf(session).entry?.index.remove(ids);
  try {
    storeTombstones(dataOf(session), ids);
  } catch (err) {
    if (!isUnwritable(err)) throw err;
  }
}
