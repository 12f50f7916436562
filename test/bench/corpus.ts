/**
 * Seeded WhatsApp-export corpora for the benchmarks: one Android-form group chat of N messages with
 * mixed scripts (Latin with diacritics, Cyrillic, Arabic, Hebrew, CJK runs), emoji, multi-line
 * messages, system lines and media placeholders. Streamed to disk in large chunks, so a 1M-message
 * corpus (~100 MB) never sits in memory. The words are also what the search benchmark queries.
 */
import fs from 'node:fs';
import { once } from 'node:events';
import { rng } from '../helpers/generate.ts';

export const COMMON = ['price', 'call', 'tomorrow', 'deal', 'contract', 'shipment', 'invoice', 'client', 'report', 'meeting', 'ok', 'yes', 'please', 'send', 'now', 'later', 'the', 'to', 'me'];
export const RARE = ['confidential', 'settlement', 'offshore', 'bonus', 'wire', 'money', 'account', 'shred', 'backdate', 'kickback'];
const ACCENTED = ['Ångström', 'café', 'naïve', 'Zürich', 'München', 'Straße', 'façade', 'résumé', 'São', 'Mañana'];
const CYRILLIC = ['привет', 'сделка', 'деньги', 'встреча', 'цена'];
const ARABIC = ['مرحبا', 'صفقة', 'مال', 'اجتماع'];
const HEBREW = ['שלום', 'עסקה', 'כסף', 'פגישה'];
const CJK = ['価格を確認してください', '会議', '契約書', '거래를', '회의', '中国市场价格'];
const EMOJI = ['👍', '👍🏽', '🚀', '🇬🇧', '😂', '🙏'];
export const AUTHORS = ['Alice Smith', 'Bob Jones', 'Chloé Martin', 'Dmitri Petrov', 'Yuki Tanaka', '+44 7700 900123', 'Omar Haddad', 'Noa Levi'];

/**
 * What business chat carries that entity extraction finds (a phone number, an address, a link, a
 * checksum-valid IBAN, card number and ISIN, amounts): with `entities`, about one message in twenty gets one.
 */
const ENTITIES = ['+44 20 7946 0958', '(212) 555-0147', 'ops.desk@example.com', 'https://example.com/deal/4417', 'GB82 WEST 1234 5698 7654 32',
  'DE89 3704 0044 0532 0130 00', '4111 1111 1111 1111', 'US0378331005', '€1,250.00', 'USD 5,000', '£ 300k'];

/** The corpus's first day and span, for date-filter queries. */
export const START = Date.UTC(2021, 0, 4, 8, 0);

function word(r: () => number): string {
  const x = r();
  const pick = (a: readonly string[]) => a[Math.floor(r() * a.length)]!;
  if (x < 0.55) return pick(COMMON);
  if (x < 0.6) return pick(RARE);
  if (x < 0.7) return pick(ACCENTED);
  if (x < 0.77) return pick(CYRILLIC);
  if (x < 0.83) return pick(ARABIC);
  if (x < 0.88) return pick(HEBREW);
  if (x < 0.95) return pick(CJK);
  return pick(EMOJI);
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Writes the export; returns its size in bytes. Messages are ~20 s apart on average, so 1M spans ~8 months.
 * `from`: the export starts at that message of the same seeded stream (a second custodian's export
 * overlapping the first one's from there on); the messages before it are generated but not written.
 * `entities`: mix in ENTITIES, from a stream of its own, so the words stay those of the plain corpus.
 */
export async function writeWhatsAppCorpus(file: string, messages: number, seed = 7, from = 0, entities = false): Promise<number> {
  const r = rng(seed);
  const e = rng(seed + 1);
  const out = fs.createWriteStream(file);
  let buf = '';
  let bytes = 0;
  let t = START;
  for (let i = 0; i < messages; i++) {
    t += 1_000 * Math.floor(r() * 40);
    const d = new Date(t);
    const head = `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} - `;
    const kind = r();
    let line: string;
    if (kind < 0.005) line = `${head}${AUTHORS[Math.floor(r() * AUTHORS.length)]} added ${AUTHORS[Math.floor(r() * AUTHORS.length)]}`;
    else {
      const author = AUTHORS[Math.floor(r() * AUTHORS.length)]!;
      let text: string;
      if (kind < 0.02) text = '<Media omitted>';
      else {
        const n = 3 + Math.floor(r() * 14);
        const words: string[] = [];
        for (let k = 0; k < n; k++) words.push(word(r));
        if (r() < 0.03) words.splice(Math.floor(r() * words.length), 0, 'wire the money');
        if (entities && e() < 0.05) words.splice(Math.floor(e() * words.length), 0, ENTITIES[Math.floor(e() * ENTITIES.length)]!);
        text = words.join(' ');
        // About one message in twenty spans several lines.
        if (r() < 0.05) text += `\n${word(r)} ${word(r)} ${word(r)}\n${word(r)}`;
      }
      line = `${head}${author}: ${text}`;
    }
    if (i >= from) buf += line + '\n';
    if (buf.length > 1 << 20) {
      bytes += Buffer.byteLength(buf);
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  bytes += Buffer.byteLength(buf);
  out.end(buf);
  await once(out, 'finish');
  return bytes;
}
