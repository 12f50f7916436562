/** The matter's display time zone: review units are its calendar days; search dates are read in it. */
import { DateTime, IANAZone } from 'luxon';
import { HoldfastError } from '../api/errors.ts';
import type { CaseSession } from '../case/session.ts';
import { dataOf } from '../case/data/index.ts';
import { appendAudit } from '../case/audit.ts';
import { dayBounds } from '../case/review-units.ts';

export function requireZone(tz: string): string {
  if (!IANAZone.isValidZone(tz)) throw new HoldfastError('VALIDATION', `"${tz}" is not an IANA time zone (e.g. Europe/London, America/New_York, UTC).`, { tz });
  return tz;
}

export function setDisplayTimeZone(session: CaseSession, args: { tz: string }): { displayTz: string; previous: string } {
  const tz = requireZone(args.tz);
  const previous = dataOf(session).write.transaction.run(() => {
    const before = dataOf(session).read.caseMeta.get('display_tz') ?? 'UTC';
    if (before !== tz) {
      dataOf(session).write.caseMeta.set('display_tz', tz);
      appendAudit(dataOf(session), session.actor, 'case.display-tz', { before: { displayTz: before }, after: { displayTz: tz } });
    }
    return before;
  });
  session.displayTz = tz;
  return { displayTz: tz, previous };
}

/**
 * A date bound given on the command line or by the app: YYYY-MM-DD is the start of that day in the
 * display zone (as the search language reads dates); a full ISO 8601 time is taken as written.
 */
export function parseDateBound(text: string, tz: string, name: string): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return dayBounds(text, tz).start;
  const d = DateTime.fromISO(text, { zone: tz, setZone: false });
  if (!d.isValid) throw new HoldfastError('VALIDATION', `${name} "${text}" is not a date (YYYY-MM-DD) or an ISO 8601 time.`);
  return d.toMillis();
}
