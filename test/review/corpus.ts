/**
 * Real-format WhatsApp exports for the review tests: Android-form "Export chat" text files
 * (`dd/mm/yyyy, hh:mm - Name: text`), optionally zipped with their media, written from a list of
 * lines whose times are given in UTC (import them with `--tz UTC`). Tests compute what they expect
 * from these lists, independently of the case.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildZip } from '../helpers/zip-writer.ts';
import { rng } from '../helpers/generate.ts';

export interface Line {
  /** UTC ms; minutes are kept, seconds dropped (the Android form has none). */
  at: number;
  /** Absent for a system line. */
  author?: string;
  text: string;
  /** A media file sent with this line: `NAME (file attached)`, the text becoming its caption. */
  media?: { name: string; data: Buffer };
}

const pad = (n: number) => String(n).padStart(2, '0');

export function stamp(at: number): string {
  const d = new Date(at);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

export function exportText(lines: readonly Line[]): string {
  return lines
    .map((l) => {
      const head = `${stamp(l.at)} - ${l.author ? `${l.author}: ` : ''}`;
      return l.media ? `${head}${l.media.name} (file attached)${l.text ? `\n${l.text}` : ''}` : `${head}${l.text}`;
    })
    .join('\n')
    .concat('\n');
}

/** `WhatsApp Chat with NAME.txt` in `dir`. */
export function writeExport(dir: string, chat: string, lines: readonly Line[]): string {
  const file = path.join(dir, `WhatsApp Chat with ${chat}.txt`);
  fs.writeFileSync(file, exportText(lines));
  return file;
}

/** `WhatsApp Chat with NAME.zip` holding the text file and every media file the lines name. */
export async function writeExportZip(dir: string, chat: string, lines: readonly Line[]): Promise<string> {
  const file = path.join(dir, `WhatsApp Chat with ${chat}.zip`);
  const media = lines.filter((l) => l.media).map((l) => ({ name: l.media!.name, data: l.media!.data }));
  fs.writeFileSync(file, await buildZip([{ name: `WhatsApp Chat with ${chat}.txt`, data: exportText(lines) }, ...media]));
  return file;
}

const WORDS = ['meeting', 'price', 'contract', 'shipment', 'invoice', 'bonus', 'client', 'report', 'settlement', 'call', 'tomorrow', 'deal'];

/**
 * `count` messages from `authors`, one every `stepMs` (± a little) from `start`, each with a unique
 * tail `#i` so no two lines are identical; every `keywordEvery`th message says "falcon".
 */
export function chatter(opts: { start: number; count: number; stepMs: number; authors: string[]; seed?: number; keywordEvery?: number; tag?: string }): Line[] {
  const r = rng(opts.seed ?? 7);
  const out: Line[] = [];
  let t = Math.floor(opts.start / 60_000) * 60_000;
  for (let i = 0; i < opts.count; i++) {
    const words = Array.from({ length: 3 + Math.floor(r() * 5) }, () => WORDS[Math.floor(r() * WORDS.length)]!);
    if (opts.keywordEvery && i % opts.keywordEvery === 0) words.push('falcon');
    out.push({ at: t, author: opts.authors[Math.floor(r() * opts.authors.length)]!, text: `${words.join(' ')} ${opts.tag ?? ''}#${i}` });
    t += Math.max(60_000, Math.round((opts.stepMs * (0.5 + r())) / 60_000) * 60_000);
  }
  return out;
}
