/**
 * Stemming for `stem:word` (Snowball stemmers from snowball-stemmers). The index holds exact
 * terms; a stemmed query word is expanded to every indexed term with the same stem, so exact
 * matching stays the default and stemming is asked for word by word.
 */
import { newStemmer } from 'snowball-stemmers';

/** Query language code → Snowball algorithm. */
export const STEM_LANGUAGES: Readonly<Record<string, string>> = {
  ar: 'arabic', hy: 'armenian', eu: 'basque', ca: 'catalan', cs: 'czech', da: 'danish', nl: 'dutch', en: 'english',
  fi: 'finnish', fr: 'french', de: 'german', hu: 'hungarian', it: 'italian', ga: 'irish', no: 'norwegian',
  pt: 'portuguese', ro: 'romanian', ru: 'russian', es: 'spanish', sl: 'slovene', sv: 'swedish', ta: 'tamil', tr: 'turkish',
};

/**
 * The language of `stem:word` without a language: by the word's script (Latin → English,
 * Cyrillic → Russian, Arabic → Arabic, Armenian, Tamil), null when no stemmer fits (CJK, Hebrew…).
 */
export function languageOf(term: string): string | null {
  if (/\p{Script=Cyrillic}/u.test(term)) return 'ru';
  if (/\p{Script=Arabic}/u.test(term)) return 'ar';
  if (/\p{Script=Armenian}/u.test(term)) return 'hy';
  if (/\p{Script=Tamil}/u.test(term)) return 'ta';
  if (/^[\p{Script=Latin}\p{N}]+$/u.test(term)) return 'en';
  return null;
}

const stemmers = new Map<string, (word: string) => string>();

/** The stem function of a language code (from STEM_LANGUAGES). */
export function stemmer(lang: string): (word: string) => string {
  let fn = stemmers.get(lang);
  if (!fn) {
    const s = newStemmer(STEM_LANGUAGES[lang]!);
    fn = (word) => s.stem(word);
    stemmers.set(lang, fn);
  }
  return fn;
}
