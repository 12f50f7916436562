/**
 * Review units: a conversation sliced into calendar days in the matter's display time zone, each
 * day split into consecutive parts of at most 10,000 events (RSMF practice: 24-hour slices, at
 * most 10,000 events per file). The unit reviewers code and productions page by.
 * A unit's key is `CONVERSATION:YYYY-MM-DD:PART`; the cut itself is src/case/review-units.ts.
 */
import type { MessageDTO, ReviewUnitDTO } from '../api/dto.ts';
import { HoldfastError } from '../api/errors.ts';
import type { CaseSession } from '../case/session.ts';
import { dataOf } from '../case/data/index.ts';
import { getMessages } from '../case/messages.ts';
import { MAX_UNIT_EVENTS, dayBounds, dayOf, parseUnitKey, unitKey } from '../case/review-units.ts';
import type { UnitRef } from '../case/review-units.ts';
import { requireConversation } from './ids.ts';

interface Bucket {
  day: string;
  start: number;
  end: number;
  events: { sentAt: number; message: boolean; coded: boolean }[];
}

export function listReviewUnits(session: CaseSession, conversationId: number): ReviewUnitDTO[] {
  requireConversation(dataOf(session), conversationId);
  const tz = session.displayTz;
  // A message counts as coded when it carries a coding or privilege tag (issue tags alone do not decide it).
  const rows = dataOf(session).read.reviewUnits.events(conversationId);
  const units: ReviewUnitDTO[] = [];
  let bucket: Bucket | undefined;
  const flush = (b: Bucket) => {
    const parts = Math.ceil(b.events.length / MAX_UNIT_EVENTS);
    for (let p = 0; p < parts; p++) {
      const slice = b.events.slice(p * MAX_UNIT_EVENTS, (p + 1) * MAX_UNIT_EVENTS);
      const coded = slice.filter((e) => e.coded).length;
      units.push({
        key: unitKey({ conversationId, day: b.day, part: p + 1 }),
        conversationId, day: b.day, part: p + 1, parts, timeZone: tz,
        from: new Date(b.start).toISOString(), to: new Date(b.end).toISOString(),
        firstAt: new Date(slice[0]!.sentAt).toISOString(), lastAt: new Date(slice[slice.length - 1]!.sentAt).toISOString(),
        events: slice.length, messages: slice.filter((e) => e.message).length, coded,
        status: coded === 0 ? 'uncoded' : coded === slice.length ? 'coded' : 'partial',
      });
    }
  };
  for (const [sentAt, message, coded] of rows) {
    if (!bucket || sentAt >= bucket.end) {
      if (bucket) flush(bucket);
      bucket = { ...dayOf(sentAt, tz), events: [] };
    }
    bucket.events.push({ sentAt, message: message === 1, coded: coded === 1 });
  }
  if (bucket) flush(bucket);
  return units;
}

/** The ids of the unit's events, in time order; NOT_FOUND when the unit holds none. */
export function unitMessageIds(session: CaseSession, ref: UnitRef): number[] {
  requireConversation(dataOf(session), ref.conversationId);
  if (!Number.isSafeInteger(ref.part) || ref.part < 1) throw new HoldfastError('VALIDATION', `Review unit part must be 1 or more, not ${ref.part}.`);
  const { start, end } = dayBounds(ref.day, session.displayTz);
  const ids = dataOf(session).read.reviewUnits.partIds(ref.conversationId, start, end, MAX_UNIT_EVENTS, (ref.part - 1) * MAX_UNIT_EVENTS);
  if (ids.length === 0) {
    throw new HoldfastError('NOT_FOUND', `Review unit ${unitKey(ref)} has no messages (days are read in ${session.displayTz}).`, { unit: unitKey(ref) });
  }
  return ids;
}

export function listUnitMessages(session: CaseSession, args: { unit: string }): MessageDTO[] {
  return getMessages(session, unitMessageIds(session, parseUnitKey(args.unit)));
}
