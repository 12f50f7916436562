/**
 * Apple's Core Data timestamps: time since 2001-01-01T00:00:00Z. chat.db / sms.db store seconds on
 * old systems (before macOS 10.13 / iOS 11) and nanoseconds since; the magnitude tells which.
 */
import type { TimePrecision } from '../types.ts';

export const APPLE_EPOCH_MS = 978_307_200_000;
/** No plausible date is this many seconds from 2001 (about 3,000 years); nanosecond values are far above. */
const SECONDS_LIMIT = 1e11;

export interface AppleTime {
  /** UTC milliseconds. */
  ms: number;
  precision: TimePrecision;
}

/** Undefined for 0/NULL (Apple's "no date") and for values that are not numbers. */
export function appleTime(raw: unknown): AppleTime | undefined {
  const n = typeof raw === 'bigint' ? Number(raw) : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isFinite(n) || n === 0) return undefined;
  if (Math.abs(n) < SECONDS_LIMIT) return { ms: Math.round(APPLE_EPOCH_MS + n * 1000), precision: 'second' };
  return { ms: Math.round(APPLE_EPOCH_MS + n / 1e6), precision: 'ms' };
}

/** Seconds since 2001 as a float (plist dates such as edit times). */
export function appleSecondsToMs(seconds: number): number {
  return Math.round(APPLE_EPOCH_MS + seconds * 1000);
}
