/**
 * Text in image attachments, recognised offline with tesseract.js and the LSTM data packaged as
 * @tesseract.js-data/<code> (nothing is downloaded: the data is read from node_modules and never
 * cached elsewhere). One job reads with the languages it is given, together (`deu+eng`). Each result
 * records the engine, its version, the languages and each one's data SHA-256, and the mean
 * confidence, so it can be reproduced and weighed. The text is derived: it is stored apart from the
 * message (attachment_text) and productions never read it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import zlib from 'node:zlib';
import { createWorker, OEM } from 'tesseract.js';
import type { Worker } from 'tesseract.js';
import { HoldfastError } from '../api/errors.ts';
import type { OcrResultDTO } from '../api/analysis-dto.ts';
import type { CaseSession } from '../case/session.ts';
import { dataOf } from '../case/data/index.ts';
import { openBlob } from '../case/blobs.ts';
import { checkOcrLanguages, ocrDataDir } from './ocr-languages.ts';

const require = createRequire(import.meta.url);
export const OCR_ENGINE = 'tesseract.js';
/** Images larger than this are left for a human (tesseract would take minutes and most of the memory). */
const MAX_IMAGE_BYTES = 40 * 1024 * 1024;

function ocrEngineVersion(): string {
  return (JSON.parse(fs.readFileSync(require.resolve('tesseract.js/package.json'), 'utf8')) as { version: string }).version;
}

interface LanguageData {
  code: string;
  dir: string;
  /** The packaged file's bytes (gzip) and their SHA-256. */
  gz: Buffer;
  sha256: string;
}

function languageData(code: string): LanguageData {
  const dir = ocrDataDir(code)!;
  const gz = fs.readFileSync(path.join(dir, `${code}.traineddata.gz`));
  return { code, dir, gz, sha256: crypto.createHash('sha256').update(gz).digest('hex') };
}

/**
 * A worker reading `langs` together. tesseract.js reads every language from one `langPath`, but each
 * package has its own folder, and its `{code, data}` form initialises with the data instead of the
 * code (7.0.0). So: start with the first language from its folder; for each other one, let
 * `reinitialize` register the code (its read from the first folder fails: no file there, nothing
 * fetched) and put the data in the worker's in-memory file system ourselves; then initialise them all.
 */
async function startWorker(langs: readonly LanguageData[]): Promise<Worker> {
  const [first, ...rest] = langs as [LanguageData, ...LanguageData[]];
  // The failed reads below are expected; without a handler tesseract.js throws them out of its message listener.
  // The data names files that are not packaged: the Chinese and Japanese vertical-text sub-languages (looked for
  // anyway, they break the languages after them: chi_sim+ara read no Arabic) and Italian's special words (an error
  // printed). Config text (`name value`) read after each language's own: none of them is looked for.
  const worker = await createWorker(first.code, OEM.LSTM_ONLY, { langPath: first.dir, gzip: true, cacheMethod: 'none', errorHandler: () => {} }, 'tessedit_load_sublangs \nuser_words_suffix \n');
  try {
    for (const l of rest) {
      await worker.reinitialize(l.code).catch(() => {});
      await worker.FS('writeFile', [`${l.code}.traineddata`, zlib.gunzipSync(l.gz)]);
    }
    if (rest.length) await worker.reinitialize(langs.map((l) => l.code).join('+'));
    return worker;
  } catch (err) {
    await worker.terminate();
    throw err;
  }
}

/** tesseract wraps right-to-left lines in direction marks (RLM … LRM): display hints, not text, and they would stick to the words searched for. */
function plainText(text: string): string {
  return text.replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').trim();
}

async function blobBytes(session: CaseSession, sha256: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of openBlob(dataOf(session), sha256)) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

export interface OcrOptions {
  /** tesseract codes, the main language first. */
  langs: readonly string[];
  /** Also read again the images whose text was recognised with other languages. */
  redo?: boolean;
}

/**
 * Recognises every image attachment without recognised text yet (or, with `redo`, none in exactly
 * these languages). Cancellable between images (CANCELLED); what was recognised before stays.
 */
export async function recognizeImages(session: CaseSession, opts: OcrOptions, signal?: AbortSignal, onProgress?: (done: number, total: number) => void): Promise<OcrResultDTO> {
  const langs = checkOcrLanguages(opts.langs);
  const lang = langs.join('+');
  const only = opts.redo ? lang : undefined;
  const { read, write } = dataOf(session);
  const total = read.enrichment.pendingImageCount(only);
  const result: OcrResultDTO = { images: 0, recognised: 0, failed: [], lang };
  let batch = read.enrichment.pendingImages(0, 100, only);
  if (!batch.length) return result;
  const data = langs.map(languageData);
  const dataSha256 = data.map((l) => l.sha256).join('+');
  const version = ocrEngineVersion();
  const worker = await startWorker(data);
  try {
    while (batch.length) {
      for (const img of batch) {
        if (signal?.aborted) throw new HoldfastError('CANCELLED', `Text recognition cancelled after ${result.images} images; what was recognised is kept.`);
        result.images++;
        if (img.size > MAX_IMAGE_BYTES) {
          result.failed.push({ attachmentId: img.id, error: `larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MiB` });
        } else {
          try {
            const { data: r } = await worker.recognize(await blobBytes(session, img.sha256));
            write.enrichment.saveRecognised(img.id, { text: plainText(r.text), engine: OCR_ENGINE, engineVersion: version, lang, dataSha256, confidence: r.confidence }, Date.now());
            result.recognised++;
          } catch (err) {
            result.failed.push({ attachmentId: img.id, error: err instanceof Error ? err.message : String(err) });
          }
        }
        // Every image counts towards the progress, the refused ones too, so the bar reaches its end.
        onProgress?.(result.images, total);
      }
      batch = read.enrichment.pendingImages(batch.at(-1)!.id, 100, only);
    }
  } finally {
    await worker.terminate();
  }
  return result;
}
