/**
 * Entities in message text, found offline: phone numbers (libphonenumber-js, international form
 * only: a number written without its country code is ambiguous), email addresses, URLs, IBANs
 * (ISO 13616 mod-97 check), card-like numbers (13–19 digits passing Luhn), amounts with a currency,
 * and ISINs (ISO 6166 check digit). Values are normalised so the same entity written two ways is
 * one value: E.164, lower-case email, IBAN without spaces, "USD 1250000.00".
 */
import { findPhoneNumbersInText } from 'libphonenumber-js';
export type { EntityKind } from './codes.ts';

import type { EntityKind } from './codes.ts';

export interface Entity {
  kind: EntityKind;
  value: string;
}

// Matched from each '@' outward with RFC 5321's length limits (local part 64, domain 253): a
// global /local+@domain/ scan backtracks quadratically on a long run of local-part characters.
const EMAIL_LOCAL_CHAR = /[A-Za-z0-9._%+-]/;
const EMAIL_DOMAIN = /[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/y;
const URL_RE = /\bhttps?:\/\/[^\s<>"'`]+|\bwww\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+[^\s<>"'`]*/gi;
const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b/g;
const ISIN = /\b[A-Z]{2}[A-Z0-9]{9}\d\b/g;
const CARD = /\b\d(?:[ -]?\d){12,18}\b/g;
const SYMBOLS: Record<string, string> = { $: 'USD', '€': 'EUR', '£': 'GBP', '¥': 'JPY', '₹': 'INR', '₣': 'CHF' };
const CODES = 'USD|EUR|GBP|JPY|CHF|CAD|AUD|NZD|CNY|HKD|SGD|INR|SEK|NOK|DKK|ZAR|BRL|MXN|PLN|AED|SAR';
const NUM = String.raw`\d{1,3}(?:[,.]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?`;
const SCALE = String.raw`(?:\s?(k|m|mm|bn|thousand|million|billion)\b)?`;
const AMOUNT = new RegExp(
  String.raw`(?:([$€£¥₹₣]|\b(?:${CODES})\b)\s?(${NUM})${SCALE})|(?:\b(${NUM})${SCALE}\s?(?:([€£¥])|\b(${CODES})\b))`,
  'gi',
);
const SCALES: Record<string, number> = { k: 1e3, thousand: 1e3, m: 1e6, mm: 1e6, million: 1e6, bn: 1e9, billion: 1e9 };
const TRAILING_PUNCT = /[.,;:!?)\]}'"]+$/;

/** Luhn over a digit string (cards; ISINs after letters become numbers). */
export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** ISO 13616: the country and check digits moved to the end, letters as 10–35, the number mod 97 is 1. */
export function ibanValid(iban: string): boolean {
  if (iban.length < 15 || iban.length > 34) return false;
  let rest = 0;
  for (const ch of iban.slice(4) + iban.slice(0, 4)) {
    const n = ch >= 'A' ? ch.charCodeAt(0) - 55 : ch.charCodeAt(0) - 48;
    rest = (n > 9 ? rest * 100 + n : rest * 10 + n) % 97;
  }
  return rest === 1;
}

/** ISO 6166: letters as 10–35, then Luhn over the digits including the check digit. */
export function isinValid(isin: string): boolean {
  let digits = '';
  for (const ch of isin) digits += ch >= 'A' ? String(ch.charCodeAt(0) - 55) : ch;
  return luhn(digits);
}

/** "1,250,000.50" / "1.250.000,50" / "1250" → a number: a last separator before exactly three digits groups thousands. */
function amountNumber(s: string): number {
  const m = /[.,](\d+)$/.exec(s);
  if (m && m[1]!.length <= 2) return Number(`${s.slice(0, m.index).replace(/[.,]/g, '')}.${m[1]}`);
  return Number(s.replace(/[.,]/g, ''));
}

/** `text` with the spans of `re`'s matches blanked out, so later patterns do not find digits inside them. */
function blank(text: string, spans: [number, number][]): string {
  let out = text;
  for (const [a, b] of spans) out = out.slice(0, a) + ' '.repeat(b - a) + out.slice(b);
  return out;
}

/** Spans of email addresses, in order, not overlapping. */
function emailSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  let from = 0;
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > from && at - start <= 64 && EMAIL_LOCAL_CHAR.test(text[start - 1]!)) start--;
    if (start === at || at - start > 64) continue;
    EMAIL_DOMAIN.lastIndex = at + 1;
    const m = EMAIL_DOMAIN.exec(text.slice(0, at + 1 + 253));
    if (!m) continue;
    spans.push([start, at + 1 + m[0].length]);
    from = at + 1 + m[0].length;
    at = from - 1;
  }
  return spans;
}

export function extractEntities(text: string): Entity[] {
  const found = new Map<string, Entity>();
  const add = (kind: EntityKind, value: string) => found.set(`${kind}\u001f${value}`, { kind, value });
  const masked: [number, number][] = [];
  for (const m of text.matchAll(URL_RE)) {
    const raw = m[0].replace(TRAILING_PUNCT, '');
    try {
      add('url', new URL(/^www\./i.test(raw) ? `http://${raw}` : raw).href);
      masked.push([m.index, m.index + raw.length]);
    } catch {
      // Not a URL after all (a stray "www." in prose).
    }
  }
  for (const [start, end] of emailSpans(text)) {
    add('email', text.slice(start, end).toLowerCase());
    masked.push([start, end]);
  }
  let rest = blank(text, masked);
  const money: [number, number][] = [];
  for (const m of rest.matchAll(IBAN)) {
    const iban = m[0].replace(/ /g, '');
    if (ibanValid(iban)) (add('iban', iban), money.push([m.index, m.index + m[0].length]));
  }
  for (const m of rest.matchAll(ISIN)) if (isinValid(m[0])) (add('isin', m[0]), money.push([m.index, m.index + m[0].length]));
  rest = blank(rest, money);
  if (/\d/.test(rest)) {
    for (const m of rest.matchAll(CARD)) {
      const digits = m[0].replace(/[ -]/g, '');
      if (digits.length >= 13 && luhn(digits)) add('card', digits);
    }
    if (rest.includes('+')) for (const p of findPhoneNumbersInText(rest)) add('phone', p.number.number);
    for (const m of rest.matchAll(AMOUNT)) {
      const [, symA, numA, scaleA, numB, scaleB, symB, codeB] = m;
      const cur = symA ?? symB ?? codeB ?? '';
      const code = SYMBOLS[cur] ?? cur.toUpperCase();
      const scale = SCALES[(scaleA ?? scaleB ?? '').toLowerCase()] ?? 1;
      const n = amountNumber((numA ?? numB)!) * scale;
      if (Number.isFinite(n)) add('amount', `${code} ${n.toFixed(2)}`);
    }
  }
  return [...found.values()];
}
