/**
 * The timestamp that starts every message line of a WhatsApp export, and turning it into UTC.
 *
 * One regular expression recognises every form (a superset of whatsapp-chat-parser's): Android
 * `d/m/y, h:mm - `, iOS `[d/m/y, h:mm:ss] `, `.`/`-`/`/` separators, 2- or 4-digit years, words
 * between date and time (`klo`, `um`, `à`), 12 h markers after the time (`PM`, `p. m.`, with
 * U+202F/U+00A0 before them) or before it (`午後3:04`), and U+200E/U+200F marks in front.
 * The export never says which of the first two numbers is the day: see `inferOrders`.
 */
import { DateTime, IANAZone } from 'luxon';
import { HoldfastError } from '../../api/errors.ts';

/** 12 h markers: a.m./p.m. in their many spellings, and the CJK/Arabic day periods. */
const AMPM_AFTER = String.raw`[ap]\.?\s?m\.?|午前|午後|上午|下午|오전|오후|ص|م`;
const AM_WORDS = /^(?:a|午前|上午|오전|ص)/i;
const BEFORE_TIME = /(午前|午後|上午|下午|오전|오후)\s*$/;

const HEADER = new RegExp(
  String.raw`^([\u200e\u200f\u202a-\u202e\u2066-\u2069]*\[?[\u200e\u200f]*)` + // 1 marks and bracket
    String.raw`(\d{1,4})([-/.])\s?(\d{1,4})[-/.]\s?(\d{1,4})` + // 2 a, 3 separator, 4 b, 5 c
    String.raw`[,.]?\s([^\d\n]{0,24}?)` + // 6 words between date and time
    String.raw`(\d{1,2})[.:](\d{1,2})(?:[.:](\d{1,2}))?` + // 7 hour, 8 minute, 9 second
    String.raw`(?:\s?(${AMPM_AFTER}))?` + // 10 day period
    String.raw`([\u200e\u200f]*\]?(?:\s[-–]|:)?\s)`, // 11 closing bracket / separator
  'i',
);

export interface Header {
  /** Numbers of the date as written, left to right. */
  a: number;
  b: number;
  c: number;
  /** Digit counts, which tell where the year is. */
  la: number;
  lb: number;
  lc: number;
  sep: string;
  hour: number;
  minute: number;
  second: number | undefined;
  /** 'am' | 'pm' when a 12 h marker was written. */
  period: 'am' | 'pm' | undefined;
  /** The timestamp text exactly as written (date to time, without brackets or separator). */
  raw: string;
  /** Everything after the separator: "Name: text" or a system notice. */
  rest: string;
}

/** Cheap pre-check: a header line starts with a digit, `[` or a direction mark. */
export function mayStartHeader(line: string): boolean {
  const c = line.charCodeAt(0);
  return (c >= 48 && c <= 57) || c === 91 || c === 0x200e || c === 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

export function parseHeader(line: string): Header | undefined {
  if (!mayStartHeader(line)) return undefined;
  const m = HEADER.exec(line);
  if (!m) return undefined;
  const lead = m[1]!;
  const tail = m[11]!;
  const bracket = lead.includes('[');
  const closed = tail.includes(']');
  // `[` must be closed; without brackets the time must be followed by " - " or ":".
  if (bracket !== closed) return undefined;
  if (!bracket && tail.trim() === '') return undefined;
  const words = m[6]!;
  let period: 'am' | 'pm' | undefined;
  const after = m[10];
  if (after) period = AM_WORDS.test(after) ? 'am' : 'pm';
  else if (words) {
    const before = BEFORE_TIME.exec(words);
    if (before) period = AM_WORDS.test(before[1]!) ? 'am' : 'pm';
  }
  const end = m[0].length - tail.length;
  return {
    a: Number(m[2]), b: Number(m[4]), c: Number(m[5]),
    la: m[2]!.length, lb: m[4]!.length, lc: m[5]!.length,
    sep: m[3]!,
    hour: Number(m[7]), minute: Number(m[8]), second: m[9] === undefined ? undefined : Number(m[9]),
    period,
    raw: line.slice(lead.length, end),
    rest: line.slice(m[0].length),
  };
}

/** Where the year is, from the digit counts (the longest part, as whatsapp-chat-parser decides). */
export type YearPos = 'first' | 'middle' | 'last';

export function yearPos(h: Header): YearPos {
  const r = Math.max(h.la, h.lb, h.lc);
  if (h.lc === r) return 'last';
  if (h.lb === r) return 'middle';
  return 'first';
}

/** Dates that share a shape (separator, year position and length) share an order. */
export function shapeOf(h: Header): string {
  const pos = yearPos(h);
  const len = pos === 'last' ? h.lc : pos === 'middle' ? h.lb : h.la;
  return `${h.sep}${pos}${len > 2 ? 4 : 2}`;
}

/** The two non-year numbers in written order, and the year as written (string, for padding). */
function parts(h: Header, pos: YearPos): [number, number, number, number] {
  if (pos === 'last') return [h.a, h.b, h.c, h.lc];
  if (pos === 'middle') return [h.a, h.c, h.b, h.lb];
  return [h.b, h.c, h.a, h.la];
}

export interface Order {
  pos: YearPos;
  /** True when the first of the two non-year numbers is the day. */
  dayFirst: boolean;
}

export function orderName(o: Order): string {
  const dm = o.dayFirst ? 'd/m' : 'm/d';
  return o.pos === 'first' ? `y/${dm}` : o.pos === 'last' ? `${dm}/y` : `${dm[0]}/y/${dm[2]}`;
}

export function orderFromOption(opt: 'dmy' | 'mdy' | 'ymd'): Order {
  if (opt === 'ymd') return { pos: 'first', dayFirst: false };
  return { pos: 'last', dayFirst: opt === 'dmy' };
}

/**
 * Collects the distinct dates of each shape in order of appearance (pass 1), then decides for
 * each shape whether the day comes first — whatsapp-chat-parser's rules: a first number over 12
 * means days first, a second over 12 months first; otherwise whichever number goes down within
 * a year is the day (days restart when the month moves on); otherwise whichever changes more.
 */
export class OrderInference {
  private readonly shapes = new Map<string, { pos: YearPos; seen: Set<string>; dates: [number, number, number][] }>();
  private readonly all: [number, number, number][] = [];
  private readonly allSeen = new Set<string>();

  add(h: Header): void {
    const shape = shapeOf(h);
    let s = this.shapes.get(shape);
    if (!s) {
      s = { pos: yearPos(h), seen: new Set(), dates: [] };
      this.shapes.set(shape, s);
    }
    const key = `${h.a}.${h.b}.${h.c}`;
    if (s.seen.has(key)) return;
    s.seen.add(key);
    const [x, y, year] = parts(h, s.pos);
    s.dates.push([x, y, year]);
    const allKey = `${shape}|${key}`;
    if (!this.allSeen.has(allKey)) {
      this.allSeen.add(allKey);
      this.all.push([x, y, year]);
    }
  }

  get shapeCount(): number {
    return this.shapes.size;
  }

  /** Order per shape, and which shapes had to be guessed (no number over 12 decided it). */
  decide(): { orders: Map<string, Order>; guessed: Map<string, 'decrease' | 'change' | 'none'>; conflicting: string[] } {
    const whole = daysFirst(this.all);
    const orders = new Map<string, Order>();
    const guessed = new Map<string, 'decrease' | 'change' | 'none'>();
    const conflicting: string[] = [];
    for (const [shape, s] of this.shapes) {
      const evidence = bigNumberEvidence(s.dates);
      if (evidence.first && evidence.second) conflicting.push(shape);
      let first = daysFirst(s.dates);
      if (first.value === null) first = whole;
      if (first.by !== 'over-12') guessed.set(shape, first.by);
      orders.set(shape, { pos: s.pos, dayFirst: first.value ?? true });
    }
    return { orders, guessed, conflicting };
  }
}

function bigNumberEvidence(dates: [number, number, number][]): { first: boolean; second: boolean } {
  return { first: dates.some((d) => d[0] > 12), second: dates.some((d) => d[1] > 12) };
}

function daysFirst(dates: [number, number, number][]): { value: boolean | null; by: 'over-12' | 'decrease' | 'change' | 'none' } {
  const big = bigNumberEvidence(dates);
  if (big.first) return { value: true, by: 'over-12' };
  if (big.second) return { value: false, by: 'over-12' };
  const byYear = new Map<number, [number, number, number][]>();
  for (const d of dates) {
    const list = byYear.get(d[2]);
    if (list) list.push(d);
    else byYear.set(d[2], [d]);
  }
  let firstDecreases = false;
  let secondDecreases = false;
  for (const list of byYear.values()) {
    let firstHere = false;
    let secondHere = false;
    for (let i = 1; i < list.length; i++) {
      if (list[i]![0] < list[i - 1]![0]) firstHere = true;
      if (list[i]![1] < list[i - 1]![1]) secondHere = true;
    }
    if (firstHere) firstDecreases = true;
    else if (secondHere) secondDecreases = true;
  }
  if (firstDecreases) return { value: true, by: 'decrease' };
  if (secondDecreases) return { value: false, by: 'decrease' };
  let changeFirst = 0;
  let changeSecond = 0;
  for (let i = 1; i < dates.length; i++) {
    changeFirst += Math.abs(dates[i]![0] - dates[i - 1]![0]);
    changeSecond += Math.abs(dates[i]![1] - dates[i - 1]![1]);
  }
  if (changeFirst !== changeSecond) return { value: changeFirst > changeSecond, by: 'change' };
  return { value: null, by: 'none' };
}

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return MONTH_DAYS[month - 1]!;
}

/** The wall-clock time of a header under an order, or undefined when it is not a real date/time. */
export function wallClock(h: Header, order: Order): WallClock | undefined {
  const [x, y, yearNum, yearLen] = parts(h, order.pos);
  const day = order.dayFirst ? x : y;
  const month = order.dayFirst ? y : x;
  // Short years are read as 20xx (WhatsApp is younger than 2000), as whatsapp-chat-parser pads them.
  const year = yearLen >= 4 ? yearNum : Number(String(yearNum).padStart(yearLen, '0').padStart(4, '2000'));
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  let hour = h.hour;
  if (h.period) {
    if (hour > 12) return undefined;
    if (hour === 12) hour = 0;
    if (h.period === 'pm') hour += 12;
  }
  const second = h.second ?? 0;
  if (hour > 23 || h.minute > 59 || second > 59) return undefined;
  return { year, month, day, hour, minute: h.minute, second };
}

/**
 * Wall-clock → UTC in one IANA zone. Calling luxon per line would dominate the import, so the
 * zone's offset is looked up once per local month when it is the same at the month's start, every
 * seventh day and its end (no zone has had a summer time shorter than a week), once per local day
 * in a month with a transition, once per hour on the day of one, and per line only within an hour
 * that itself changes offset or does not exist.
 */
export class ZoneClock {
  readonly zone: string;
  private readonly utc: boolean;
  private readonly months = new Map<number, number>();
  private readonly days = new Map<number, number>();
  private readonly hours = new Map<number, number>();
  private lastDay = -1;
  private lastOffset = 0;

  constructor(zone: string) {
    if (!IANAZone.isValidZone(zone) && zone.toUpperCase() !== 'UTC') {
      throw new HoldfastError('VALIDATION', `"${zone}" is not an IANA time zone (e.g. Europe/London, UTC).`);
    }
    this.zone = zone;
    this.utc = zone.toUpperCase() === 'UTC' || zone === 'Etc/UTC';
  }

  toUtc(w: WallClock): number {
    const naive = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
    if (this.utc) return naive;
    const day = (w.year * 100 + w.month) * 100 + w.day;
    if (day === this.lastDay) return naive - this.lastOffset * 60_000;
    const month = w.year * 100 + w.month;
    let offset = this.months.get(month);
    if (offset === undefined) {
      offset = this.steadyMonth(w.year, w.month);
      this.months.set(month, offset);
    }
    if (Number.isNaN(offset)) offset = this.days.get(day);
    if (offset === undefined) {
      offset = this.steadyOffset(w, 0, 23);
      this.days.set(day, offset);
    }
    if (!Number.isNaN(offset)) {
      this.lastDay = day;
      this.lastOffset = offset;
      return naive - offset * 60_000;
    }
    const hour = day * 100 + w.hour;
    let hourOffset = this.hours.get(hour);
    if (hourOffset === undefined) {
      hourOffset = this.steadyOffset(w, w.hour, w.hour);
      this.hours.set(hour, hourOffset);
    }
    if (!Number.isNaN(hourOffset)) return naive - hourOffset * 60_000;
    return DateTime.fromObject({ ...w }, { zone: this.zone }).toMillis();
  }

  private steadyMonth(year: number, month: number): number {
    const last = daysIn(year, month);
    const days = [1, 8, 15, 22, 29, last].filter((d) => d <= last);
    let offset = Number.NaN;
    for (const d of days) {
      const o = this.steadyOffset({ year, month, day: d, hour: 0, minute: 0, second: 0 }, 0, 23);
      if (Number.isNaN(o) || (!Number.isNaN(offset) && o !== offset)) return Number.NaN;
      offset = o;
    }
    return offset;
  }

  /** The offset valid from `fromHour`:00:00 to `toHour`:59:59 of the day, or NaN when it changes (or a time does not exist). */
  private steadyOffset(w: WallClock, fromHour: number, toHour: number): number {
    const start = DateTime.fromObject({ year: w.year, month: w.month, day: w.day, hour: fromHour, minute: 0, second: 0 }, { zone: this.zone });
    const end = DateTime.fromObject({ year: w.year, month: w.month, day: w.day, hour: toHour, minute: 59, second: 59 }, { zone: this.zone });
    if (start.hour !== fromHour || end.hour !== toHour || start.offset !== end.offset) return Number.NaN;
    return start.offset;
  }
}
