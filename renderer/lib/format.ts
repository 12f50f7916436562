/**
 * Times in the case's display time zone, counts and sizes, as reviewers read them. Every time of day
 * follows one clock setting (24-hour or 12-hour), remembered on this computer.
 */
import { createContext, useContext, useSyncExternalStore } from 'react';

export const TimeZoneContext = createContext('UTC');

export function useTimeZone(): string {
  return useContext(TimeZoneContext);
}

export type Clock = '24' | '12';
const CLOCK_KEY = 'holdfast.clock';
let clock: Clock = readClock();
const clockListeners = new Set<() => void>();

function readClock(): Clock {
  try {
    return localStorage.getItem(CLOCK_KEY) === '12' ? '12' : '24';
  } catch {
    return '24';
  }
}

export function setClock(next: Clock): void {
  clock = next;
  try {
    localStorage.setItem(CLOCK_KEY, next);
  } catch {
    // Storage may be unavailable; the choice then lasts for this session.
  }
  for (const l of clockListeners) l();
}

/** The clock setting (the app re-mounts its screen when it changes, so every time is redrawn). */
export function useClock(): Clock {
  return useSyncExternalStore(
    (l) => {
      clockListeners.add(l);
      return () => clockListeners.delete(l);
    },
    () => clock,
  );
}

const cache = new Map<string, Intl.DateTimeFormat>();
function fmt(tz: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const withClock: Intl.DateTimeFormatOptions = opts.hour ? { ...opts, hourCycle: clock === '12' ? 'h12' : 'h23' } : opts;
  const key = `${tz}|${JSON.stringify(withClock)}`;
  let f = cache.get(key);
  if (!f) cache.set(key, (f = new Intl.DateTimeFormat(undefined, { timeZone: tz, ...withClock })));
  return f;
}

export function dateTime(iso: string | null | undefined, tz: string): string {
  if (!iso) return '';
  return fmt(tz, { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

/** "2024-03-04 09:02" (or "2024-03-04 9:02 AM" on the 12-hour clock): unambiguous and compact, for tables. */
export function compactDateTime(iso: string | null | undefined, tz: string): string {
  if (!iso) return '';
  const parts = fmt(tz, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(new Date(iso));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}${clock === '12' ? ` ${get('dayPeriod')}` : ''}`;
}

/** The date with its year ("Mar 04, 2024"), never the year-less "Mar 04". */
export function dateOnly(iso: string | null | undefined, tz: string): string {
  if (!iso) return '';
  return fmt(tz, { year: 'numeric', month: 'short', day: '2-digit' }).format(new Date(iso));
}

export function timeOnly(iso: string, tz: string): string {
  return fmt(tz, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

/** "Europe/London (GMT+1)": the zone times are shown in, for headers. */
export function zoneLabel(tz: string, at: Date = new Date()): string {
  const off = new Intl.DateTimeFormat('en', { timeZone: tz, timeZoneName: 'shortOffset' }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value;
  return off && off !== tz ? `${tz} (${off})` : tz;
}

export function dayLabel(iso: string, tz: string): string {
  return fmt(tz, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }).format(new Date(iso));
}

/** YYYY-MM-DD of the instant in `tz` (day separators compare these). */
export function dayKey(iso: string, tz: string): string {
  const parts = fmt(tz, { year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(iso));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export function count(n: number): string {
  return n.toLocaleString();
}

export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '';
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}
