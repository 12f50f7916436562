/**
 * The languages text recognition can read: tesseract's LSTM data packaged on npm as
 * @tesseract.js-data/<code> (installed with Holdfast, never downloaded), which of them a job uses,
 * and the default: the languages detected in the case's messages that have data, plus English.
 * Loads neither tesseract.js nor the data, so the API can answer and refuse cheaply.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { HoldfastError } from '../api/errors.ts';
import type { FacetCount } from '../case/data/interface.ts';

const require = createRequire(import.meta.url);

export interface OcrLanguage {
  /** tesseract's code, as recorded with each recognised text. */
  code: string;
  name: string;
  /** The message language (franc's ISO 639-3 code) whose presence makes it a default; null: chosen by hand only. */
  detected: string | null;
}

/** Sorted by code. Russian is not on the registry as packaged data; another language is a package and a row here. */
const OCR_LANGUAGES: readonly OcrLanguage[] = [
  { code: 'ara', name: 'Arabic', detected: 'arb' },
  { code: 'chi_sim', name: 'Chinese (simplified)', detected: 'cmn' },
  // Detection says Chinese, not which script: simplified is the default, traditional by hand.
  { code: 'chi_tra', name: 'Chinese (traditional)', detected: null },
  { code: 'deu', name: 'German', detected: 'deu' },
  { code: 'eng', name: 'English', detected: 'eng' },
  { code: 'fra', name: 'French', detected: 'fra' },
  { code: 'ita', name: 'Italian', detected: 'ita' },
  { code: 'jpn', name: 'Japanese', detected: 'jpn' },
  { code: 'nld', name: 'Dutch', detected: 'nld' },
  { code: 'por', name: 'Portuguese', detected: 'por' },
  { code: 'spa', name: 'Spanish', detected: 'spa' },
];

/** A language detected in fewer messages than this share is not worth slowing every image down for. */
const MIN_SHARE = 0.01;
/** Each language loaded makes every image slower: the default takes the most frequent few. */
const MAX_DEFAULT = 3;

/** The folder of a language's packaged LSTM ("best_int") data, `<code>.traineddata.gz`, or null when not installed. */
export function ocrDataDir(code: string): string | null {
  try {
    return path.join(path.dirname(require.resolve(`@tesseract.js-data/${code}/package.json`)), '4.0.0_best_int');
  } catch {
    return null;
  }
}

export function availableOcrLanguages(): OcrLanguage[] {
  return OCR_LANGUAGES.filter((l) => ocrDataDir(l.code) !== null);
}

/**
 * The default: the (at most three) most frequent detected message languages with data, each in at
 * least 1% of the messages whose language is known, then English.
 */
export function defaultOcrLanguages(counts: readonly FacetCount[]): string[] {
  const available = availableOcrLanguages();
  const known = counts.filter((c) => c.value !== 'und');
  const total = known.reduce((n, c) => n + c.count, 0);
  const chosen = known
    .filter((c) => c.count >= total * MIN_SHARE)
    .flatMap((c) => available.filter((l) => l.detected === c.value).map((l) => l.code))
    .filter((code) => code !== 'eng')
    .slice(0, MAX_DEFAULT);
  return [...chosen, 'eng'];
}

/** The languages asked for, each once in the order given; VALIDATION naming any without data, listing those with. */
export function checkOcrLanguages(requested: readonly string[]): string[] {
  const available = availableOcrLanguages().map((l) => l.code);
  const codes = [...new Set(requested.map((c) => c.trim()).filter(Boolean))];
  const unknown = codes.filter((c) => !available.includes(c));
  if (unknown.length) {
    throw new HoldfastError('VALIDATION', `No text-recognition data for ${unknown.map((c) => `"${c}"`).join(', ')}; available: ${available.join(', ')}.`, {
      unknown,
      available,
    });
  }
  if (!codes.length) throw new HoldfastError('VALIDATION', `No language given for text recognition; available: ${available.join(', ')}.`, { available });
  return codes;
}
