/**
 * A /regular expression/ over the searchable fields of candidate messages, read from the case in
 * batches. The matcher (regex-engine.ts) runs in time linear in the text whatever the pattern, so no message can
 * stall the scan; the scan as a whole reports progress, can be cancelled, and stops with
 * SEARCH_TIMEOUT past its time limit. What a pattern matched is kept per index (until its messages
 * change), so the next page of the same results, its facets or a narrower query do not read the
 * messages again. The app runs the scan asynchronously (scanAsync): the query is evaluated once to
 * learn which messages must be read, they are read in batches with the event loop free in between
 * (progress events, a cancel request), and the query is evaluated again from the results.
 */
import { performance } from 'node:perf_hooks';
import { HoldfastError } from '../api/errors.ts';
import { Bitset } from './bitset.ts';
import type { CaseData, SearchDocReader } from '../case/data/interface.ts';

/** Whether a text matches the pattern (regex-engine.ts: linear time whatever the pattern). */
export type TextTest = (text: string) => boolean;

/** Marks in `found` the messages of `batch` (ascending ids) whose fields match. */
function scanBatch(docs: SearchDocReader, batch: Uint32Array, matches: TextTest, found: Set<number>): void {
  const lo = batch[0]!;
  const hi = batch[batch.length - 1]!;
  const wanted = new Set(batch);
  const test = (id: number, text: string | null) => {
    if (text && !found.has(id) && wanted.has(id) && matches(text)) found.add(id);
  };
  // Dense candidates are read as their id range; sparse ones by id (a statement per run of ids cost more than the reading).
  const rows = hi - lo < 4 * batch.length ? docs.textsInRange(lo, hi) : docs.textsById(batch);
  for (const [id, subject, text] of rows) {
    test(id, subject);
    test(id, text);
  }
  for (const [id, text] of docs.editsInRange(lo, hi)) test(id, text);
  for (const [id, name] of docs.attachmentNamesInRange(lo, hi)) test(id, name);
}

/** What a pattern matched among the messages checked so far. */
interface Known {
  checked: Bitset;
  matched: Bitset;
}

/** The index a scan's results belong to: they are kept while its messages stay the same. */
interface Indexed {
  generation: number;
  maxId: number;
}

// Keyed by the in-memory index (which the open case owns), so it goes with it: results, not per-case SQL state.
const knownByIndex = new WeakMap<Indexed, { generation: number; byPattern: Map<string, Known> }>();

/** Patterns whose results are kept per index (two bitsets each: 250 KB at 1M messages). */
const PATTERNS_KEPT = 16;

function knownFor(index: Indexed, source: string): Known {
  let entry = knownByIndex.get(index);
  if (!entry || entry.generation !== index.generation) {
    entry = { generation: index.generation, byPattern: new Map() };
    knownByIndex.set(index, entry);
  }
  let k = entry.byPattern.get(source);
  if (!k) {
    k = { checked: new Bitset(index.maxId + 1), matched: new Bitset(index.maxId + 1) };
    entry.byPattern.set(source, k);
    for (const old of entry.byPattern.keys()) {
      if (entry.byPattern.size <= PATTERNS_KEPT) break;
      entry.byPattern.delete(old);
    }
  }
  return k;
}

/** A scan left for the caller to run (scanAsync) before it evaluates the query again. */
export interface PendingScan {
  known: Known;
  ids: Uint32Array;
  matches: TextTest;
  source: string;
}

export interface ScanOptions {
  signal?: AbortSignal;
  /** Messages checked so far and to check, after each batch. */
  onProgress?: (done: number, total: number) => void;
  /** Stop with SEARCH_TIMEOUT after this long (default REGEX_TIME_LIMIT_MS). */
  timeLimitMs?: number;
  /** When given, messages not checked yet are not read here: the scan is added to this list instead. */
  deferred?: PendingScan[];
}

/** How long a regular expression may scan messages before the query stops with a clear error. */
export const REGEX_TIME_LIMIT_MS = 60_000;

/** Messages read and matched per step: small enough that even a slow pattern leaves the event loop free often. */
const BATCH = 250;

/**
 * The ids (ascending) among `ids` whose subject, text, earlier versions or attachment names match
 * `matches` (its query text `source`): those not checked before are read now (or deferred).
 */
export function regexMatches(data: CaseData, index: Indexed, ids: Uint32Array, matches: TextTest, source: string, opts: ScanOptions = {}): number[] {
  const known = knownFor(index, source);
  const missing = ids.filter((id) => !known.checked.has(id));
  if (missing.length) {
    const pending = { known, ids: missing, matches, source };
    if (opts.deferred) opts.deferred.push(pending);
    else for (const _ of scanSteps(data, pending, opts));
  }
  const out: number[] = [];
  for (const id of ids) if (known.matched.has(id)) out.push(id);
  return out;
}

/** Runs a deferred scan, giving the event loop a turn every ~20 ms (progress events and a cancel request get through). */
export async function scanAsync(data: CaseData, pending: PendingScan, opts: ScanOptions = {}): Promise<void> {
  let slice = performance.now();
  for (const _ of scanSteps(data, pending, opts)) {
    if (performance.now() - slice > 20) {
      await new Promise((resolve) => setImmediate(resolve));
      slice = performance.now();
    }
  }
}

/** Checks the pending ids batch by batch, recording each batch as it is done. */
function* scanSteps(data: CaseData, pending: PendingScan, opts: ScanOptions): Generator<undefined> {
  const { ids, matches, source, known } = pending;
  const started = performance.now();
  const limit = opts.timeLimitMs ?? REGEX_TIME_LIMIT_MS;
  for (let i = 0; i < ids.length; i += BATCH) {
    if (opts.signal?.aborted) throw new HoldfastError('CANCELLED', `The regular expression ${source} was cancelled after ${i} of ${ids.length} messages.`);
    const elapsed = performance.now() - started;
    if (elapsed > limit) {
      throw new HoldfastError(
        'SEARCH_TIMEOUT',
        `The regular expression ${source} checked ${i} of ${ids.length} messages in ${Math.round(elapsed / 1000)} s and stopped at its time limit; narrow it with words or filters (they run first), e.g. account ${source}.`,
      );
    }
    const batch = ids.subarray(i, i + BATCH);
    const found = new Set<number>();
    scanBatch(data.read.searchDocs, batch, matches, found);
    for (const id of batch) {
      known.checked.add(id);
      if (found.has(id)) known.matched.add(id);
    }
    opts.onProgress?.(Math.min(i + BATCH, ids.length), ids.length);
    yield;
  }
}
