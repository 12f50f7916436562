/**
 * The cryptography of Signal for Android's backup files (FullBackupBase, BackupRecordInputStream):
 * key = SHA-512 iterated 250,000 times over the passphrase (the salt hashed first, once), its first
 * 32 bytes through HKDF-SHA256 (info "Backup Export") → 32-byte AES key + 32-byte HMAC key. Each
 * frame and each attachment is AES-256-CTR with the header IV whose first four bytes are replaced
 * by a counter (big-endian) that starts at their value and grows by one per frame or attachment;
 * each ends in the first 10 bytes of an HMAC-SHA256.
 */
import crypto from 'node:crypto';

const ROUNDS = 250_000;
export const MAC_LENGTH = 10;

export interface BackupKeys {
  cipherKey: Buffer;
  macKey: Buffer;
}

export function deriveKeys(passphrase: string, salt: Uint8Array | undefined): BackupKeys {
  // Signal shows the 30 digits in groups of five; the spaces are not part of the key.
  const input = Buffer.from(passphrase.replace(/\s+/g, ''), 'utf8');
  let hash: Buffer = input;
  for (let i = 0; i < ROUNDS; i++) {
    const h = crypto.createHash('sha512');
    if (i === 0 && salt) h.update(salt);
    h.update(hash);
    h.update(input);
    hash = h.digest();
  }
  const derived = Buffer.from(crypto.hkdfSync('sha256', hash.subarray(0, 32), Buffer.alloc(32), Buffer.from('Backup Export'), 64));
  return { cipherKey: derived.subarray(0, 32), macKey: derived.subarray(32, 64) };
}

/** The IV of frame number `counter`: the header IV with its first four bytes replaced. */
export function frameIv(headerIv: Uint8Array, counter: number): Buffer {
  const iv = Buffer.from(headerIv);
  iv.writeUInt32BE(counter >>> 0, 0);
  return iv;
}

export function ctr(keys: BackupKeys, iv: Buffer): crypto.Decipheriv {
  return crypto.createDecipheriv('aes-256-ctr', keys.cipherKey, iv);
}

export function macMatches(mac: crypto.Hmac, theirs: Uint8Array): boolean {
  const ours = mac.digest().subarray(0, MAC_LENGTH);
  return theirs.length === MAC_LENGTH && crypto.timingSafeEqual(ours, theirs);
}
