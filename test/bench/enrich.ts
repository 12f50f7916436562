/**
 * `node test/bench/enrich.ts [--size 1m] [--images 20]`: what enrichment adds to an import, and OCR throughput.
 *
 * - Entities and language, side by side on the same case: the import as `holdfast import` runs it
 *   (ingest, index) timed alone, then the enrichment the import job runs after it (language and
 *   entities of every new message) timed alone; the overhead is their ratio (target ≤ 25%). The
 *   detectors are also timed apart on the corpus's texts in memory, to say which costs what, and
 *   franc-min's own function on the same texts beside the detector that gives its answers (on the
 *   first 100k texts, scaled, for larger corpora).
 * - OCR: `--images` PNGs of rendered text (pdfkit + pdftoppm, as the tests make them), imported as
 *   WhatsApp media, recognised by the ocr job's code; images per minute, worker start-up included.
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
      overheadPct: Math.round((enrichMs / importMs) * 1000) / 10, maxRssMb: maxRssMb(),
    };
  } finally {
    s.close();
    fs.rmSync(file, { force: true });
  }
}

async function ocr(images: number): Promise<Record<string, number>> {
  const dir = fs.mkdtempSync(path.join(work, 'ocr-'));
  const file = path.join(dir, 'ocr.hfcase');
  const s = createSession(file, KEY, { name: 'bench', examiner: 'bench' });
  try {
    const lines = [];
    for (let i = 0; i < images; i++) {
      const png = await textPng([`Invoice ${1000 + i} due on Friday`, `Wire ${i * 17} EUR to account ${i}`, 'Please confirm by reply']);
      lines.push({ at: Date.UTC(2024, 0, 1) + i * 60_000, author: 'Alice Smith', text: `scan ${i}`, media: { name: `IMG-${i}.png`, data: png } });
    }
    const zip = await writeExportZip(dir, 'Scans', lines);
    await runImport(s, { source: zip, tz: 'UTC' }, new AbortController().signal);
    const t = performance.now();
    const r = await recognizeImages(s);
    const ms = performance.now() - t;
    return { images: r.images, recognised: r.recognised, ms: Math.round(ms), imagesPerMinute: Math.round((r.recognised / ms) * 60_000 * 10) / 10, cpuS: cpuS(), maxRssMb: maxRssMb() };
  } finally {
    s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { size: { type: 'string', default: '1m' }, images: { type: 'string', default: '20' } } });
fs.mkdirSync(work, { recursive: true });
if (positionals[0] === 'child') {
  const result = positionals[1] === 'ocr' ? await ocr(Number(positionals[2])) : await importAndEnrich(positionals[2]!);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const self = new URL(import.meta.url).pathname;
  const run = (...args: string[]) => JSON.parse(execFileSync(process.execPath, [self, 'child', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 2 ** 24 }).trim().split('\n').at(-1)!) as Record<string, number>;
  const results: Record<string, unknown> = { at: new Date().toISOString(), node: process.version, cpus: os.cpus().length, load: os.loadavg() };
  for (const n of values.size.split(',').map(parseSize)) {
    const corpus = path.join(work, `whatsapp-${label(n)}.txt`);
    if (!fs.existsSync(corpus)) await writeWhatsAppCorpus(corpus, n);
    const r = run('import', corpus);
    results[`enrich-${label(n)}`] = r;
    console.log(
      `${label(n)} messages: import ${r.importMs} ms (${r.importCpuS} s CPU), + enrichment ${r.enrichMs} ms (${r.enrichCpuS} s CPU) = ${r.overheadPct}% (target ≤ 25%); ` +
        `language alone ${r.languageMs} ms (franc-min itself ${r.francMs} ms${r.messages! > FRANC_TEXTS ? `, from its first ${FRANC_TEXTS / 1000}k` : ''}), entities alone ${r.entitiesMs} ms; ${r.entities} entities; peak RSS ${r.maxRssMb} MB`,
    );
  }
  const images = Number(values.images);
  if (images > 0) {
    const r = run('ocr', String(images));
    results.ocr = r;
    console.log(`OCR: ${r.recognised} of ${r.images} images in ${r.ms} ms = ${r.imagesPerMinute} images/minute (worker start included); peak RSS ${r.maxRssMb} MB`);
  }
  const dir = path.join(path.dirname(self), 'results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `enrich-${Date.now()}.json`), `${JSON.stringify(results, null, 2)}\n`);
}
