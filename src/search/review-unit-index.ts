/**
 * Each message's review unit (conversation, day in the display time zone, part of at most
 * MAX_UNIT_EVENTS events — the cut of src/case/review-units.ts), as one number per message id, for
 * family hits: a hit brings in the whole unit a reviewer codes.
 */
import type { CaseData } from '../case/data/interface.ts';
import { MAX_UNIT_EVENTS, dayOf } from '../case/review-units.ts';

export interface UnitIndex {
  /** Message id → unit number (1-based; 0 when the message is not in the table). */
  unitOf: Uint32Array;
  /** Unit number → messages (events) in it. */
  size: Uint32Array;
}

/** One pass over the messages in (conversation, time, id) order, on the covering index. */
export function buildUnitIndex(data: CaseData, maxId: number, tz: string): UnitIndex {
  const unitOf = new Uint32Array(maxId + 1);
  const sizes: number[] = [0];
  let conversation = -1;
  let dayEnd = -Infinity;
  let inPart = 0;
  for (const [id, conv, sentAt] of data.read.searchDocs.inUnitOrder()) {
    if (conv !== conversation || sentAt >= dayEnd || inPart === MAX_UNIT_EVENTS) {
      if (conv !== conversation || sentAt >= dayEnd) dayEnd = dayOf(sentAt, tz).end;
      conversation = conv;
      inPart = 0;
      sizes.push(0);
    }
    inPart++;
    sizes[sizes.length - 1]!++;
    if (id <= maxId) unitOf[id] = sizes.length - 1;
  }
  return { unitOf, size: Uint32Array.from(sizes) };
}

/** How many units the messages of `ids` fall in, and how many messages those units hold. */
export function families(units: UnitIndex, forEach: (visit: (id: number) => void) => void, seen: Uint8Array): { units: number; messages: number } {
  seen.fill(0);
  let n = 0;
  let messages = 0;
  forEach((id) => {
    const u = units.unitOf[id]!;
    if (u !== 0 && seen[u] === 0) {
      seen[u] = 1;
      n++;
      messages += units.size[u]!;
    }
  });
  return { units: n, messages };
}
