/** Dates in the case's display zone: review-unit days and the local times printed beside UTC. */

const formatters = new Map<string, Intl.DateTimeFormat>();

function parts(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
      hourCycle: 'h23', weekday: 'short', timeZoneName: 'shortOffset',
    });
    formatters.set(tz, f);
  }
  return f;
}

export interface LocalTime {
  /** YYYY-MM-DD in the zone: the review-unit day. */
  day: string;
  /** HH:MM:SS */
  time: string;
  weekday: string;
  /** "GMT+1", "GMT" */
  offset: string;
}

export function localTime(ms: number, tz: string): LocalTime {
  const p: Record<string, string> = {};
  for (const x of parts(tz).formatToParts(ms)) p[x.type] = x.value;
  return { day: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}:${p.second}`, weekday: p.weekday ?? '', offset: p.timeZoneName ?? '' };
}

/** "2023-01-03 14:05:33 GMT+1" */
export function localStamp(ms: number, tz: string): string {
  const t = localTime(ms, tz);
  return `${t.day} ${t.time} ${t.offset}`;
}

/** "2023-01-03 13:05:33 UTC" */
export function utcStamp(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** "Tuesday, 3 January 2023" for day separators. */
export function longDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(Date.UTC(y, m - 1, d));
}
