/**
 * The key of an encrypted WhatsApp for Android backup, from what the user supplies:
 *   - the 64 hexadecimal digits of an end-to-end encrypted backup (crypt15), as WhatsApp showed them;
 *   - `encrypted_backup.key` (crypt15): a Java-serialised byte[] of the 32-byte root key;
 *   - `key` (crypt12/crypt14, 158 bytes): a Java-serialised byte[] of 131 bytes: cipher version (2),
 *     key version (1), server salt (32), Google id salt (16), SHA-256 of that salt (32), a zeroed IV
 *     (16), then the AES-256 key (32);
 *   - a text file holding the 64 digits.
 * Key material is never echoed in an error.
 */
import fs from 'node:fs';
import { HoldfastError } from '../../api/errors.ts';
import type { ImportOptions } from '../types.ts';

export type BackupKey =
  /** crypt15: the root key; the AES key is derived from it (see crypt.ts). */
  | { kind: 'root'; root: Buffer }
  /** crypt12/crypt14: the AES key itself and the server salt that the backup's header repeats. */
  | { kind: 'legacy'; key: Buffer; serverSalt: Buffer };

const JAVA_MAGIC = Buffer.from([0xac, 0xed, 0x00, 0x05]);
const LEGACY_KEY_BYTES = 131;
const MAX_KEY_FILE = 4096;

export function hasBackupKey(options: ImportOptions): boolean {
  return !!options.backupKey || !!options.backupKeyFile;
}

/** The key the options carry, or IMPORT_NEEDS_PASSWORD naming the backup and how to give its key. */
export function loadBackupKey(options: ImportOptions, backup: string, file: string): BackupKey {
  if (options.backupKey) return fromHex(options.backupKey, 'The backup key');
  if (options.backupKeyFile) return fromKeyFile(options.backupKeyFile);
  throw new HoldfastError(
    'IMPORT_NEEDS_PASSWORD',
    `${backup} is an encrypted WhatsApp backup. Give its key: the 64-digit key with --backup-key-env NAME, or the key file ` +
      '(encrypted_backup.key for .crypt15, key for .crypt12/.crypt14) with --backup-key-file PATH.',
    { file },
  );
}

function badKey(message: string, file?: string): HoldfastError {
  return new HoldfastError('BAD_PASSPHRASE', message, file ? { file } : undefined);
}

function fromHex(text: string, what: string, file?: string): BackupKey {
  const digits = text.replace(/[\s-]+/g, '');
  if (!/^[0-9a-f]{64}$/i.test(digits)) {
    throw badKey(`${what} is not a WhatsApp backup key: it must be 64 hexadecimal digits (0-9, a-f), and it has ${digits.length} characters${/[^0-9a-f]/i.test(digits) ? ' including other characters' : ''}.`, file);
  }
  return { kind: 'root', root: Buffer.from(digits, 'hex') };
}

function fromKeyFile(file: string): BackupKey {
  let bytes: Buffer;
  try {
    if (fs.statSync(file).size > MAX_KEY_FILE) throw badKey(`${file} is not a WhatsApp key file (it is larger than ${MAX_KEY_FILE} bytes).`, file);
    bytes = fs.readFileSync(file);
  } catch (err) {
    if (err instanceof HoldfastError) throw err;
    throw new HoldfastError('IMPORT_NEEDS_PASSWORD', `The key file ${file} cannot be read: ${err instanceof Error ? err.message : String(err)}.`, { file });
  }
  try {
    if (bytes.subarray(0, 4).equals(JAVA_MAGIC)) return fromJavaByteArray(javaByteArray(bytes, file), file);
    return fromHex(bytes.toString('latin1'), `The key file ${file}`, file);
  } finally {
    bytes.fill(0);
  }
}

function fromJavaByteArray(data: Buffer, file: string): BackupKey {
  try {
    if (data.length === 32) return { kind: 'root', root: Buffer.from(data) };
    if (data.length === LEGACY_KEY_BYTES) return { kind: 'legacy', serverSalt: Buffer.from(data.subarray(3, 35)), key: Buffer.from(data.subarray(99, 131)) };
    throw badKey(`${file} holds ${data.length} key bytes: neither encrypted_backup.key (32) nor the crypt12/crypt14 key file (${LEGACY_KEY_BYTES}).`, file);
  } finally {
    data.fill(0);
  }
}

/**
 * The content of a Java-serialised byte[] (Java Object Serialization Specification, §6.4):
 * magic AC ED, version 00 05, TC_ARRAY 75, TC_CLASSDESC 72, class name "[B" (u16 length), 8-byte
 * serialVersionUID, flags, u16 field count, TC_ENDBLOCKDATA 78, TC_NULL 70 (no superclass),
 * then a big-endian int32 length and the bytes.
 */
function javaByteArray(bytes: Buffer, file: string): Buffer {
  const fail = (why: string) => badKey(`${file} is not a WhatsApp key file: ${why}.`, file);
  if (bytes[4] !== 0x75 || bytes[5] !== 0x72) throw fail('the Java serialisation does not hold an array');
  const nameLength = bytes.readUInt16BE(6);
  if (bytes.toString('latin1', 8, 8 + nameLength) !== '[B') throw fail('the serialised array is not a byte array');
  let p = 8 + nameLength + 8 + 1;
  if (p + 2 > bytes.length) throw fail('it ends inside its header');
  const fields = bytes.readUInt16BE(p);
  p += 2;
  if (fields !== 0 || bytes[p] !== 0x78 || bytes[p + 1] !== 0x70) throw fail('the byte array\'s class description is not the standard one');
  p += 2;
  if (p + 4 > bytes.length) throw fail('it ends inside its header');
  const length = bytes.readInt32BE(p);
  p += 4;
  if (length < 0 || p + length !== bytes.length) throw fail(`it says ${length} key bytes but holds ${bytes.length - p}`);
  return Buffer.from(bytes.subarray(p));
}
