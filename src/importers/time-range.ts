/**
 * The range every imported time must fall in. A source may hold any digits in a time field (a
 * hostile or corrupt backup: "9000000000000000", a 23-digit Telegram time); such a value is kept
 * as written (`rawTime`), the message is flagged `timeUnknown` with the neutral time 0, and a
 * BAD_DATE warning says so — never a skipped message, never a value that breaks reading later.
 */
import type { ImportWarning, Locator } from './types.ts';

/** 1970-01-01 (no messaging platform writes earlier) to 2100-01-01 exclusive, UTC milliseconds. */
export const EARLIEST_TIME_MS = Date.UTC(1970, 0, 1);
export const LATEST_TIME_MS = Date.UTC(2100, 0, 1);

export function timeInRange(ms: number | undefined): ms is number {
  return ms !== undefined && Number.isFinite(ms) && ms >= EARLIEST_TIME_MS && ms < LATEST_TIME_MS;
}

/**
 * `ms` when it is a time in range; otherwise the unknown time, with a BAD_DATE warning naming the
 * raw value. Importers call it where they parse a message's time.
 */
export function checkedTime(warn: (w: ImportWarning) => void, locator: Locator, raw: string, ms: number | undefined): { sentAt: number; timeUnknown: boolean } {
  if (timeInRange(ms)) return { sentAt: Math.floor(ms), timeUnknown: false };
  const shown = raw.length > 40 ? `${raw.slice(0, 40)}…` : raw;
  warn({ code: 'BAD_DATE', locator, message: `time "${shown}" is not a usable time (1970–2099); kept as written, message imported with its time unknown` });
  return { sentAt: 0, timeUnknown: true };
}
