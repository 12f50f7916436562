/**
 * Google Chat Takeout writes times as English prose: "Monday, March 4, 2024 at 10:12:33 AM UTC" (since
 * 2023 with U+202F NARROW NO-BREAK SPACE before AM/PM, as ICU formats it). Parsed strictly: every
 * part must be in range, the weekday must be that date's, and the zone must be UTC/GMT (the only
 * zone Takeout writes); anything else is refused rather than guessed.
 */
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DATE = new RegExp(
  `^(${WEEKDAYS.join('|')}), (${MONTHS.join('|')}) (\\d{1,2}), (\\d{4}) at (\\d{1,2}):(\\d{2}):(\\d{2})[ \\u202f\\u00a0](AM|PM) (UTC|GMT)$`,
);

export function parseGoogleChatDate(s: unknown): number | undefined {
  if (typeof s !== 'string') return undefined;
  const m = DATE.exec(s);
  if (!m) return undefined;
  const [, weekday, monthName, day, year, hour12, minute, second, half] = m;
  const month = MONTHS.indexOf(monthName!);
  const h = Number(hour12);
  if (h < 1 || h > 12 || Number(minute) > 59 || Number(second) > 59) return undefined;
  const hour = (h % 12) + (half === 'PM' ? 12 : 0);
  const at = Date.UTC(Number(year), month, Number(day), hour, Number(minute), Number(second));
  const d = new Date(at);
  if (d.getUTCDate() !== Number(day) || d.getUTCMonth() !== month || WEEKDAYS[d.getUTCDay()] !== weekday) return undefined;
  return at;
}
