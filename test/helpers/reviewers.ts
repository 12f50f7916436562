/**
 * Simulated reviewers working through one batch set over the API, as a team does: each takes the next
 * open batch, checks it out, reads it, codes its units' messages a few at a time (tag, sometimes take
 * a tag off again and mark those read, or just mark read), checks it in once every unit is reviewed,
 * and takes the next, until the time is up. Now and then a reviewer tries to check out a batch someone
 * else holds, which must be refused. Every call's latency is recorded, and what the server
 * acknowledged is kept, so the caller can check that nothing was lost
 * (test/server/matter-concurrency.test.ts, the matter benchmark in test/bench/matter.ts).
 */
import { performance } from 'node:perf_hooks';
import { ApiError, createClient } from '../../src/api/client.ts';
import type { Client } from '../../src/api/client.ts';
import type { Args, MethodName, Result } from '../../src/api/methods/index.ts';
import type { MatterConnection } from '../../src/server/matter/client.ts';

export interface ReviewerRun {
  /** Calls answered, by method. */
  calls: Map<string, number[]>;
  /** Per tag, the messages that carry it after every acknowledged apply and remove. */
  tagged: Map<string, Set<number>>;
  /** Messages acknowledged as marked reviewed. */
  marked: Set<number>;
  /** Each acknowledged tag change (apply or remove) with its reviewer: its audit entry. */
  changes: { change: number; actor: string; action: 'tag.apply' | 'tag.remove' }[];
  /** The units' messages of each batch a reviewer read (batches.get), by batch id. */
  units: Map<number, number[][]>;
  /** Batches checked out and checked in, by whom. */
  checkedOut: Map<number, string>;
  checkedIn: Map<number, string>;
  /** Checkouts of a batch someone else held, refused as they must be. */
  refusedCheckouts: number;
  /** The set ran out before the time was up (every batch taken). */
  ranOut: boolean;
  seconds: number;
}

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

/** Coding calls: what a reviewer waits for while coding. */
const CODING: readonly string[] = ['tags.apply', 'tags.remove', 'review.mark'];

export async function runReviewers(opts: {
  connections: { name: string; connection: MatterConnection }[];
  batchIds: readonly number[];
  tags: readonly string[];
  seconds: number;
}): Promise<ReviewerRun> {
  const run: ReviewerRun = {
    calls: new Map(), tagged: new Map(opts.tags.map((t) => [t, new Set<number>()])), marked: new Set(), changes: [], units: new Map(),
    checkedOut: new Map(), checkedIn: new Map(), refusedCheckouts: 0, ranOut: false, seconds: opts.seconds,
  };
  const queue = [...opts.batchIds];
  const started = performance.now();
  const until = started + opts.seconds * 1000;
  const timed = async <M extends MethodName>(api: Client, method: M, args: Args<M>): Promise<Result<M>> => {
    const t = performance.now();
    const result = await api.call(method, args);
    const list = run.calls.get(method) ?? [];
    list.push(performance.now() - t);
    run.calls.set(method, list);
    return result;
  };

  await Promise.all(opts.connections.map(async ({ name, connection }, i) => {
    const api = createClient(connection.transport);
    const r = random(i + 1);
    const pick = <T>(a: readonly T[]) => a[Math.floor(r() * a.length)]!;
    while (performance.now() < until) {
      const batchId = queue.shift();
      if (batchId === undefined) {
        run.ranOut = true;
        return;
      }
      await timed(api, 'batches.checkout', { batchId });
      run.checkedOut.set(batchId, name);
      const batch = await timed(api, 'batches.get', { batchId });
      run.units.set(batchId, batch.unitList.map((u) => u.messageIds));
      let done = true;
      for (const unit of batch.unitList) {
        for (let at = 0; at < unit.messageIds.length && (done = performance.now() < until); ) {
          const ids = unit.messageIds.slice(at, at + 1 + Math.floor(r() * 4));
          at += ids.length;
          const x = r();
          if (x < 0.2) {
            await timed(api, 'review.mark', { target: { messageIds: ids }, reviewed: true });
            for (const id of ids) run.marked.add(id);
            continue;
          }
          const tag = pick(opts.tags);
          const applied = await timed(api, 'tags.apply', { tag, target: { messageIds: ids } });
          for (const id of ids) run.tagged.get(tag)!.add(id);
          if (applied.change !== null) run.changes.push({ change: applied.change, actor: name, action: 'tag.apply' });
          if (x < 0.3) {
            // A second thought: the tag comes off the first of them, which is then marked read instead.
            const back = ids.slice(0, 1);
            const removed = await timed(api, 'tags.remove', { tag, target: { messageIds: back } });
            run.tagged.get(tag)!.delete(back[0]!);
            if (removed.change !== null) run.changes.push({ change: removed.change, actor: name, action: 'tag.remove' });
            await timed(api, 'review.mark', { target: { messageIds: back }, reviewed: true });
            run.marked.add(back[0]!);
          }
        }
        if (!done) break;
      }
      if (r() < 0.1) {
        // Someone else's batch: refused while they hold it (or once it is in).
        const other = [...run.checkedOut.keys()].filter((b) => run.checkedOut.get(b) !== name);
        if (other.length) {
          try {
            await api.call('batches.checkout', { batchId: pick(other) });
            throw new Error(`${name} checked out a batch another reviewer holds`);
          } catch (err) {
            if (!(err instanceof ApiError) || !['CASE_BUSY', 'VALIDATION'].includes(err.code)) throw err;
            run.refusedCheckouts++;
          }
        }
      }
      if (!done) return;
      await timed(api, 'batches.checkin', { batchId });
      run.checkedIn.set(batchId, name);
    }
  }));
  run.seconds = Math.min(opts.seconds, (performance.now() - started) / 1000);
  return run;
}

/** p50 and p95 of a list of milliseconds. */
export function percentiles(ms: readonly number[]): { n: number; p50: number; p95: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  return { n: sorted.length, p50: Math.round(at(0.5) * 10) / 10, p95: Math.round(at(0.95) * 10) / 10 };
}

/** Latency of the coding calls, of the batch calls and of all calls. */
export function latencySummary(run: ReviewerRun): Record<'coding' | 'batches' | 'all', { n: number; p50: number; p95: number }> {
  const of = (pred: (m: string) => boolean) => percentiles([...run.calls].filter(([m]) => pred(m)).flatMap(([, ms]) => ms));
  return { coding: of((m) => CODING.includes(m)), batches: of((m) => m.startsWith('batches.')), all: of(() => true) };
}
