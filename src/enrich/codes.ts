/**
 * The names search uses for enrichment (entity kinds, language codes), apart from the detectors so
 * the search engine loads neither libphonenumber nor the language profiles.
 */
export type EntityKind = 'phone' | 'email' | 'url' | 'iban' | 'card' | 'amount' | 'isin';
export const ENTITY_KINDS: readonly EntityKind[] = ['phone', 'email', 'url', 'iban', 'card', 'amount', 'isin'];

/** How an `entity:` value is stored: a phone number as E.164 digits, anything else compared case-insensitively. */
export function entityKey(value: string): string {
  return /^\+[\d\s().-]{7,}$/.test(value) ? value.replace(/[^\d+]/g, '') : value.toLowerCase();
}

/** ISO 639-1 → 639-3 for the languages reviewers name most, so lang:fr and lang:fra both work. */
const TWO_LETTER: Record<string, string> = {
  en: 'eng', fr: 'fra', de: 'deu', es: 'spa', it: 'ita', pt: 'por', nl: 'nld', ru: 'rus', zh: 'cmn', ja: 'jpn', ko: 'kor', ar: 'arb',
  pl: 'pol', tr: 'tur', sv: 'swe', da: 'dan', no: 'nob', nb: 'nob', fi: 'fin', el: 'ell', cs: 'ces', hu: 'hun', ro: 'ron', uk: 'ukr',
  he: 'heb', hi: 'hin', id: 'ind', ms: 'zlm', vi: 'vie', th: 'tha', fa: 'pes', bg: 'bul', hr: 'hrv', sr: 'srp', sk: 'slk',
};

export function languageCode(value: string): string {
  const v = value.toLowerCase();
  return TWO_LETTER[v] ?? v;
}
