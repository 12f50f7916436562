/**
 * Review units of a length the reviewer picks in the conversation view (1 hour, 6 hours, 7 days,
 * any whole number of hours), in the matter's display time zone. A length of whole days is cut at
 * local midnights counted from the conversation's first day (24 hours gives exactly the review
 * units of units.ts); a shorter length is cut within each local day from midnight, the day's last
 * slice ending at midnight. Like the days, a slice holds at most MAX_UNIT_EVENTS events a part.
 */
import { DateTime } from 'luxon';
import type { ReviewSliceDTO } from '../api/dto.ts';
import { HoldfastError } from '../api/errors.ts';
import type { CaseSession } from '../case/session.ts';
import { dataOf } from '../case/data/index.ts';
import { MAX_UNIT_EVENTS, dayOf } from '../case/review-units.ts';
import { requireConversation } from './ids.ts';

/** A year (a leap year's hours). */
export const MAX_SLICE_HOURS = 8784;
const HOUR = 3_600_000;

function checkHours(hours: number): void {
  if (!Number.isInteger(hours) || hours < 1 || hours > MAX_SLICE_HOURS) throw new HoldfastError('VALIDATION', `A review unit is 1–${MAX_SLICE_HOURS} whole hours, not ${hours}.`);
}

/** The slice [start, end) that holds `t`; `origin` is the local midnight of the conversation's first day. */
function sliceAt(t: number, hours: number, origin: DateTime, tz: string): { start: number; end: number } {
  if (hours % 24 === 0) {
    const days = hours / 24;
    const day = DateTime.fromMillis(t, { zone: tz }).startOf('day');
    // Calendar days between the two midnights (a DST day is 23 or 25 hours: rounded).
    const k = Math.floor(Math.round(day.diff(origin, 'days').days) / days);
    return { start: origin.plus({ days: k * days }).toMillis(), end: origin.plus({ days: (k + 1) * days }).toMillis() };
  }
  const day = dayOf(t, tz);
  const start = day.start + Math.floor((t - day.start) / (hours * HOUR)) * hours * HOUR;
  return { start, end: Math.min(start + hours * HOUR, day.end) };
}

export function listReviewSlices(session: CaseSession, args: { conversationId: number; hours: number }): ReviewSliceDTO[] {
  checkHours(args.hours);
  requireConversation(dataOf(session), args.conversationId);
  const tz = session.displayTz;
  const out: ReviewSliceDTO[] = [];
  let origin: DateTime | undefined;
  let slice: { start: number; end: number; events: { sentAt: number; message: boolean; coded: boolean }[] } | undefined;
  const flush = () => {
    if (!slice) return;
    const parts = Math.ceil(slice.events.length / MAX_UNIT_EVENTS);
    for (let p = 0; p < parts; p++) {
      const events = slice.events.slice(p * MAX_UNIT_EVENTS, (p + 1) * MAX_UNIT_EVENTS);
      const coded = events.filter((e) => e.coded).length;
      out.push({
        conversationId: args.conversationId, hours: args.hours, timeZone: tz,
        from: new Date(slice.start).toISOString(), to: new Date(slice.end).toISOString(), part: p + 1, parts,
        firstAt: new Date(events[0]!.sentAt).toISOString(), lastAt: new Date(events[events.length - 1]!.sentAt).toISOString(),
        events: events.length, messages: events.filter((e) => e.message).length, coded,
        status: coded === 0 ? 'uncoded' : coded === events.length ? 'coded' : 'partial',
      });
    }
  };
  for (const [sentAt, message, coded] of dataOf(session).read.reviewMarks.codedTimeline(args.conversationId)) {
    origin ??= DateTime.fromMillis(sentAt, { zone: tz }).startOf('day');
    if (!slice || sentAt >= slice.end) {
      flush();
      slice = { ...sliceAt(sentAt, args.hours, origin, tz), events: [] };
    }
    slice.events.push({ sentAt, message: message === 1, coded: coded === 1 });
  }
  flush();
  return out;
}

/** The ids of a slice's events (its part), in time order, to select them for coding. */
export function reviewSliceIds(session: CaseSession, args: { conversationId: number; from: string; to: string; part: number }): number[] {
  requireConversation(dataOf(session), args.conversationId);
  const start = Date.parse(args.from);
  const end = Date.parse(args.to);
  if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) throw new HoldfastError('VALIDATION', `"${args.from}" to "${args.to}" is not a time range.`);
  if (!Number.isSafeInteger(args.part) || args.part < 1) throw new HoldfastError('VALIDATION', `A part is 1 or more, not ${args.part}.`);
  const ids = dataOf(session).read.messages.idsInRange(args.conversationId, start, end);
  return ids.slice((args.part - 1) * MAX_UNIT_EVENTS, args.part * MAX_UNIT_EVENTS);
}
