/**
 * WhatsApp for Android's encrypted backups (msgstore.db.crypt12/14/15, wa.db.crypt15, …), opened in
 * memory: nothing decrypted is written anywhere.
 *
 * crypt12: a fixed 67-byte header (cipher version 00 01, key version, server salt 32, Google id salt
 *   16, IV 16 at bytes 51..67); then the AES-256-GCM body, its 16-byte tag, a 16-byte MD5 of
 *   everything before it and 4 bytes ending the account's number.
 * crypt14/crypt15: one byte giving the length of a BackupPrefix protobuf, a 0x01 byte when a
 *   feature table follows (msgstore backups), the protobuf (1 key type; 2 crypt14 cipher: 1 cipher
 *   version, 2 key version, 3 server salt, 4 Google id salt, 5 IV; 3 crypt15: 1 IV; 4 info:
 *   1 WhatsApp version, 3 number end, features), the AES-256-GCM body and its 16-byte tag, then a
 *   16-byte MD5 of everything before it. Backups written without that MD5 (multi-file backups) end
 *   with the tag.
 * crypt12 and crypt14 use the 32-byte key at the end of the `key` file; crypt15 derives it from the
 * 32-byte root key: HMAC-SHA256(HMAC-SHA256(32 zero bytes, root), "backup encryption" || 0x01).
 * The body is zlib-deflated: a SQLite database for the database backups.
 */
import crypto from 'node:crypto';
import { constants as bufferConstants } from 'node:buffer';
import zlib from 'node:zlib';
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import { HoldfastError } from '../../api/errors.ts';
import { isSqliteImage } from '../sqlite/memory-db.ts';
import type { BackupKey } from './backup-key.ts';

export type CryptVersion = 'crypt12' | 'crypt14' | 'crypt15';

export const ENCRYPTED_BACKUP = /\.crypt(12|14|15)$/i;

export function cryptVersionOf(file: string): CryptVersion | undefined {
  const m = ENCRYPTED_BACKUP.exec(file);
  return m ? (`crypt${m[1]}` as CryptVersion) : undefined;
}

interface Header {
  version: CryptVersion;
  iv: Buffer;
  /** Where the encrypted body starts. */
  bodyStart: number;
  /** crypt12/crypt14: the server salt that the right `key` file repeats. */
  serverSalt?: Buffer;
  /** crypt12: bytes after the MD5 (the end of the account's number). */
  footer: number;
}

interface Layout extends Header {
  bodyEnd: number;
  tag: Buffer;
  /** The trailing MD5 is present and matches: the file is whole, so a tag failure means a wrong key. */
  intact: boolean;
}

/** Where the user's error points: the backup as given and its name inside the source. */
export interface BackupRef {
  file: string;
  label: string;
}

const CRYPT12_HEADER = 67;
const TAG = 16;
const MD5 = 16;
const SLICE = 16 * 1024 * 1024;
/** Largest expansion accepted from the zlib body (a SQLite file rarely deflates beyond 20:1). */
const MAX_RATIO = 1000;

const corrupt = (ref: BackupRef, message: string, position?: string) =>
  new HoldfastError('IMPORT_SOURCE_CORRUPT', `${ref.label} ${message}`, { file: ref.file, position: position ?? ref.label });

function parseHeader(bytes: Buffer, version: CryptVersion, ref: BackupRef): Header {
  if (version === 'crypt12') {
    if (bytes.length < CRYPT12_HEADER + TAG + MD5 + 4) throw corrupt(ref, `is truncated: ${bytes.length} bytes, fewer than a crypt12 header and trailer.`);
    if (bytes[0] !== 0 || bytes[1] !== 1) throw corrupt(ref, `is not a crypt12 backup: its cipher version is ${bytes.subarray(0, 2).toString('hex')}, not 0001.`, 'byte 0');
    return { version, serverSalt: bytes.subarray(3, 35), iv: bytes.subarray(51, 67), bodyStart: CRYPT12_HEADER, footer: 4 };
  }
  const size = bytes[0] ?? 0;
  const start = bytes[1] === 1 ? 2 : 1;
  if (bytes.length < start + size + TAG) throw corrupt(ref, `is truncated: ${bytes.length} bytes, fewer than its ${size}-byte header and tag.`);
  let iv: Buffer | undefined;
  let serverSalt: Buffer | undefined;
  let found: CryptVersion | undefined;
  try {
    const r = new BinaryReader(bytes.subarray(start, start + size));
    while (r.pos < r.len) {
      const [field, wire] = r.tag();
      if ((field === 2 || field === 3) && wire === WireType.LengthDelimited) {
        const inner = new BinaryReader(r.bytes());
        found = field === 2 ? 'crypt14' : 'crypt15';
        while (inner.pos < inner.len) {
          const [f, w] = inner.tag();
          if (w === WireType.LengthDelimited && field === 2 && f === 3) serverSalt = Buffer.from(inner.bytes());
          else if (w === WireType.LengthDelimited && f === (field === 2 ? 5 : 1)) iv = Buffer.from(inner.bytes());
          else inner.skip(w, f);
        }
      } else {
        r.skip(wire, field);
      }
    }
  } catch (err) {
    throw corrupt(ref, `has a damaged header (its BackupPrefix cannot be read: ${err instanceof Error ? err.message : String(err)}).`, 'byte 0');
  }
  if (!found || !iv) throw corrupt(ref, 'is not a WhatsApp crypt14/crypt15 backup: its header holds no encryption IV.', 'byte 0');
  if (iv.length !== 16) throw corrupt(ref, `has a ${iv.length}-byte IV in its header; WhatsApp writes 16.`, 'byte 0');
  return { version: found, iv, bodyStart: start + size, footer: 0, ...(serverSalt ? { serverSalt } : {}) };
}

/** Where body and tag are: with a trailing MD5 when it matches, else the tag ends the file. */
function layout(bytes: Buffer, h: Header, ref: BackupRef): Layout {
  const end = bytes.length - h.footer;
  const md5 = crypto.createHash('md5').update(bytes.subarray(0, end - MD5)).digest();
  const intact = md5.equals(bytes.subarray(end - MD5, end));
  const tagEnd = intact || h.version === 'crypt12' ? end - MD5 : end;
  if (tagEnd - TAG < h.bodyStart) throw corrupt(ref, `is truncated: ${bytes.length} bytes leave no room for its body and tag.`);
  return { ...h, bodyEnd: tagEnd - TAG, tag: bytes.subarray(tagEnd - TAG, tagEnd), intact };
}

/** crypt15's AES key: HMAC-SHA256 keyed by HMAC-SHA256(32 zero bytes, root) over "backup encryption" || 0x01. */
export function crypt15Key(root: Buffer): Buffer {
  const prk = crypto.createHmac('sha256', Buffer.alloc(32)).update(root).digest();
  try {
    return crypto.createHmac('sha256', prk).update('backup encryption').update(Buffer.from([1])).digest();
  } finally {
    prk.fill(0);
  }
}

function aesKey(key: BackupKey, h: Header, ref: BackupRef): Buffer {
  if (h.version === 'crypt15') {
    if (key.kind !== 'root') {
      throw new HoldfastError('BAD_PASSPHRASE', `${ref.label} is an end-to-end encrypted backup (crypt15): it opens with the 64-digit key or encrypted_backup.key, not with the crypt12/crypt14 "key" file given.`, { file: ref.file });
    }
    return crypt15Key(key.root);
  }
  if (key.kind !== 'legacy') {
    throw new HoldfastError('BAD_PASSPHRASE', `${ref.label} is a ${h.version} backup: it opens with the 158-byte "key" file from the phone's WhatsApp data, not with a 64-digit key or encrypted_backup.key.`, { file: ref.file });
  }
  return Buffer.from(key.key);
}

/** Runs AES-256-GCM over the body; the plaintext slices go to `sink` (or nowhere) and the tag is checked last. */
function runGcm(bytes: Buffer, l: Layout, key: BackupKey, ref: BackupRef, sink?: (slice: Buffer) => void): void {
  const k = aesKey(key, l, ref);
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', k, l.iv);
    decipher.setAuthTag(l.tag);
    for (let p = l.bodyStart; p < l.bodyEnd; p += SLICE) {
      const out = decipher.update(bytes.subarray(p, Math.min(p + SLICE, l.bodyEnd)));
      if (sink) sink(out);
      else out.fill(0);
    }
    decipher.final();
  } catch (err) {
    if (err instanceof HoldfastError) throw err;
    throw authFailure(l, key, ref);
  } finally {
    k.fill(0);
  }
}

function authFailure(l: Layout, key: BackupKey, ref: BackupRef): HoldfastError {
  if (key.kind === 'legacy' && l.serverSalt && !key.serverSalt.equals(l.serverSalt)) {
    return new HoldfastError('BAD_PASSPHRASE', `The key file does not open ${ref.label}: it belongs to another backup key (its server salt differs from the one in the backup's header).`, { file: ref.file });
  }
  if (l.intact) {
    return new HoldfastError('BAD_PASSPHRASE', `The key does not open ${ref.label}: the AES-GCM authentication tag does not match, and the file itself is whole (its MD5 checksum matches), so the key is not this backup's.`, { file: ref.file });
  }
  return corrupt(
    ref,
    'cannot be authenticated: its AES-GCM tag does not match and its trailing MD5 checksum does not match either, so the file is damaged or truncated (or, for a backup written without a checksum, the key is not its key).',
    `byte ${l.bodyEnd}`,
  );
}

/**
 * Checks the key and the file's integrity (the whole body is authenticated, nothing kept), and that
 * the content starts as a zlib stream: the cheap test before an import starts writing.
 */
export function authenticateBackup(bytes: Buffer, version: CryptVersion, key: BackupKey, ref: BackupRef): void {
  const l = layout(bytes, parseHeader(bytes, version, ref), ref);
  let head: Buffer | undefined;
  runGcm(bytes, l, key, ref, (slice) => {
    head ??= Buffer.from(slice.subarray(0, 2));
    slice.fill(0);
  });
  if (head && head[0] === 0x50 && head[1] === 0x4b) throw notADatabase(ref);
  if (!head || head[0] !== 0x78) throw corrupt(ref, 'was decrypted and authenticated, but its content is not zlib-compressed as WhatsApp writes it.', `byte ${l.bodyStart}`);
}

const notADatabase = (ref: BackupRef) =>
  new HoldfastError('IMPORT_UNSUPPORTED_SOURCE', `${ref.label} is a multi-file WhatsApp backup (a zip, as written for stickers and wallpapers), not a database backup.`, { file: ref.file });

/**
 * Decrypts, authenticates and inflates the backup in memory, hands the plaintext (a SQLite image)
 * to `use`, and zeroes it afterwards.
 */
export function withDecryptedBackup<T>(bytes: Buffer, version: CryptVersion, key: BackupKey, ref: BackupRef, use: (plain: Buffer) => T): T {
  const plain = decryptBackup(bytes, version, key, ref);
  try {
    return use(plain);
  } finally {
    plain.fill(0);
  }
}

function decryptBackup(bytes: Buffer, version: CryptVersion, key: BackupKey, ref: BackupRef): Buffer {
  const l = layout(bytes, parseHeader(bytes, version, ref), ref);
  const slices: Buffer[] = [];
  try {
    runGcm(bytes, l, key, ref, (s) => slices.push(s));
  } catch (err) {
    for (const s of slices) s.fill(0);
    throw err;
  }
  const deflated = slices.length === 1 ? slices[0]! : Buffer.concat(slices);
  for (const s of slices) if (s !== deflated) s.fill(0);
  try {
    if (deflated[0] === 0x50 && deflated[1] === 0x4b) throw notADatabase(ref);
    const limit = Math.min(bufferConstants.MAX_LENGTH, Math.max(64 * 1024 ** 2, MAX_RATIO * deflated.length));
    let plain: Buffer;
    try {
      plain = zlib.inflateSync(deflated, { maxOutputLength: limit });
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      if (err instanceof RangeError || /maxOutputLength|buffer/i.test(why)) {
        throw corrupt(ref, `expands beyond ${limit} bytes when inflated, more than Holdfast holds in memory for one database.`);
      }
      throw corrupt(ref, `was decrypted and authenticated, but its zlib content is damaged (${why}).`, `byte ${l.bodyStart}`);
    }
    if (!isSqliteImage(plain)) {
      plain.fill(0);
      throw corrupt(ref, 'was decrypted, but the content is not a SQLite database.');
    }
    return plain;
  } finally {
    deflated.fill(0);
  }
}
