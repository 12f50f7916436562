/**
 * Text in image attachments, recognised offline with tesseract.js and the English LSTM data
 * packaged as @tesseract.js-data/eng (nothing is downloaded: the data is read from node_modules and
 * never cached elsewhere). Each result records the engine, its version, the language data's SHA-256
 * and the mean confidence, so it can be reproduced and weighed. The text is derived: it is stored
 * apart from the message (attachment_text) and productions never read it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createWorker, OEM } from 'tesseract.js';
import { HoldfastError } from '../api/errors.ts';
import type { OcrResultDTO } from '../api/analysis-dto.ts';
import type { CaseSession } from '../case/session.ts';
import { dataOf } from '../case/data/index.ts';
import { openBlob } from '../case/blobs.ts';

const require = createRequire(import.meta.url);
export const OCR_ENGINE = 'tesseract.js';
export const OCR_LANG = 'eng';
/** Images larger than this are left for a human (tesseract would take minutes and most of the memory). */
const MAX_IMAGE_BYTES = 40 * 1024 * 1024;

/** The packaged LSTM ("best_int") English data and the engine's version. */
function engineFiles(): { langPath: string; dataSha256: string; version: string } {
  const langPath = path.join(path.dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int');
  const data = path.join(langPath, `${OCR_LANG}.traineddata.gz`);
  const version = (JSON.parse(fs.readFileSync(require.resolve('tesseract.js/package.json'), 'utf8')) as { version: string }).version;
  return { langPath, dataSha256: crypto.createHash('sha256').update(fs.readFileSync(data)).digest('hex'), version };
}

async function blobBytes(session: CaseSession, sha256: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of openBlob(dataOf(session), sha256)) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}


/**
 * Recognises every image attachment without recognised text yet. Cancellable between images
 * (CANCELLED); what was recognised before stays.
 */
export async function recognizeImages(session: CaseSession, signal?: AbortSignal, onProgress?: (done: number, total: number) => void): Promise<OcrResultDTO> {
  const { read, write } = dataOf(session);
  const total = read.enrichment.pendingImageCount();
  const result: OcrResultDTO = { images: 0, recognised: 0, failed: [] };
  let batch = read.enrichment.pendingImages(0, 100);
  if (!batch.length) return result;
  const { langPath, dataSha256, version } = engineFiles();
  const worker = await createWorker(OCR_LANG, OEM.LSTM_ONLY, { langPath, gzip: true, cacheMethod: 'none' });
  try {
    while (batch.length) {
      for (const img of batch) {
        if (signal?.aborted) throw new HoldfastError('CANCELLED', `Text recognition cancelled after ${result.images} images; what was recognised is kept.`);
        result.images++;
        if (img.size > MAX_IMAGE_BYTES) {
          result.failed.push({ attachmentId: img.id, error: `larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MiB` });
          continue;
        }
        try {
          const { data } = await worker.recognize(await blobBytes(session, img.sha256));
          write.enrichment.saveRecognised(img.id, { text: data.text.trim(), engine: OCR_ENGINE, engineVersion: version, lang: OCR_LANG, dataSha256, confidence: data.confidence }, Date.now());
          result.recognised++;
        } catch (err) {
          result.failed.push({ attachmentId: img.id, error: err instanceof Error ? err.message : String(err) });
        }
        onProgress?.(result.images, total);
      }
      batch = read.enrichment.pendingImages(batch.at(-1)!.id, 100);
    }
  } finally {
    await worker.terminate();
  }
  return result;
}
