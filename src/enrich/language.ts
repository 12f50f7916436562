/**
 * The language of a message, offline, with franc-min (trigram profiles of 82 languages; ISO 639-3
 * codes). Texts shorter than MIN_LENGTH characters are 'und': a few words say too little.
 */
import { franc } from 'franc-min';

export const MIN_LENGTH = 20;
export const UNDETERMINED = 'und';

export function detectLanguage(text: string): string {
  if (text.length < MIN_LENGTH) return UNDETERMINED;
  return franc(text, { minLength: MIN_LENGTH });
}
