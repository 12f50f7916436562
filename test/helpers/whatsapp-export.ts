/**
 * Generated WhatsApp "Export chat" texts in the forms phones write them, for tests and benchmarks.
 * Each locale variant renders the same seeded chat (wall-clock times, authors, multi-line texts,
 * system notices) as one export of that locale would.
 */
import { rng } from './generate.ts';

export interface ChatEvent {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** null for a system notice. */
  author: string | null;
  text: string;
}

const NNBSP = '\u202f';
const NBSP = '\u00a0';
const p2 = (n: number) => String(n).padStart(2, '0');
const h12 = (h: number) => h % 12 || 12;

export interface ExportFormat {
  id: string;
  /** What the phone is set to, for the test's name. */
  describe: string;
  /** One message or notice as its first line (further lines of the text follow as they are). */
  head(e: ChatEvent): string;
}

export const EXPORT_FORMATS: ExportFormat[] = [
  { id: 'en-GB-android', describe: 'Android, English (UK), dd/mm/yyyy 24 h', head: (e) => `${p2(e.day)}/${p2(e.month)}/${e.year}, ${p2(e.hour)}:${p2(e.minute)} - ${who(e)}` },
  { id: 'en-US-android', describe: `Android, English (US), m/d/yy 12 h with U+202F before AM/PM`, head: (e) => `${e.month}/${e.day}/${e.year % 100}, ${h12(e.hour)}:${p2(e.minute)}${NNBSP}${e.hour < 12 ? 'AM' : 'PM'} - ${who(e)}` },
  { id: 'en-US-ios', describe: 'iOS, English (US), [m/d/yy, h:mm:ss AM] with U+00A0', head: (e) => `[${e.month}/${e.day}/${p2(e.year % 100)}, ${h12(e.hour)}:${p2(e.minute)}:${p2(e.second)}${NBSP}${e.hour < 12 ? 'AM' : 'PM'}] ${who(e)}` },
  { id: 'en-AU-ios', describe: 'iOS, English (Australia), [d/m/yy, h:mm:ss pm] lower case', head: (e) => `[${e.day}/${e.month}/${p2(e.year % 100)}, ${h12(e.hour)}:${p2(e.minute)}:${p2(e.second)} ${e.hour < 12 ? 'am' : 'pm'}] ${who(e)}` },
  { id: 'de-android', describe: 'Android, German, dd.mm.yy 24 h', head: (e) => `${p2(e.day)}.${p2(e.month)}.${p2(e.year % 100)}, ${p2(e.hour)}:${p2(e.minute)} - ${who(e)}` },
  { id: 'de-ios', describe: 'iOS, German, [dd.mm.yy, HH:mm:ss]', head: (e) => `[${p2(e.day)}.${p2(e.month)}.${p2(e.year % 100)}, ${p2(e.hour)}:${p2(e.minute)}:${p2(e.second)}] ${who(e)}` },
  { id: 'es-android', describe: 'Android, Spanish, d/m/yy h:mm p. m. (no comma)', head: (e) => `${e.day}/${e.month}/${p2(e.year % 100)} ${h12(e.hour)}:${p2(e.minute)}${NNBSP}${e.hour < 12 ? 'a.' : 'p.'}${NBSP}m. - ${who(e)}` },
  { id: 'fi-android', describe: 'Android, Finnish, d.m.yyyy klo H.mm', head: (e) => `${e.day}.${e.month}.${e.year} klo ${e.hour}.${p2(e.minute)} - ${who(e)}` },
  { id: 'nl-android', describe: 'Android, Dutch, dd-mm-yyyy HH:mm (no comma)', head: (e) => `${p2(e.day)}-${p2(e.month)}-${e.year} ${p2(e.hour)}:${p2(e.minute)} - ${who(e)}` },
  { id: 'en-CA-android', describe: 'Android, English (Canada), yyyy-mm-dd, h:mm p.m.', head: (e) => `${e.year}-${p2(e.month)}-${p2(e.day)}, ${h12(e.hour)}:${p2(e.minute)}${NNBSP}${e.hour < 12 ? 'a.m.' : 'p.m.'} - ${who(e)}` },
  { id: 'hu-android', describe: 'Android, Hungarian, yyyy. mm. dd. HH:mm', head: (e) => `${e.year}. ${p2(e.month)}. ${p2(e.day)}. ${p2(e.hour)}:${p2(e.minute)} - ${who(e)}` },
  { id: 'pt-BR-ios', describe: 'iOS, Portuguese (Brazil), [dd/mm/yyyy HH:mm:ss] with U+200E before system lines', head: (e) => `${e.author === null ? '\u200e' : ''}[${p2(e.day)}/${p2(e.month)}/${e.year} ${p2(e.hour)}:${p2(e.minute)}:${p2(e.second)}] ${who(e)}` },
];

function who(e: ChatEvent): string {
  return e.author === null ? e.text : `${e.author}: ${e.text}`;
}

const WORDS = [
  'meeting', 'price', 'call', 'tomorrow', 'deal', 'contract', 'invoice', 'confidential', 'Zürich', 'café', 'naïve', 'привет',
  'сделка', 'مرحبا', 'שלום', '価格を確認してください', '거래', '👍', '🚀', 'ok', 'yes', 'no', 'ratio: 3:1', 'see https://example.com/a?b=c',
  '10:30', '12/05/2021', '(file)', '<tag>', '"quoted"', '—', 'a.m.',
];
const AUTHORS = ['Alice Smith', 'Bob Jones', '+44 7700 900123', 'Chloé Martin', 'José Ñúñez', '王小明', 'Dr. O’Brien'];
const NOTICES = [
  'Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.',
  'Bob Jones joined using this group\'s invite link',
  'Alice Smith added Chloé Martin',
  'José Ñúñez left',
  'Alice Smith changed this group\'s icon',
  'Your security code with Bob Jones changed. Tap to learn more.',
];

export interface ChatOptions {
  messages: number;
  seed?: number;
  /** First event, as wall clock (default 2023-01-01 08:00). */
  start?: { year: number; month: number; day: number };
  /** Largest gap between events in minutes (default 600). */
  maxGapMinutes?: number;
}

/** A seeded chat: mostly messages, some multi-line (with blank lines), a few notices. */
export function chatEvents(opts: ChatOptions): ChatEvent[] {
  const r = rng(opts.seed ?? 7);
  const start = opts.start ?? { year: 2023, month: 1, day: 1 };
  let t = Date.UTC(start.year, start.month - 1, start.day, 8, 0, 0);
  const out: ChatEvent[] = [];
  for (let i = 0; i < opts.messages; i++) {
    t += Math.floor(r() * (opts.maxGapMinutes ?? 600) * 60_000) + 1000;
    const d = new Date(t);
    const isNotice = r() < 0.05;
    let text: string;
    if (isNotice) text = NOTICES[Math.floor(r() * NOTICES.length)]!;
    else {
      const n = 1 + Math.floor(r() * 10);
      const words: string[] = [];
      for (let w = 0; w < n; w++) words.push(WORDS[Math.floor(r() * WORDS.length)]!);
      text = `${words.join(' ')} #${i}`;
      const lines = r();
      if (lines < 0.08) text += `\nsecond line\n\nafter a blank line #${i}`;
      else if (lines < 0.12) text += '\n- a list\n- of items';
    }
    out.push({
      year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(),
      author: isNotice ? null : AUTHORS[Math.floor(r() * AUTHORS.length)]!, text,
    });
  }
  return out;
}

/** The export text of `events` in one format (lines end in \n, as Android writes them). */
export function renderExport(events: ChatEvent[], format: ExportFormat, eol = '\n'): string {
  return events.map((e) => format.head(e).split('\n').join(eol)).join(eol) + eol;
}

/** UTC milliseconds of an event's wall clock read as UTC. */
export function wallMillis(e: ChatEvent, withSeconds: boolean): number {
  return Date.UTC(e.year, e.month - 1, e.day, e.hour, e.minute, withSeconds ? e.second : 0);
}
