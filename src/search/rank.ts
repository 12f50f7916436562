/**
 * Picking the page of hits out of all matches in linear time: quickselect over typed arrays finds
 * the k-th best key, then only the k winners are sorted. A heap with a comparator per match is
 * several times slower when a common word matches hundreds of thousands of messages.
 */
import type { Bitset } from './bitset.ts';

/** Members of a bitset, ascending, as a typed array. */
export function members(set: Bitset, total: number): Uint32Array {
  const out = new Uint32Array(total);
  const words = set.words;
  let n = 0;
  for (let i = 0; i < words.length; i++) {
    let v = words[i]!;
    while (v !== 0) {
      const bit = v & -v;
      out[n++] = (i << 5) + (31 - Math.clz32(bit));
      v ^= bit;
    }
  }
  return out;
}

/** The value that would be at index `k` if `a` were sorted ascending (a is reordered). */
function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const pivot = a[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

/**
 * The `k` best of `ids` by key ascending (callers negate keys to get "largest first"), ties by
 * the secondary key ascending, then by id. Returns them in that order.
 */
function best(ids: Uint32Array, key: Float64Array, second: Float64Array | null, k: number): number[] {
  const n = ids.length;
  if (k <= 0) return [];
  let chosen: number[];
  if (n <= k) {
    chosen = Array.from(ids, (_, i) => i);
  } else {
    const threshold = select(key.slice(), k - 1);
    chosen = [];
    const ties: number[] = [];
    for (let i = 0; i < n; i++) {
      if (key[i]! < threshold) chosen.push(i);
      else if (key[i] === threshold) ties.push(i);
    }
    const need = k - chosen.length;
    if (ties.length <= need) chosen.push(...ties);
    else if (second) {
      const sub = new Float64Array(ties.length);
      for (let t = 0; t < ties.length; t++) sub[t] = second[ties[t]!]!;
      const t2 = select(sub.slice(), need - 1);
      const edge: number[] = [];
      for (const t of ties) {
        if (second[t]! < t2) chosen.push(t);
        else if (second[t] === t2) edge.push(t);
      }
      // Ties on both keys: lower ids first (ties are in id order already).
      chosen.push(...edge.slice(0, k - chosen.length));
    } else {
      chosen.push(...ties.slice(0, need));
    }
  }
  chosen.sort((a, b) => key[a]! - key[b]! || (second ? second[a]! - second[b]! : 0) || ids[a]! - ids[b]!);
  return chosen.map((i) => ids[i]!);
}

/** Best `k` by relevance (higher first), then time (earlier first), then id. */
export function topByScore(ids: Uint32Array, scores: Float32Array, sentAt: Float64Array, k: number): number[] {
  const key = new Float64Array(ids.length);
  const time = new Float64Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    key[i] = -scores[ids[i]!]!;
    time[i] = sentAt[ids[i]!]!;
  }
  return best(ids, key, time, k);
}

/** Best `k` by time (earliest first, or latest first when `desc`), then id (the same way). */
export function topByTime(ids: Uint32Array, sentAt: Float64Array, k: number, desc: boolean): number[] {
  const key = new Float64Array(ids.length);
  for (let i = 0; i < ids.length; i++) key[i] = desc ? -sentAt[ids[i]!]! : sentAt[ids[i]!]!;
  if (!desc) return best(ids, key, null, k);
  // Latest first, and among equal times the higher id first: reverse the id order for ties.
  const rev = Uint32Array.from(ids).reverse();
  const revKey = key.slice().reverse();
  return best(rev, revKey, null, k).sort((a, b) => sentAt[b]! - sentAt[a]! || b - a);
}
