/** Argument pieces shared by the method schemas. */
import { z } from 'zod';

export const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
/** A file system path as the user typed or picked it: non-empty, no NUL bytes. */
export const filePath = z.string().min(1).max(4096).refine((p) => !p.includes('\0'), 'must not contain NUL characters');
export const passphrase = z.string().min(1, 'the passphrase must not be empty').max(1024);
export const noArgs = z.strictObject({});
export const limit = (max: number, fallback: number) => z.number().int().min(1).max(max).default(fallback);
export const offset = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0);
export const timeZone = z
  .string()
  .min(1)
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'is not an IANA time zone (e.g. Europe/London, UTC)');
export const dateOrder = z.enum(['dmy', 'mdy', 'ymd']);
