/**
 * A seeded multilingual corpus for search tests and benchmarks: WhatsApp exports (Android form,
 * dd/mm/yyyy 24 h) of several chats, with accents in several spellings, Cyrillic, Arabic with and
 * without tashkeel and tatweel, Hebrew with and without niqqud, Chinese/Japanese/Korean runs,
 * emoji with skin tones and flags, punctuation, HTML-like text, edited and deleted messages and
 * attachment lines.
 */
import fs from 'node:fs';
import path from 'node:path';
import { rng } from './generate.ts';

export const LATIN = [
  'price', 'prices', 'pricing', 'call', 'calls', 'tomorrow', 'deal', 'contract', 'contracts', 'shipment', 'invoice', 'bonus',
  'client', 'report', 'delete', 'confidential', 'trade', 'settlement', 'meeting', 'ok', 'yes', 'no', 'please', 'send', 'now',
  'later', 'the', 'to', 'wire', 'money', 'me', 'offshore', 'account', 'NOT', 'or',
];
export const FOLDED = [
  'Ångström', 'ANGSTROM', 'angstrom', 'café', 'CAFÉ', 'cafe', 'naïve', 'Zürich', 'zurich', 'Straße', 'STRASSE', 'façade', 'résumé',
  'São', 'Mañana', 'ﬁnance',
];
export const CYRILLIC = ['привет', 'Привет', 'сделка', 'СДЕЛКА', 'ёлка', 'елка', 'деньги'];
export const ARABIC = ['مرحبا', 'مَرْحَبًا', 'صفقة', 'صَفْقَة', 'مرحـــبا', 'مال'];
export const HEBREW = ['שלום', 'שָׁלוֹם', 'עסקה', 'כסף'];
export const CJK = ['価格を確認してください', '会議', '会議室', '거래를', '거래', '価格', '確認済み', '中国市场价格'];
export const EMOJI = ['👍', '👍🏽', '🚀', '🇬🇧'];
const PUNCT = ['', '', '', ',', '.', '!', '?', ':'];

export interface CorpusChat {
  /** Conversation name (the file is "WhatsApp Chat with NAME.txt"). */
  name: string;
  authors: string[];
  messages: number;
}

export const DEFAULT_CHATS: CorpusChat[] = [
  { name: 'Project Alpha', authors: ['Alice Smith', 'Bob Jones', 'Chloé Martin'], messages: 450 },
  { name: 'Zürich Deal Room', authors: ['Alice Smith', 'Dmitri Petrov', '+44 7700 900123'], messages: 450 },
  { name: 'Family', authors: ['Bob Jones', 'Mom'], messages: 200 },
  { name: '価格 会議', authors: ['Yuki Tanaka', 'Alice Smith'], messages: 300 },
];

function word(r: () => number): string {
  const x = r();
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  let w: string;
  if (x < 0.5) w = pick(LATIN);
  else if (x < 0.62) w = pick(FOLDED);
  else if (x < 0.7) w = pick(CYRILLIC);
  else if (x < 0.77) w = pick(ARABIC);
  else if (x < 0.83) w = pick(HEBREW);
  else if (x < 0.93) w = pick(CJK);
  else w = pick(EMOJI);
  return w + pick(PUNCT);
}

/** One message text; about one in ten carries a fixed phrase so phrase queries have hits both ways round. */
export function messageText(r: () => number, i: number): string {
  const n = 2 + Math.floor(r() * 10);
  const words: string[] = [];
  for (let k = 0; k < n; k++) words.push(word(r));
  const special = r();
  if (special < 0.05) words.splice(Math.floor(r() * words.length), 0, 'wire the money');
  else if (special < 0.08) words.splice(Math.floor(r() * words.length), 0, 'money the wire');
  else if (special < 0.1) words.push('<b>call</b> me & "you"');
  else if (special < 0.12) words.push(`e-mail report-${i}`);
  return words.join(' ');
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The export lines of one chat: 9:00 on 2 Jan 2023 onwards, never past February (no DST in New York). */
export function chatLines(chat: CorpusChat, seed: number): string[] {
  const r = rng(seed);
  let t = Date.UTC(2023, 0, 2, 9, 0) + Math.floor(r() * 3_600_000);
  const lines: string[] = [];
  for (let i = 0; i < chat.messages; i++) {
    t += 60_000 * (1 + Math.floor(r() * 120));
    const d = new Date(t);
    const head = `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} - `;
    const author = chat.authors[Math.floor(r() * chat.authors.length)]!;
    const kind = r();
    let body: string;
    if (kind < 0.04) body = 'This message was deleted';
    else if (kind < 0.1) body = `${messageText(r, i)} <This message was edited>`;
    else if (kind < 0.16) body = `IMG-202301${pad(1 + (i % 28))}-WA${String(i).padStart(4, '0')}.jpg (file attached)\n${messageText(r, i)}`;
    else body = messageText(r, i);
    lines.push(`${head}${author}: ${body}`);
  }
  return lines;
}

/** Writes the chats' export files into `dir`; returns their paths in the order given. */
export function writeCorpus(dir: string, chats: CorpusChat[] = DEFAULT_CHATS, seed = 7): string[] {
  return chats.map((chat, i) => {
    const file = path.join(dir, `WhatsApp Chat with ${chat.name}.txt`);
    fs.writeFileSync(file, `${chatLines(chat, seed + i).join('\n')}\n`);
    return file;
  });
}
