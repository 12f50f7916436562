/**
 * Each message's review unit (conversation, day in the display time zone, part of at most
 * MAX_UNIT_EVENTS events — the cut of src/case/review-units.ts), as one number per message id, for
 * family hits: a hit brings in the whole unit a reviewer codes.
 *
 * Built from the index's own per-message arrays (conversation, time, the live set: the messages
 * table's rows, which the index is kept consistent with, and whose conversation and time never
 * change), not by reading every message from the case again; kept per index until it changes.
 */
import { MAX_UNIT_EVENTS, dayOf } from '../case/review-units.ts';
import type { Bitset } from './bitset.ts';

export interface UnitIndex {
  /** Message id → unit number (1-based; 0 when the message is not live). */
  unitOf: Uint32Array;
  /** Unit number → messages (events) in it. */
  size: Uint32Array;
}

/** What the cut needs of the index (MemoryIndex). */
export interface UnitSource {
  maxId: number;
  generation: number;
  live: Bitset;
  conversation: Uint32Array;
  sentAt: Float64Array;
}

const cache = new WeakMap<UnitSource, { generation: number; tz: string; units: UnitIndex }>();

/** The units of the index's live messages (cached until the index changes or another zone is asked). */
export function unitIndex(source: UnitSource, tz: string): UnitIndex {
  const hit = cache.get(source);
  if (hit && hit.generation === source.generation && hit.tz === tz) return hit.units;
  const units = buildUnitIndex(source, tz);
  cache.set(source, { generation: source.generation, tz, units });
  return units;
}

/** The live messages in (conversation, time, id) order: a counting sort by conversation, then time within each. */
function unitOrder(source: UnitSource): Uint32Array {
  const { maxId, live, conversation, sentAt } = source;
  let maxConversation = 0;
  let n = 0;
  live.forEach((id) => {
    if (id > maxId) return;
    n++;
    if (conversation[id]! > maxConversation) maxConversation = conversation[id]!;
  });
  const start = new Uint32Array(maxConversation + 2);
  live.forEach((id) => {
    if (id <= maxId) start[conversation[id]! + 1]!++;
  });
  for (let c = 0; c <= maxConversation; c++) start[c + 1]! += start[c]!;
  const order = new Uint32Array(n);
  const fill = start.slice(0, maxConversation + 1);
  // Ids ascending, so each conversation's run is in id order: already in time order unless messages came out of order.
  live.forEach((id) => {
    if (id <= maxId) order[fill[conversation[id]!]!++] = id;
  });
  for (let c = 0; c <= maxConversation; c++) {
    const run = order.subarray(start[c]!, start[c + 1]!);
    let sorted = true;
    for (let i = 1; i < run.length && sorted; i++) sorted = sentAt[run[i - 1]!]! <= sentAt[run[i]!]!;
    if (!sorted) run.set(Array.from(run).sort((a, b) => sentAt[a]! - sentAt[b]! || a - b));
  }
  return order;
}

function buildUnitIndex(source: UnitSource, tz: string): UnitIndex {
  const { maxId, conversation, sentAt } = source;
  const unitOf = new Uint32Array(maxId + 1);
  const sizes: number[] = [0];
  let current = -1;
  let dayEnd = -Infinity;
  let inPart = 0;
  for (const id of unitOrder(source)) {
    const conv = conversation[id]!;
    const at = sentAt[id]!;
    if (conv !== current || at >= dayEnd || inPart === MAX_UNIT_EVENTS) {
      if (conv !== current || at >= dayEnd) dayEnd = dayOf(at, tz).end;
      current = conv;
      inPart = 0;
      sizes.push(0);
    }
    inPart++;
    sizes[sizes.length - 1]!++;
    unitOf[id] = sizes.length - 1;
  }
  return { unitOf, size: Uint32Array.from(sizes) };
}

/**
 * Counts, in one pass over a set's words, the units its messages fall in and how many messages
 * those units hold. `seen` holds per unit the stamp of the last count that met it: a new stamp per
 * count, so nothing is cleared between terms.
 */
export function countFamilies(units: UnitIndex, words: Uint32Array, seen: Uint32Array, stamp: number): { units: number; messages: number } {
  const { unitOf, size } = units;
  const last = unitOf.length;
  let n = 0;
  let messages = 0;
  for (let w = 0; w < words.length; w++) {
    let v = words[w]!;
    while (v !== 0) {
      const bit = v & -v;
      v ^= bit;
      const id = (w << 5) + (31 - Math.clz32(bit));
      if (id >= last) continue;
      const u = unitOf[id]!;
      if (u !== 0 && seen[u] !== stamp) {
        seen[u] = stamp;
        n++;
        messages += size[u]!;
      }
    }
  }
  return { units: n, messages };
}
