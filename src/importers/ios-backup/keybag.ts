/**
 * The backup keybag (`BackupKeyBag` in Manifest.plist) and Apple's backup key hierarchy:
 *
 *   password ─PBKDF2-SHA256(DPSL, DPIC)─▶ ─PBKDF2-SHA1(SALT, ITER)─▶ passcode key
 *   passcode key ─AES key unwrap (RFC 3394)─▶ class keys (WPKY of each CLAS)
 *   class key ─AES key unwrap─▶ ManifestKey / each file's EncryptionKey ─AES-256-CBC─▶ content
 *
 * The keybag is a run of TLV blocks (4-byte tag, 4-byte big-endian length, value). Its own
 * attributes (VERS, TYPE, UUID, HMCK, WRAP, SALT, ITER, DPWT, DPIC, DPSL) come first; each later
 * UUID starts a class key (UUID, CLAS, WRAP, KTYP, WPKY). Backups made before iOS 10.2 have no
 * DPSL/DPIC: the password goes straight into the SHA-1 round.
 */
import crypto from 'node:crypto';
import { promisify } from 'node:util';

const pbkdf2 = promisify(crypto.pbkdf2);

/** WRAP bit meaning "wrapped with the passcode (backup password) key". */
const WRAP_PASSCODE = 2;
const KEY_WRAP_IV = Buffer.from('A6A6A6A6A6A6A6A6', 'hex');

export interface ClassKeyEntry {
  cls: number;
  wrap: number;
  keyType: number | undefined;
  wrapped: Buffer | undefined;
}

export interface Keybag {
  type: number | undefined;
  uuid: Buffer | undefined;
  salt: Buffer | undefined;
  iterations: number | undefined;
  /** iOS 10.2+ first round. */
  dpsl: Buffer | undefined;
  dpic: number | undefined;
  classKeys: ClassKeyEntry[];
}

export class KeybagError extends Error {}

export function parseKeybag(blob: Buffer): Keybag {
  const bag: Keybag = { type: undefined, uuid: undefined, salt: undefined, iterations: undefined, dpsl: undefined, dpic: undefined, classKeys: [] };
  let current: Partial<ClassKeyEntry> | undefined;
  const flush = () => {
    if (current && current.cls !== undefined) {
      bag.classKeys.push({ cls: current.cls, wrap: current.wrap ?? 0, keyType: current.keyType, wrapped: current.wrapped });
    }
  };
  let off = 0;
  while (off + 8 <= blob.length) {
    const tag = blob.toString('latin1', off, off + 4);
    const len = blob.readUInt32BE(off + 4);
    if (off + 8 + len > blob.length) throw new KeybagError(`keybag block ${tag} at byte ${off} runs past the end`);
    const value = blob.subarray(off + 8, off + 8 + len);
    const int = len === 4 ? value.readUInt32BE(0) : undefined;
    off += 8 + len;
    if (tag === 'UUID') {
      if (bag.uuid === undefined) {
        bag.uuid = value;
      } else {
        flush();
        current = {};
      }
      continue;
    }
    if (current) {
      if (tag === 'CLAS') current.cls = int;
      else if (tag === 'WRAP') current.wrap = int;
      else if (tag === 'KTYP') current.keyType = int;
      else if (tag === 'WPKY') current.wrapped = value;
      continue;
    }
    if (tag === 'TYPE') bag.type = int;
    else if (tag === 'SALT') bag.salt = value;
    else if (tag === 'ITER') bag.iterations = int;
    else if (tag === 'DPSL') bag.dpsl = value;
    else if (tag === 'DPIC') bag.dpic = int;
  }
  flush();
  if (!bag.salt || !bag.iterations) throw new KeybagError('keybag has no SALT/ITER');
  if (bag.classKeys.length === 0) throw new KeybagError('keybag holds no class keys');
  return bag;
}

/** RFC 3394 unwrap; undefined when the integrity check fails (wrong key). */
export function aesUnwrap(kek: Buffer, wrapped: Buffer): Buffer | undefined {
  if (wrapped.length < 24 || wrapped.length % 8 !== 0) return undefined;
  try {
    const d = crypto.createDecipheriv(kek.length === 16 ? 'id-aes128-wrap' : 'id-aes256-wrap', kek, KEY_WRAP_IV);
    return Buffer.concat([d.update(wrapped), d.final()]);
  } catch {
    return undefined;
  }
}

/** Class keys by protection class, unlocked with the backup password. */
export type ClassKeys = Map<number, Buffer>;

/**
 * Derives the passcode key and unwraps every passcode-wrapped class key. Returns undefined when
 * the password is wrong (an unwrap integrity check fails).
 */
export async function unlockKeybag(bag: Keybag, password: string): Promise<ClassKeys | undefined> {
  // Every intermediate secret is zeroed once used; the class keys only on failure (the caller keeps them).
  const pw = Buffer.from(password, 'utf8');
  let secret = pw;
  let passcodeKey: Buffer | undefined;
  const keys: ClassKeys = new Map();
  let ok = false;
  try {
    if (bag.dpsl && bag.dpic) secret = await pbkdf2(pw, bag.dpsl, bag.dpic, 32, 'sha256');
    passcodeKey = await pbkdf2(secret, bag.salt!, bag.iterations!, 32, 'sha1');
    let tried = 0;
    for (const ck of bag.classKeys) {
      if (!ck.wrapped || (ck.wrap & WRAP_PASSCODE) === 0) continue;
      tried++;
      const key = aesUnwrap(passcodeKey, ck.wrapped);
      if (!key) return undefined;
      keys.set(ck.cls, key);
    }
    if (tried === 0) throw new KeybagError('keybag has no password-wrapped class keys');
    ok = true;
    return keys;
  } finally {
    pw.fill(0);
    secret.fill(0);
    passcodeKey?.fill(0);
    if (!ok) wipeKeys(keys);
  }
}

/** Zeroes and forgets class keys. */
export function wipeKeys(keys: ClassKeys): void {
  for (const k of keys.values()) k.fill(0);
  keys.clear();
}

/** A wrapped key as stored in ManifestKey / EncryptionKey: 4-byte little-endian class, then the wrapped key. */
function splitWrappedKey(blob: Buffer): { cls: number; wrapped: Buffer } {
  if (blob.length < 4 + 24) throw new KeybagError(`wrapped key of ${blob.length} bytes is too short`);
  return { cls: blob.readUInt32LE(0), wrapped: blob.subarray(4) };
}

export function unwrapWithClass(keys: ClassKeys, blob: Buffer): Buffer {
  const { cls, wrapped } = splitWrappedKey(blob);
  const ck = keys.get(cls);
  if (!ck) throw new KeybagError(`the keybag has no key for protection class ${cls}`);
  const key = aesUnwrap(ck, wrapped);
  if (!key) throw new KeybagError(`the key for protection class ${cls} does not unwrap this file's key`);
  return key;
}
