/**
 * The cut of review units, the one definition review, search (family hits) and productions share:
 * a conversation's calendar day in the matter's display time zone, split into consecutive parts of
 * at most MAX_UNIT_EVENTS events in (time, id) order. A unit's key is `CONVERSATION:YYYY-MM-DD:PART`.
 */
import { DateTime } from 'luxon';
import { HoldfastError } from '../api/errors.ts';
import type { CaseData, MessageReader } from './data/interface.ts';

export const MAX_UNIT_EVENTS = 10_000;

export interface UnitRef {
  conversationId: number;
  day: string;
  part: number;
}

export function unitKey(ref: UnitRef): string {
  return `${ref.conversationId}:${ref.day}:${ref.part}`;
}

export function parseUnitKey(key: string): UnitRef {
  const m = /^(\d+):(\d{4}-\d{2}-\d{2})(?::(\d+))?$/.exec(key.trim());
  if (!m) throw new HoldfastError('VALIDATION', `"${key}" is not a review unit (CONVERSATION:YYYY-MM-DD[:PART], e.g. 12:2024-03-31:1).`);
  return { conversationId: Number(m[1]), day: m[2]!, part: m[3] === undefined ? 1 : Number(m[3]) };
}

/** The UTC bounds [start, end) of calendar day `day` (YYYY-MM-DD) in `tz`; 23 or 25 hours across DST. */
export function dayBounds(day: string, tz: string): { start: number; end: number } {
  const d = /^\d{4}-\d{2}-\d{2}$/.test(day) ? DateTime.fromISO(day, { zone: tz }) : DateTime.invalid('not YYYY-MM-DD');
  if (!d.isValid) throw new HoldfastError('VALIDATION', `"${day}" is not a date (YYYY-MM-DD).`);
  const start = d.startOf('day');
  return { start: start.toMillis(), end: start.plus({ days: 1 }).startOf('day').toMillis() };
}

/** The calendar day (YYYY-MM-DD) in `tz` that contains `ms`, with its UTC bounds. */
export function dayOf(ms: number, tz: string): { day: string; start: number; end: number } {
  const start = DateTime.fromMillis(ms, { zone: tz }).startOf('day');
  return { day: start.toISODate() ?? '', start: start.toMillis(), end: start.plus({ days: 1 }).startOf('day').toMillis() };
}

/**
 * The part (1-based) of each event of a conversation's day, and how many parts the day has: events
 * in (time, id) order, MAX_UNIT_EVENTS to a part. Only a day longer than one part is read.
 */
export function dayParts(data: CaseData, conversationId: number, start: number, end: number): { parts: number; partOf: (id: number) => number } {
  return dayPartsOf(data.read.messages, conversationId, start, end);
}

function dayPartsOf(messages: MessageReader, conversationId: number, start: number, end: number): { parts: number; partOf: (id: number) => number } {
  if (messages.countInRange(conversationId, start, end) <= MAX_UNIT_EVENTS) return { parts: 1, partOf: () => 1 };
  const ids = messages.idsInRange(conversationId, start, end);
  const index = new Map(ids.map((id, i) => [id, i]));
  return { parts: Math.ceil(ids.length / MAX_UNIT_EVENTS), partOf: (id) => Math.floor(index.get(id)! / MAX_UNIT_EVENTS) + 1 };
}

/** The review unit of each message of `placed` ([id, conversation id, sent_at]), by message id. */
export function unitRefsOf(messages: MessageReader, tz: string, placed: readonly (readonly [number, number, number])[]): Map<number, UnitRef> {
  const out = new Map<number, UnitRef>();
  const days = new Map<string, { parts: number; partOf: (id: number) => number }>();
  for (const [id, conversationId, sentAt] of placed) {
    const d = dayOf(sentAt, tz);
    const k = `${conversationId}:${d.day}`;
    let parts = days.get(k);
    if (!parts) days.set(k, (parts = dayPartsOf(messages, conversationId, d.start, d.end)));
    out.set(id, { conversationId, day: d.day, part: parts.partOf(id) });
  }
  return out;
}
