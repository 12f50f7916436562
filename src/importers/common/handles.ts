/** Normalising handles so the same person's phone number or address is one handle across sources. */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { HandleRef } from '../types.ts';

/** Best-effort E.164; returns undefined when the text is not a plausible phone number. */
export function toE164(text: string, defaultCountry?: string): string | undefined {
  const cleaned = text.replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  if (!/^\+?[\d\s().\-\u00a0]{5,}$/.test(cleaned)) return undefined;
  const parsed = parsePhoneNumberFromString(cleaned, (defaultCountry ?? undefined) as Parameters<typeof parsePhoneNumberFromString>[1]);
  if (parsed && parsed.isPossible()) return parsed.number;
  const digits = cleaned.replace(/\D/g, '');
  return cleaned.startsWith('+') && digits.length >= 6 ? `+${digits}` : undefined;
}

export function normalizeHandle(ref: HandleRef): HandleRef {
  const value = ref.value.trim();
  switch (ref.kind) {
    case 'email':
      return { ...ref, value: value.toLowerCase() };
    case 'phone': {
      const e164 = toE164(value);
      return { ...ref, value: e164 ?? value };
    }
    case 'apple-id':
      return value.includes('@') ? { ...ref, kind: 'email', value: value.toLowerCase() } : { ...ref, kind: 'phone', value: toE164(value) ?? value };
    default:
      return { ...ref, value };
  }
}

export function handleKey(ref: HandleRef): string {
  return `${ref.kind}\u001f${ref.value}`;
}
