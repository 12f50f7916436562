/**
 * One passphrase policy for every way a case gets a key (CLI create and rekey, the API, the app):
 * at least 12 characters, not one character repeated. Length is what resists guessing here —
 * SQLCipher's key derivation slows each guess, but `a` is found in the first one.
 */
import { HoldfastError } from '../api/errors.ts';

export const MIN_PASSPHRASE_LENGTH = 12;

export function passphraseProblem(passphrase: string): string | null {
  const chars = [...passphrase];
  if (chars.length < MIN_PASSPHRASE_LENGTH) return `A passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters (this one has ${chars.length}); a few unrelated words are easy to remember.`;
  if (new Set(chars).size === 1) return 'A passphrase of one character repeated is guessed at once; use a few unrelated words.';
  return null;
}

export function assertStrongPassphrase(passphrase: string): void {
  const problem = passphraseProblem(passphrase);
  if (problem) throw new HoldfastError('WEAK_PASSPHRASE', problem);
}
