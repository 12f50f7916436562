/** Seeded generators of real-format sources for tests and benchmarks. */

/** Mulberry32: small, fast, seeded — the same corpus on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'meeting', 'price', 'call', 'tomorrow', 'deal', 'contract', 'shipment', 'invoice', 'bonus', 'client', 'report', 'delete',
  'confidential', 'trade', 'settlement', 'Ångström', 'café', 'naïve', 'Zürich', 'München', 'привет', 'сделка', 'مرحبا', 'صفقة',
  'שלום', 'עסקה', '価格を確認してください', '会議', '거래', '👍', '🚀', 'ok', 'yes', 'no', 'please', 'send', 'now', 'later',
];

export interface WhatsAppCorpusOptions {
  messages: number;
  seed?: number;
  authors?: string[];
  /** First message time, UTC ms. */
  start?: number;
  form?: 'android' | 'ios';
}

/** Lines of an Android-form WhatsApp export (`dd/mm/yyyy, hh:mm - Name: text`), yielded lazily. */
export function* whatsappLines(opts: WhatsAppCorpusOptions): Generator<string> {
  const r = rng(opts.seed ?? 1);
  const authors = opts.authors ?? ['Alice Smith', 'Bob Jones', '+44 7700 900123', 'Chloé Martin'];
  let t = opts.start ?? Date.UTC(2023, 0, 1, 9, 0);
  const pad = (n: number) => String(n).padStart(2, '0');
  for (let i = 0; i < opts.messages; i++) {
    t += Math.floor(r() * 90_000);
    const d = new Date(t);
    const author = authors[Math.floor(r() * authors.length)]!;
    const n = 3 + Math.floor(r() * 12);
    const words: string[] = [];
    for (let w = 0; w < n; w++) words.push(WORDS[Math.floor(r() * WORDS.length)]!);
    const date = `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
    const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
    const body = `${words.join(' ')} #${i}`;
    yield opts.form === 'ios' ? `[${date}, ${time}:${pad(d.getUTCSeconds())}] ${author}: ${body}` : `${date}, ${time} - ${author}: ${body}`;
  }
}
