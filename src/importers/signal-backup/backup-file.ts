/**
 * Reading a Signal for Android backup file frame by frame. The file: a 4-byte big-endian length and
 * a plain BackupFrame holding the Header (iv, salt, version); then encrypted frames, each a 4-byte
 * length (itself encrypted from version 1 on, with the frame's own key stream) and that many bytes:
 * ciphertext + 10-byte MAC. An attachment, avatar or sticker frame is followed by its data:
 * `length` bytes of ciphertext (its own counter) + 10-byte MAC over IV and ciphertext.
 * Data is never decrypted to disk: attachments are located here and decrypted when ingest reads them.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { HoldfastError } from '../../api/errors.ts';
import type { BackupKeys } from './crypto.ts';
import { ctr, deriveKeys, frameIv, MAC_LENGTH, macMatches } from './crypto.ts';
import type { BackupFrame } from './frames.ts';
import { decodeFrame } from './frames.ts';

/** Larger frames do not occur (a frame is one SQL row); refusing them bounds memory on hostile input. */
const MAX_FRAME = 64 * 1024 * 1024;
const MAX_HEADER = 4096;
const SUPPORTED_VERSIONS = new Set([0, 1]);

export interface AttachmentData {
  /** Offset of the ciphertext in the file. */
  offset: number;
  length: number;
  counter: number;
}

export interface BackupHeader {
  iv: Uint8Array;
  salt: Uint8Array | undefined;
  version: number;
  /** Where the first encrypted frame starts. */
  start: number;
}

/** Reads `n` bytes at `pos`; undefined when the file ends first. */
function readAt(fd: number, pos: number, n: number): Buffer | undefined {
  const buf = Buffer.alloc(n);
  let done = 0;
  while (done < n) {
    const got = fs.readSync(fd, buf, done, n - done, pos + done);
    if (got === 0) return undefined;
    done += got;
  }
  return buf;
}

export function readHeader(fd: number, file: string): BackupHeader {
  const corrupt = (why: string) => new HoldfastError('IMPORT_UNSUPPORTED_SOURCE', `${file} is not a Signal backup: ${why}.`, { file, position: 'byte 0' });
  const len = readAt(fd, 0, 4);
  if (!len) throw corrupt('it is shorter than a header');
  const n = len.readUInt32BE(0);
  if (n === 0 || n > MAX_HEADER) throw corrupt(`its first frame would be ${n} bytes long`);
  const body = readAt(fd, 4, n);
  if (!body) throw corrupt('it ends inside its header');
  let frame: BackupFrame;
  try {
    frame = decodeFrame(body);
  } catch {
    throw corrupt('its first frame is not a protobuf BackupFrame');
  }
  const h = frame.header;
  if (!h?.iv || h.iv.length !== 16) throw corrupt('its first frame is not a header with a 16-byte IV');
  const version = h.version ?? 0;
  if (!SUPPORTED_VERSIONS.has(version)) {
    throw new HoldfastError('IMPORT_UNSUPPORTED_SOURCE', `${file} is a Signal backup of format version ${version}, which Holdfast does not know (it reads versions 0 and 1).`, { file, position: 'header' });
  }
  return { iv: h.iv, salt: h.salt, version, start: 4 + n };
}

export type FrameEvent =
  | { frame: BackupFrame; index: number }
  | { data: AttachmentData; frame: BackupFrame; index: number };

/** Decrypts the frames of an open backup file in order; attachment data is located and its MAC checked, not decrypted. */
export class BackupFrames {
  readonly header: BackupHeader;
  private readonly fd: number;
  private readonly file: string;
  readonly keys: BackupKeys;
  private counter: number;
  private pos: number;
  private index = 0;
  readonly size: number;

  constructor(fd: number, file: string, header: BackupHeader, keys: BackupKeys) {
    this.fd = fd;
    this.file = file;
    this.header = header;
    this.keys = keys;
    this.counter = Buffer.from(header.iv).readUInt32BE(0);
    this.pos = header.start;
    this.size = fs.fstatSync(fd).size;
  }

  /** Opens `file` with `passphrase`; BAD_PASSPHRASE when the first frame does not authenticate. */
  static open(file: string, passphrase: string | undefined): BackupFrames {
    const fd = fs.openSync(file, 'r');
    try {
      const header = readHeader(fd, file);
      if (passphrase === undefined || passphrase === '') {
        throw new HoldfastError(
          'IMPORT_NEEDS_PASSWORD',
          `${file} is an encrypted Signal backup. Supply its 30-digit passphrase (shown when backups were turned on): put it in an environment variable and pass --backup-password-env VAR, or enter it when the app asks.`,
          { file },
        );
      }
      const frames = new BackupFrames(fd, file, header, deriveKeys(passphrase, header.salt));
      frames.checkPassphrase();
      return frames;
    } catch (err) {
      fs.closeSync(fd);
      throw err;
    }
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  get position(): number {
    return this.pos;
  }

  private corrupt(why: string): HoldfastError {
    return new HoldfastError('IMPORT_SOURCE_CORRUPT', `${this.file} is damaged: ${why}. Nothing was imported.`, { file: this.file, position: `frame ${this.index}, byte ${this.pos}` });
  }

  /** The first frame authenticates only with the right key; a wrong one gives a bad MAC or a nonsense length. */
  private checkPassphrase(): void {
    const saved = { counter: this.counter, pos: this.pos, index: this.index };
    try {
      this.next();
    } catch (err) {
      if (err instanceof HoldfastError && err.details?.reason === 'mac') {
        throw new HoldfastError('BAD_PASSPHRASE', `The passphrase does not decrypt the Signal backup ${this.file}. Check the 30 digits and try again.`, { file: this.file });
      }
      throw err;
    } finally {
      Object.assign(this, saved);
    }
  }

  /** The next frame; attachment-like frames come with the location of their data. Undefined after the end frame. */
  next(): FrameEvent | undefined {
    if (this.pos >= this.size) throw this.corrupt('the file ends without its end frame (it is truncated)');
    const lenBytes = readAt(this.fd, this.pos, 4);
    if (!lenBytes) throw this.corrupt('the file ends inside a frame length (it is truncated)');
    const iv = frameIv(this.header.iv, this.counter++);
    const decipher = ctr(this.keys, iv);
    const mac = crypto.createHmac('sha256', this.keys.macKey);
    let length: number;
    if (this.header.version >= 1) {
      mac.update(lenBytes);
      length = decipher.update(lenBytes).readInt32BE(0);
    } else {
      length = lenBytes.readInt32BE(0);
    }
    const macFailure = (why: string) => {
      const e = this.corrupt(why);
      e.details!.reason = 'mac';
      return e;
    };
    if (length <= MAC_LENGTH || length > MAX_FRAME) throw macFailure(`frame ${this.index} claims a length of ${length} bytes`);
    const body = readAt(this.fd, this.pos + 4, length);
    if (!body) {
      // From version 1 the length is encrypted: past the end may just as well be a wrong key.
      if (this.header.version >= 1 && this.index === 0) throw macFailure(`frame 0 claims ${length} bytes, more than the file holds`);
      throw this.corrupt(`frame ${this.index} runs past the end of the file (it is truncated)`);
    }
    const cipherText = body.subarray(0, length - MAC_LENGTH);
    mac.update(cipherText);
    if (!macMatches(mac, body.subarray(length - MAC_LENGTH))) throw macFailure(`frame ${this.index} fails its MAC check`);
    const plain = Buffer.concat([decipher.update(cipherText), decipher.final()]);
    let frame: BackupFrame;
    try {
      frame = decodeFrame(plain);
    } catch {
      throw this.corrupt(`frame ${this.index} decrypts to something that is not a BackupFrame`);
    }
    this.pos += 4 + length;
    const index = this.index++;
    if (frame.end) return undefined;
    const dataLength = frame.attachment?.length ?? frame.blob?.length;
    if (dataLength === undefined) return { frame, index };
    const data: AttachmentData = { offset: this.pos, length: dataLength, counter: this.counter++ };
    if (this.pos + dataLength + MAC_LENGTH > this.size) throw this.corrupt(`the data of frame ${index} runs past the end of the file (it is truncated)`);
    if (!this.dataMacMatches(data)) throw this.corrupt(`the data of frame ${index} (${dataLength} bytes) fails its MAC check`);
    this.pos += dataLength + MAC_LENGTH;
    return { frame, index, data };
  }

  private dataMacMatches(d: AttachmentData): boolean {
    const mac = crypto.createHmac('sha256', this.keys.macKey).update(frameIv(this.header.iv, d.counter));
    const buf = Buffer.alloc(Math.min(d.length, 1 << 20));
    for (let done = 0; done < d.length;) {
      const n = fs.readSync(this.fd, buf, 0, Math.min(buf.length, d.length - done), d.offset + done);
      if (n === 0) return false;
      mac.update(buf.subarray(0, n));
      done += n;
    }
    const theirs = readAt(this.fd, d.offset + d.length, MAC_LENGTH);
    return !!theirs && macMatches(mac, theirs);
  }
}

/** A stream of an attachment's plaintext, decrypted from the file as it is read (nothing touches disk). */
export function openAttachment(file: string, iv: Uint8Array, keys: BackupKeys, d: AttachmentData): Readable {
  const decipher = ctr(keys, frameIv(iv, d.counter));
  const source = fs.createReadStream(file, { start: d.offset, end: d.offset + d.length - 1, highWaterMark: 1 << 20 });
  return d.length === 0 ? Readable.from([]) : source.pipe(decipher);
}
