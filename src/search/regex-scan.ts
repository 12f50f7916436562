/**
 * A /regular expression/ over the searchable fields of candidate messages, read from the case in
 * batches. The matcher (regex-engine.ts) runs in time linear in the text whatever the pattern, so no message can
 * stall the scan; the scan as a whole reports progress, can be cancelled, and stops with
 * SEARCH_TIMEOUT past its time limit. What a pattern matched is kept per index (until its messages
 * change), so the next page of the same results, its facets or a narrower query do not read the
 * messages again. The app runs the scan asynchronously (scanAsync): the query is evaluated once to
 * learn which messages must be read, they are read in batches with the event loop free in between
 * (progress events, a cancel request), and the query is evaluated again from the results. On a
 * case file a scan of 150,000 messages or more reads in two threads (parallel-scan.ts).
 */
import { performance } from 'node:perf_hooks';
import { setImmediate as yieldTurn } from 'node:timers/promises';
import { Bitset } from './bitset.ts';
import { members } from './rank.ts';
import type { CaseData } from '../case/data/interface.ts';
import { textMatcher } from './regex-engine.ts';
import { BATCH, record, scanBatch, stopIfAsked } from './scan-batch.ts';
import type { Known, StopCheck } from './scan-batch.ts';
import { PARALLEL_FROM, scanInTwoThreads } from './parallel-scan.ts';
import type { CaseFile } from './parallel-scan.ts';

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

/** A /regex/ of a query: its RE2 pattern and flags, and the query text it was written as. */
export interface RegexSpec {
  pattern: string;
  flags: string;
  source: string;
}

/** A scan left for the caller to run (scanAsync) before it evaluates the query again. */
export interface PendingScan {
  known: Known;
  ids: Uint32Array;
  regex: RegexSpec;
}

export interface ScanOptions {
  signal?: AbortSignal;
  /** Messages checked so far and to check, after each batch. */
  onProgress?: (done: number, total: number) => void;
  /** Stop with SEARCH_TIMEOUT after this long (default REGEX_TIME_LIMIT_MS). */
  timeLimitMs?: number;
  /** When given, messages not checked yet are not read here: the scan is added to this list instead. */
  deferred?: PendingScan[];
  /**
   * The open case's file and passphrase (not for a matter): scanAsync then reads a long scan's
   * messages in two threads, a worker with a read-only connection of its own taking chunks too.
   */
  caseFile?: CaseFile;
  /** Told when the scan's second thread failed (this thread then read its share: the results are complete). */
  onWarning?: (message: string) => void;
}

/** How long a regular expression may scan messages before the query stops with a clear error. */
export const REGEX_TIME_LIMIT_MS = 60_000;

/**
 * Those of `candidates` whose subject, text, earlier versions or attachment names match the
 * pattern: those not checked before are read now (or deferred). Set operations, not a pass over
 * each candidate id: at 1M candidates the id-by-id version cost 0.3-0.5 s per evaluation.
 */
export function regexMatches(data: CaseData, index: Indexed, candidates: Bitset, regex: RegexSpec, opts: ScanOptions = {}): Bitset {
  const known = knownFor(index, regex.source);
  const missing = candidates.clone().andNot(known.checked);
  const count = missing.count();
  if (count) {
    const pending = { known, ids: members(missing, count), regex };
    if (opts.deferred) opts.deferred.push(pending);
    else for (const _ of scanSteps(data, pending, opts));
  }
  // missing ⊆ candidates: its words become candidates ∩ matched.
  return missing.or(candidates).and(known.matched);
}

/**
 * Runs a deferred scan, giving the event loop a turn every ~20 ms (progress events and a cancel
 * request get through); a long one on a case file in two threads.
 */
export async function scanAsync(data: CaseData, pending: PendingScan, opts: ScanOptions = {}): Promise<void> {
  if (opts.caseFile && pending.ids.length >= PARALLEL_FROM) {
    const { workerFailed } = await scanInTwoThreads(data.read.searchDocs, pending, opts.caseFile, stopCheck(pending, opts), opts.onProgress);
    if (workerFailed) opts.onWarning?.(`The regular expression ${pending.regex.source} was read in one thread: the second one stopped (${workerFailed}). The results are complete.`);
    return;
  }
  let slice = performance.now();
  for (const _ of scanSteps(data, pending, opts)) {
    if (performance.now() - slice > 20) {
      await yieldTurn();
      slice = performance.now();
    }
  }
}

function stopCheck(pending: PendingScan, opts: ScanOptions): StopCheck {
  return { signal: opts.signal, started: performance.now(), limitMs: opts.timeLimitMs ?? REGEX_TIME_LIMIT_MS, source: pending.regex.source };
}

/** Checks the pending ids batch by batch, recording each batch as it is done. */
function* scanSteps(data: CaseData, pending: PendingScan, opts: ScanOptions): Generator<undefined> {
  const { ids, known } = pending;
  const matches = textMatcher(pending.regex.pattern, pending.regex.flags);
  const stop = stopCheck(pending, opts);
  for (let i = 0; i < ids.length; i += BATCH) {
    stopIfAsked(stop, i, ids.length, performance.now());
    const batch = ids.subarray(i, i + BATCH);
    const found = new Set<number>();
    scanBatch(data.read.searchDocs, batch, matches, found);
    record(known, batch, found);
    opts.onProgress?.(Math.min(i + BATCH, ids.length), ids.length);
    yield;
  }
}
