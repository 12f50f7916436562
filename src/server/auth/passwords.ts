/**
 * Account passwords: argon2id hashes (PHC strings carrying their own salt and parameters) and the
 * rule a new password must meet — the case passphrase policy (at least 12 characters, not one
 * character repeated), not the account's own name, and at most 1,024 characters so that a hash
 * request cannot be made arbitrarily expensive.
 */
import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Algorithm } from '@node-rs/argon2';
import { HoldfastError } from '../../api/errors.ts';
import { passphraseProblem } from '../../case/passphrase-policy.ts';

/** Algorithm.Argon2id: the package's enum is a const enum, which type stripping cannot read. */
const ARGON2ID = 2 as Algorithm;

/**
 * OWASP's first argon2id configuration (19 MiB, 2 passes, 1 lane): tens of milliseconds a hash and
 * 19 MiB per sign-in in flight, which a server signing in a whole team at once can afford.
 */
const ARGON2_PARAMETERS = { algorithm: ARGON2ID, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 } as const;

const MAX_PASSWORD_LENGTH = 1024;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_PARAMETERS);
}

/** False for a wrong password and for a stored value that is not an argon2 hash. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;

/** The hash of a password nobody knows: an unknown name is checked against it, so it takes as long as a known one. */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(32).toString('base64url'));
  return dummy;
}

export function assertAcceptablePassword(password: string, accountName: string): void {
  if (password.length > MAX_PASSWORD_LENGTH) throw new HoldfastError('VALIDATION', `A password has at most ${MAX_PASSWORD_LENGTH} characters.`);
  const problem = passphraseProblem(password);
  if (problem) throw new HoldfastError('WEAK_PASSPHRASE', problem);
  if (password.trim().toLowerCase() === accountName.trim().toLowerCase()) {
    throw new HoldfastError('WEAK_PASSPHRASE', 'A password must not be the account\'s own name; a few unrelated words are easy to remember.');
  }
}
