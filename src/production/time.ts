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

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const SLOT = 15 * 60_000;
/** Zone offsets per quarter hour (transitions fall on quarter hours): Intl is slow, and a production asks per message. */
const offsets = new Map<string, { offsetMs: number; label: string }>();

function offsetAt(ms: number, tz: string): { offsetMs: number; label: string } {
  const slot = Math.floor(ms / SLOT);
  const key = `${tz}\u0000${slot}`;
  let o = offsets.get(key);
  if (!o) {
    const p: Record<string, string> = {};
    for (const x of parts(tz).formatToParts(slot * SLOT)) p[x.type] = x.value;
    const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
    o = { offsetMs: asUtc - slot * SLOT, label: p.timeZoneName ?? '' };
    if (offsets.size > 100_000) offsets.clear();
    offsets.set(key, o);
  }
  return o;
}

const two = (n: number) => (n < 10 ? `0${n}` : String(n));

export function localTime(ms: number, tz: string): LocalTime {
  const { offsetMs, label } = offsetAt(ms, tz);
  const d = new Date(ms + offsetMs);
  return {
    day: `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`,
    time: `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`,
    weekday: WEEKDAYS[d.getUTCDay()]!,
    offset: label,
  };
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
