/**
 * Decrypting backup file content: AES-256-CBC with a zero IV and the file's own key, padded to
 * the block size; the plaintext is the first `size` bytes (Manifest.db's size is the padding's).
 * Always in memory or as a stream — never a plaintext file.
 */
import crypto from 'node:crypto';
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';

const ZERO_IV = Buffer.alloc(16);

export class ContentError extends Error {}

function decipher(key: Buffer): crypto.Decipheriv {
  const d = crypto.createDecipheriv('aes-256-cbc', key, ZERO_IV);
  // Padding is checked (or not) by the caller: files are cut to their recorded size.
  d.setAutoPadding(false);
  return d;
}

function checkCipherLength(length: number, size: number | undefined): void {
  if (length % 16 !== 0) throw new ContentError(`encrypted length ${length} is not a multiple of the AES block size`);
  if (size !== undefined && length < size) throw new ContentError(`encrypted length ${length} is shorter than the recorded size ${size}`);
}

/** Strips PKCS#7 padding when it is well formed (used for Manifest.db, whose size is not recorded). */
function stripPadding(plain: Buffer): Buffer {
  const n = plain.length ? plain[plain.length - 1]! : 0;
  if (n < 1 || n > 16 || n > plain.length) return plain;
  for (let i = plain.length - n; i < plain.length; i++) if (plain[i] !== n) return plain;
  return plain.subarray(0, plain.length - n);
}

/** Decrypts a whole buffer; `size` cuts it to the recorded length, otherwise padding is stripped. */
export function decryptBuffer(cipherText: Buffer, key: Buffer, size?: number): Buffer {
  checkCipherLength(cipherText.length, size);
  const d = decipher(key);
  const plain = Buffer.concat([d.update(cipherText), d.final()]);
  return size === undefined ? stripPadding(plain) : plain.subarray(0, size);
}

/** A transform that decrypts a file's stream and stops at its recorded size. */
export function decryptStream(key: Buffer, size: number, cipherLength: number): Transform {
  checkCipherLength(cipherLength, size);
  const d = decipher(key);
  let emitted = 0;
  const push = (t: Transform, chunk: Buffer) => {
    const take = Math.min(chunk.length, size - emitted);
    if (take > 0) {
      t.push(take === chunk.length ? chunk : chunk.subarray(0, take));
      emitted += take;
    }
  };
  return new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      push(this, d.update(chunk));
      cb();
    },
    flush(cb: TransformCallback) {
      push(this, d.final());
      cb(emitted === size ? null : new ContentError(`decrypted ${emitted} bytes, the backup records ${size}`));
    },
  });
}
