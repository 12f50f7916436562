/**
 * Picking one page of hits out of all matches without sorting them all. A stratified sample of the
 * matches gives a cut-off that about twice the page size passes; one linear pass collects those,
 * and only the first k of them are ordered (a bounded heap, not a sort of the sample or the pool).
 * If too few pass (a skewed sample), the cut-off is widened and the pass repeated; the result is
 * always exactly the first k of the full order.
 */
import type { Bitset } from './bitset.ts';

/** Members of a bitset (`total` of them), ascending, as a typed array. */
export function members(set: Bitset, total: number): Uint32Array {
  const out = new Uint32Array(total);
  set.collect(out);
  return out;
}

/**
 * The order: `sign × primary[id]` ascending, then `secondary[id]` ascending, then id ascending (or
 * descending when `idDesc`). Typed arrays rather than key functions keep the pass tight.
 */
interface Order {
  primary: Float32Array | Float64Array;
  sign: 1 | -1;
  secondary: Float64Array | null;
  idDesc: boolean;
}

const SAMPLE = 1024;

function compare(o: Order, a: number, b: number): number {
  return o.sign * (o.primary[a]! - o.primary[b]!) || (o.secondary ? o.secondary[a]! - o.secondary[b]! : 0) || (o.idDesc ? b - a : a - b);
}

/**
 * The first `k` of `pool` in order, sorted. Beyond a few times k a bounded heap (its root the
 * worst kept) picks them in one pass instead of sorting the whole pool.
 */
function best(pool: ArrayLike<number>, k: number, cmp: (a: number, b: number) => number): number[] {
  if (pool.length <= k * 4) return Array.from(pool).sort(cmp).slice(0, k);
  const heap = Array.from({ length: k }, (_, i) => pool[i]!);
  const down = (at: number): void => {
    const id = heap[at]!;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= k) break;
      if (child + 1 < k && cmp(heap[child + 1]!, heap[child]!) > 0) child++;
      if (cmp(heap[child]!, id) <= 0) break;
      heap[at] = heap[child]!;
      at = child;
    }
    heap[at] = id;
  };
  for (let i = (k >> 1) - 1; i >= 0; i--) down(i);
  for (let i = k; i < pool.length; i++) {
    if (cmp(pool[i]!, heap[0]!) >= 0) continue;
    heap[0] = pool[i]!;
    down(0);
  }
  return heap.sort(cmp);
}

function firstK(ids: Uint32Array, k: number, o: Order): number[] {
  const n = ids.length;
  if (k <= 0 || n === 0) return [];
  const cmp = (a: number, b: number) => compare(o, a, b);
  if (n <= Math.max(k * 4, SAMPLE)) return best(ids, k, cmp);
  const sample: number[] = [];
  for (let i = 0; i < SAMPLE; i++) sample.push(ids[Math.floor(((i + 0.5) * n) / SAMPLE)]!);
  const { primary, sign, secondary, idDesc } = o;
  // Where the k-th best should fall in the sample, with room to spare.
  let rank = Math.min(SAMPLE - 1, Math.ceil((k / n) * SAMPLE * 2) + 4);
  for (;;) {
    // Only the sample's first rank + 1 matter, not its whole order.
    const cut = best(sample, rank + 1, cmp)[rank]!;
    const p = sign * primary[cut]!;
    const s = secondary ? secondary[cut]! : 0;
    const picked: number[] = [];
    for (let i = 0; i < n; i++) {
      const id = ids[i]!;
      const pi = sign * primary[id]!;
      if (pi > p) continue;
      if (pi < p) {
        picked.push(id);
        continue;
      }
      const si = secondary ? secondary[id]! : 0;
      if (si < s || (si === s && (idDesc ? id >= cut : id <= cut))) picked.push(id);
    }
    if (picked.length >= k || rank === SAMPLE - 1) {
      // At the last rank too few passed only if the sample missed the order's tail: all of them.
      return best(picked.length >= k ? picked : ids, k, cmp);
    }
    rank = Math.min(SAMPLE - 1, rank * 4);
  }
}

/** Best `k` by relevance (higher first), then time (earlier first), then id. */
export function topByScore(ids: Uint32Array, scores: Float32Array, sentAt: Float64Array, k: number): number[] {
  return firstK(ids, k, { primary: scores, sign: -1, secondary: sentAt, idDesc: false });
}

/** Best `k` by time (earliest first, or latest first when `desc`), then id (the same way). */
export function topByTime(ids: Uint32Array, sentAt: Float64Array, k: number, desc: boolean): number[] {
  return firstK(ids, k, { primary: sentAt, sign: desc ? -1 : 1, secondary: null, idDesc: desc });
}
