/**
 * One batch of a /regular expression/ scan, the same in whichever thread reads it (the open case's
 * own connection, or a scan worker's: parallel-scan.ts), and the checks a scan makes between batches.
 */
import { HoldfastError } from '../api/errors.ts';
import type { SearchDocReader } from '../case/data/interface.ts';
import type { Bitset } from './bitset.ts';

/** Whether a text matches the pattern (regex-engine.ts: linear time whatever the pattern). */
export type TextTest = (text: string) => boolean;

/** Messages read and matched per step: small enough that even a slow pattern leaves the event loop free often. */
export const BATCH = 250;

/** Marks in `found` the messages of `batch` (ascending ids) whose fields match. */
export function scanBatch(docs: SearchDocReader, batch: Uint32Array, matches: TextTest, found: Set<number>): void {
  const lo = batch[0]!;
  const hi = batch[batch.length - 1]!;
  // Consecutive ids (a scan of every message): every row of the range is wanted, no look-up per row.
  const wanted = hi - lo + 1 === batch.length ? null : new Set(batch);
  // Dense candidates are read as their id range; sparse ones by id (a statement per run of ids cost more than the reading).
  const rows = hi - lo < 4 * batch.length ? docs.textsInRange(lo, hi) : docs.textsById(batch);
  for (let i = 0; i < rows.length; i++) {
    const [id, subject, text] = rows[i]!;
    if ((wanted === null || wanted.has(id)) && ((text !== '' && matches(text)) || (subject !== null && subject !== '' && matches(subject)))) found.add(id);
  }
  const test = (id: number, text: string) => {
    if (text !== '' && (wanted === null || wanted.has(id)) && !found.has(id) && matches(text)) found.add(id);
  };
  for (const [id, text] of docs.editsInRange(lo, hi)) test(id, text);
  for (const [id, name] of docs.attachmentNamesInRange(lo, hi)) test(id, name);
}

/** What a pattern matched among the messages checked so far. */
export interface Known {
  checked: Bitset;
  matched: Bitset;
}

/** Records a read stretch of ids: all checked, those in `found` matched. */
export function record(known: Known, ids: ArrayLike<number>, found: ReadonlySet<number>): void {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    known.checked.add(id);
    if (found.has(id)) known.matched.add(id);
  }
}

export interface StopCheck {
  signal?: AbortSignal | undefined;
  /** performance.now() when the scan started, and how long it may run. */
  started: number;
  limitMs: number;
  /** The pattern as the query wrote it, for the messages. */
  source: string;
}

/** CANCELLED when the caller asked; SEARCH_TIMEOUT past the time limit (`done` of `total` messages checked). */
export function stopIfAsked(stop: StopCheck, done: number, total: number, now: number): void {
  const { source } = stop;
  if (stop.signal?.aborted) throw new HoldfastError('CANCELLED', `The regular expression ${source} was cancelled after ${done} of ${total} messages.`);
  const elapsed = now - stop.started;
  if (elapsed > stop.limitMs) {
    throw new HoldfastError(
      'SEARCH_TIMEOUT',
      `The regular expression ${source} checked ${done} of ${total} messages in ${Math.round(elapsed / 1000)} s and stopped at its time limit; narrow it with words or filters (they run first), e.g. account ${source}.`,
    );
  }
}
