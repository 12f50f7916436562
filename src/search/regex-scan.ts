/**
 * A /regular expression/ over the searchable fields of candidate messages, read from the case in
 * batches. RE2 (re2js) matches in time linear in the text whatever the pattern, so no message can
 * stall the scan; the scan as a whole reports progress, can be cancelled, and stops with
 * SEARCH_TIMEOUT past its time limit.
 */
import { performance } from 'node:perf_hooks';
import type { RE2JS } from 're2js';
import { HoldfastError } from '../api/errors.ts';
import type { DB } from '../case/store.ts';
import { readDocsById } from './docs.ts';

export interface ScanOptions {
  signal?: AbortSignal;
  /** Messages checked so far and to check, after each batch. */
  onProgress?: (done: number, total: number) => void;
  /** Stop with SEARCH_TIMEOUT after this long (default REGEX_TIME_LIMIT_MS). */
  timeLimitMs?: number;
}

/** How long a regular expression may scan messages before the query stops with a clear error. */
export const REGEX_TIME_LIMIT_MS = 60_000;

const BATCH = 2_000;

/** The ids (ascending) among `ids` whose subject, text, earlier versions or attachment names match. */
export function regexScan(db: DB, ids: Uint32Array, re: RE2JS, source: string, opts: ScanOptions = {}): number[] {
  const started = performance.now();
  const limit = opts.timeLimitMs ?? REGEX_TIME_LIMIT_MS;
  const out: number[] = [];
  for (let i = 0; i < ids.length; i += BATCH) {
    if (opts.signal?.aborted) throw new HoldfastError('CANCELLED', `The regular expression ${source} was cancelled after ${i} of ${ids.length} messages.`);
    const elapsed = performance.now() - started;
    if (elapsed > limit) {
      throw new HoldfastError(
        'SEARCH_TIMEOUT',
        `The regular expression ${source} checked ${i} of ${ids.length} messages in ${Math.round(elapsed / 1000)} s and stopped at its time limit; narrow it with words or filters (they run first), e.g. account ${source}.`,
      );
    }
    const batch = Array.from(ids.subarray(i, i + BATCH));
    const docs = readDocsById(db, batch);
    for (const id of batch) {
      const doc = docs.get(id);
      if (doc && doc.fields.some((f) => re.matcher(f).find())) out.push(id);
    }
    opts.onProgress?.(Math.min(i + BATCH, ids.length), ids.length);
  }
  return out;
}
