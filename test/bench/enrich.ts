/**
 * `node test/bench/enrich.ts [--size 1m] [--images 20] [--ocr-langs eng,deu,chi_sim,deu+eng]`: what enrichment
 * adds to an import, and OCR throughput per language set (`--size ''` for OCR alone).
 *
 * - Entities and language, side by side on the same case: the import as `holdfast import` runs it
 *   (ingest, index) timed alone, then the enrichment the import job runs after it (language and
 *   entities of every new message) timed alone; the overhead is their ratio (target ≤ 25%), in wall
 *   time and in CPU time (steadier on a shared machine). The
 *   detectors are also timed apart on the corpus's texts in memory, to say which costs what, and
 *   franc-min's own function on the same texts beside the detector that gives its answers (on the
 *   first 100k texts, scaled, for larger corpora).
 * - OCR: for each language set of `--ocr-langs`, `--images` PNGs of text in its first language
 *   (pdfkit + pdftoppm, as the tests make them), imported as WhatsApp media, recognised by the ocr
 *   job's code with that set; images per minute (worker start-up included), CPU seconds per image (steadier
 *   on a shared machine) and the share of the rendered words found in the text.
 *
 * Each part runs in its own process (this file with `child`), so memory and CPU are its own. The
 * corpus is the search benchmark's (test/bench/corpus.ts), written once into the OS temp folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { createSession } from '../../src/case/session.ts';
import { runImport } from '../../src/app/run-import.ts';
import { enrichPending } from '../../src/enrich/enrich.ts';
import { extractEntities } from '../../src/enrich/entities.ts';
import { detectLanguage, MIN_LENGTH } from '../../src/enrich/language.ts';
import { franc } from 'franc-min';
import { recognizeImages } from '../../src/enrich/ocr.ts';
import { writeWhatsAppCorpus } from './corpus.ts';
import { label, parseSize } from './sizes.ts';
import { textPng } from '../helpers/text-image.ts';
import type { Script } from '../helpers/text-image.ts';
import { writeExportZip } from '../review/corpus.ts';

const KEY = 'bench-passphrase';
const FRANC_TEXTS = 100_000;
const work = path.join(os.tmpdir(), 'holdfast-bench');
const cpuS = () => {
  const u = process.resourceUsage();
  return Math.round(((u.userCPUTime + u.systemCPUTime) / 1e6) * 10) / 10;
};
const maxRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function importAndEnrich(corpus: string): Promise<Record<string, number>> {
  const file = path.join(work, `enrich-${path.basename(corpus)}.hfcase`);
  fs.rmSync(file, { force: true });
  const s = createSession(file, KEY, { name: 'bench', examiner: 'bench' });
  try {
    let t = performance.now();
    const result = await runImport(s, { source: corpus, tz: 'UTC' }, new AbortController().signal);
    const importMs = performance.now() - t;
    const importCpuS = cpuS();
    t = performance.now();
    const enriched = enrichPending(s);
    const enrichMs = performance.now() - t;
    const enrichCpuS = Math.round((cpuS() - importCpuS) * 10) / 10;
    // The detectors alone on the same texts (no SQL): what each costs.
    const texts = s.db.prepare('SELECT text FROM messages ORDER BY id').pluck().all() as string[];
    t = performance.now();
    for (const x of texts) detectLanguage(x);
    const languageMs = performance.now() - t;
    // franc-min itself takes minutes on a million texts: it is timed on the first FRANC_TEXTS and scaled.
    t = performance.now();
    for (const x of texts.slice(0, FRANC_TEXTS)) if (x.length >= MIN_LENGTH) franc(x, { minLength: MIN_LENGTH });
    const francMs = ((performance.now() - t) * texts.length) / Math.min(texts.length, FRANC_TEXTS);
    t = performance.now();
    let entities = 0;
    for (const x of texts) entities += extractEntities(x).length;
    const entitiesMs = performance.now() - t;
    return {
      messages: result.messages, enriched: enriched.messages, entities, importMs: Math.round(importMs), importCpuS,
      enrichMs: Math.round(enrichMs), enrichCpuS, languageMs: Math.round(languageMs), francMs: Math.round(francMs), entitiesMs: Math.round(entitiesMs),
      overheadPct: Math.round((enrichMs / importMs) * 1000) / 10, cpuOverheadPct: Math.round((enrichCpuS / importCpuS) * 1000) / 10, maxRssMb: maxRssMb(),
    };
  } finally {
    s.close();
    fs.rmSync(file, { force: true });
  }
}

/** Three lines of business text per language (`n` varies them), and the script they are set in. */
const SAMPLES: Record<string, { script?: Script; lines: (n: number) => string[] }> = {
  eng: { lines: (n) => [`Invoice ${1000 + n} due on Friday`, `Wire ${n * 17} EUR to account ${n}`, 'Please confirm by reply'] },
  deu: { lines: (n) => [`Rechnung ${1000 + n} fällig am Freitag`, `Überweisung von ${n * 17} EUR an Konto ${n}`, 'Bitte bestätigen Sie kurz'] },
  fra: { lines: (n) => [`Facture ${1000 + n} à régler vendredi`, `Virement de ${n * 17} EUR au compte ${n}`, 'Merci de confirmer par retour'] },
  spa: { lines: (n) => [`Factura ${1000 + n} vence el viernes`, `Transferencia de ${n * 17} EUR a la cuenta ${n}`, 'Por favor confirme la recepción'] },
  ita: { lines: (n) => [`Fattura ${1000 + n} in scadenza venerdì`, `Bonifico di ${n * 17} EUR sul conto ${n}`, 'Si prega di confermare'] },
  nld: { lines: (n) => [`Factuur ${1000 + n} vervalt op vrijdag`, `Overboeking van ${n * 17} EUR naar rekening ${n}`, 'Graag een bevestiging'] },
  por: { lines: (n) => [`Fatura ${1000 + n} vence na sexta-feira`, `Transferência de ${n * 17} EUR para a conta ${n}`, 'Por favor confirme a receção'] },
  ara: { script: 'arabic', lines: (n) => [`الفاتورة رقم ${1000 + n} مستحقة يوم الجمعة`, 'تم تحويل المبلغ إلى البنك', 'يرجى التأكيد بالرد'] },
  chi_sim: { script: 'chinese-simplified', lines: (n) => [`发票 ${1000 + n} 周五到期`, '银行转账已经完成', '请回复确认'] },
  chi_tra: { script: 'chinese-traditional', lines: (n) => [`發票 ${1000 + n} 週五到期`, '銀行轉賬已經完成', '請回覆確認'] },
  jpn: { script: 'japanese', lines: (n) => [`請求書 ${1000 + n} は金曜日が期限です`, '銀行振込が完了しました', 'ご確認をお願いします'] },
};

async function ocr(images: number, langs: string[]): Promise<Record<string, number>> {
  const sample = SAMPLES[langs[0]!]!;
  const dir = fs.mkdtempSync(path.join(work, 'ocr-'));
  const file = path.join(dir, 'ocr.hfcase');
  const s = createSession(file, KEY, { name: 'bench', examiner: 'bench' });
  try {
    const lines = [];
    for (let i = 0; i < images; i++) {
      const png = await textPng(sample.lines(i), sample.script ? { script: sample.script } : {});
      lines.push({ at: Date.UTC(2024, 0, 1) + i * 60_000, author: 'Alice Smith', text: `scan ${i}`, media: { name: `IMG-${i}.png`, data: png } });
    }
    const zip = await writeExportZip(dir, 'Scans', lines);
    await runImport(s, { source: zip, tz: 'UTC' }, new AbortController().signal);
    const t = performance.now();
    const cpu0 = cpuS();
    const r = await recognizeImages(s, { langs });
    const ms = performance.now() - t;
    const ocrCpuS = Math.round((cpuS() - cpu0) * 10) / 10;
    // How much of the text came back: the share of the rendered words found in the recognised text (spaces ignored, for CJK).
    const squeeze = (t: string) => t.replace(/\s+/g, '');
    const recognised = s.db.prepare('SELECT t.text FROM attachment_text t ORDER BY t.attachment_id').pluck().all() as string[];
    const words = Array.from({ length: images }, (_, i) => sample.lines(i).flatMap((x) => x.split(/\s+/)).map((w) => [w, i] as const)).flat();
    const found = words.filter(([w, i]) => squeeze(recognised[i] ?? '').includes(squeeze(w))).length;
    return {
      images: r.images, recognised: r.recognised, ms: Math.round(ms), imagesPerMinute: Math.round((r.recognised / ms) * 60_000 * 10) / 10,
      ocrCpuS, cpuSPerImage: Math.round((ocrCpuS / r.recognised) * 100) / 100, wordsFoundPct: Math.round((1000 * found) / words.length) / 10, maxRssMb: maxRssMb(),
    };
  } finally {
    s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { size: { type: 'string', default: '1m' }, images: { type: 'string', default: '20' }, 'ocr-langs': { type: 'string', default: 'eng' } },
});
fs.mkdirSync(work, { recursive: true });
if (positionals[0] === 'child') {
  const result = positionals[1] === 'ocr' ? await ocr(Number(positionals[2]), positionals[3]!.split('+')) : await importAndEnrich(positionals[2]!);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const self = new URL(import.meta.url).pathname;
  const run = (...args: string[]) => JSON.parse(execFileSync(process.execPath, [self, 'child', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 2 ** 24 }).trim().split('\n').at(-1)!) as Record<string, number>;
  const results: Record<string, unknown> = { at: new Date().toISOString(), node: process.version, cpus: os.cpus().length, load: os.loadavg() };
  for (const n of values.size ? values.size.split(',').map(parseSize) : []) {
    // The plain corpus with an entity in about one message in twenty, so their extraction and rows are in the cost.
    const corpus = path.join(work, `whatsapp-entities-${label(n)}.txt`);
    if (!fs.existsSync(corpus)) await writeWhatsAppCorpus(corpus, n, 7, 0, true);
    const r = run('import', corpus);
    results[`enrich-${label(n)}`] = r;
    console.log(
      `${label(n)} messages: import ${r.importMs} ms (${r.importCpuS} s CPU), + enrichment ${r.enrichMs} ms (${r.enrichCpuS} s CPU) = ${r.overheadPct}% wall, ${r.cpuOverheadPct}% CPU (target ≤ 25%); ` +
        `language alone ${r.languageMs} ms (franc-min itself ${r.francMs} ms${r.messages! > FRANC_TEXTS ? `, from its first ${FRANC_TEXTS / 1000}k` : ''}), entities alone ${r.entitiesMs} ms; ${r.entities} entities; peak RSS ${r.maxRssMb} MB`,
    );
  }
  const images = Number(values.images);
  for (const langs of images > 0 ? values['ocr-langs'].split(',') : []) {
    const r = run('ocr', String(images), langs);
    results[`ocr-${langs}`] = r;
    console.log(
      `OCR ${langs}: ${r.recognised} of ${r.images} images in ${r.ms} ms = ${r.imagesPerMinute} images/minute (worker start included), ` +
        `${r.cpuSPerImage} s CPU per image; ${r.wordsFoundPct}% of the words found; peak RSS ${r.maxRssMb} MB`,
    );
  }
  const dir = path.join(path.dirname(self), 'results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `enrich-${Date.now()}.json`), `${JSON.stringify(results, null, 2)}\n`);
}
