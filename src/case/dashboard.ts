/**
 * The review dashboard: message volume over time in the case's display time zone, the most active
 * participants, and who writes to whom. Personal conversations are left out, as in review.
 */
import type { DashboardDTO } from '../api/dto.ts';
import { isoTime } from '../api/dto.ts';
import type { CaseSession } from './session.ts';
import { dataOf } from './data/index.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;

type Bucket = DashboardDTO['bucket'];

export function dashboard(session: CaseSession, opts: { bucket: Bucket; top: number }): DashboardDTO {
  const read = dataOf(session).read.dashboard;
  const totals = read.totals();
  // Hours in SQL (few rows even for years of data), then each hour to its local period: exact
  // across daylight-saving changes for every zone whose offset is a whole number of hours.
  const hours = read.perHour();
  const toDate = localDate(session.displayTz);
  const counts = new Map<string, number>();
  for (const { h, n } of hours) {
    const period = periodStart(toDate(h * HOUR), opts.bucket);
    counts.set(period, (counts.get(period) ?? 0) + n);
  }
  const volume: DashboardDTO['volume'] = [];
  const periods = [...counts.keys()].sort();
  if (periods.length) {
    for (let p = periods[0]!, last = periods.at(-1)!; p <= last; p = nextPeriod(p, opts.bucket)) volume.push({ period: p, messages: counts.get(p) ?? 0 });
  }

  const people = read.senders();
  const byPerson = new Map<string, { name: string; handle: string | null; messages: number }>();
  const personOfHandle = new Map<number, string>();
  for (const p of people) {
    personOfHandle.set(p.handle_id, p.who);
    const e = byPerson.get(p.who);
    if (e) {
      e.messages += p.n;
      if (e.handle !== p.handle) e.handle = null;
    } else byPerson.set(p.who, { name: p.name, handle: p.handle, messages: p.n });
  }
  const topParticipants = [...byPerson.values()].sort((a, b) => b.messages - a.messages || a.name.localeCompare(b.name)).slice(0, opts.top);

  // Recipients of a message: the conversation's members, or (without member lists) everyone who wrote in it.
  const perSenderConv = read.perSenderConversation();
  const members = read.members();
  const nameOf = new Map<string, string>();
  for (const [who, e] of byPerson) nameOf.set(who, e.name);
  for (const r of read.handlePeople()) {
    if (!personOfHandle.has(r.id)) personOfHandle.set(r.id, r.who);
    if (!nameOf.has(r.who)) nameOf.set(r.who, r.name);
  }
  const membersOf = new Map<number, Set<string>>();
  for (const m of members) {
    const who = personOfHandle.get(m.h);
    if (!who) continue;
    let set = membersOf.get(m.c);
    if (!set) membersOf.set(m.c, (set = new Set()));
    set.add(who);
  }
  const pairCounts = new Map<string, number>();
  for (const s of perSenderConv) {
    const from = personOfHandle.get(s.h);
    if (!from) continue;
    for (const to of membersOf.get(s.c) ?? []) {
      if (to === from) continue;
      const key = `${from}\u0000${to}`;
      pairCounts.set(key, (pairCounts.get(key) ?? 0) + s.n);
    }
  }
  const pairs = [...pairCounts.entries()]
    .map(([key, n]) => {
      const [from, to] = key.split('\u0000') as [string, string];
      return { from: nameOf.get(from) ?? from, to: nameOf.get(to) ?? to, messages: n };
    })
    .sort((a, b) => b.messages - a.messages || a.from.localeCompare(b.from) || a.to.localeCompare(b.to))
    .slice(0, opts.top * 3);

  return {
    bucket: opts.bucket,
    volume,
    topParticipants,
    pairs,
    totals: {
      messages: totals.n,
      conversations: read.conversations(),
      participants: byPerson.size,
      firstAt: isoTime(totals.first),
      lastAt: isoTime(totals.last),
    },
  };
}

/** UTC ms → YYYY-MM-DD in `tz`. */
function localDate(tz: string): (ms: number) => string {
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
  return (ms) => {
    const parts = fmt.formatToParts(ms);
    const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
    return `${get('year')}-${get('month')}-${get('day')}`;
  };
}

function periodStart(date: string, bucket: Bucket): string {
  if (bucket === 'day') return date;
  if (bucket === 'month') return `${date.slice(0, 8)}01`;
  const d = Date.parse(`${date}T00:00:00Z`);
  const monday = d - ((new Date(d).getUTCDay() + 6) % 7) * DAY;
  return new Date(monday).toISOString().slice(0, 10);
}

function nextPeriod(period: string, bucket: Bucket): string {
  const d = new Date(`${period}T00:00:00Z`);
  if (bucket === 'day') d.setUTCDate(d.getUTCDate() + 1);
  else if (bucket === 'week') d.setUTCDate(d.getUTCDate() + 7);
  else d.setUTCMonth(d.getUTCMonth() + 1);
  return d.toISOString().slice(0, 10);
}
