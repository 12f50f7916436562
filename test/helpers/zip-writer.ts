/**
 * Builds real zip archives in memory for tests (yazl), including hostile ones yazl itself refuses
 * to write: unsafe names are written under a same-length placeholder and patched in afterwards,
 * and declared sizes can be rewritten in the central directory.
 */
import { Readable } from 'node:stream';
import yazl from 'yazl';

export interface ZipSpec {
  name: string;
  data: Buffer | string | (() => Readable);
  /** Deflate (default) or store. */
  compress?: boolean;
  /** Bytes of a streamed `data` (required by yazl for streams to know sizes up front; optional). */
  size?: number;
  mtime?: Date;
}

const FIXED_TIME = new Date(Date.UTC(2023, 5, 30, 12, 0, 0));

function placeholder(i: number, byteLength: number): string {
  const base = `Q${i}Z`;
  if (Buffer.byteLength(base) > byteLength) throw new Error(`name too short to patch: ${byteLength} bytes`);
  return base.padEnd(byteLength, 'q');
}

function needsPatch(name: string): boolean {
  return name.includes('\\') || name.startsWith('/') || /^[A-Za-z]:/.test(name) || name.split('/').includes('..') || name === '';
}

export async function buildZip(specs: ZipSpec[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const patches: [Buffer, Buffer][] = [];
  specs.forEach((s, i) => {
    let name = s.name;
    if (needsPatch(name)) {
      const real = Buffer.from(name);
      name = placeholder(i, real.length);
      patches.push([Buffer.from(name), real]);
    }
    const opts = { mtime: s.mtime ?? FIXED_TIME, compressionLevel: s.compress === false ? 0 : 9 };
    if (typeof s.data === 'function') zip.addReadStream(s.data(), name, { ...opts, ...(s.size !== undefined ? { size: s.size } : {}) });
    else zip.addBuffer(Buffer.isBuffer(s.data) ? s.data : Buffer.from(s.data), name, opts);
  });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream as AsyncIterable<Buffer>) chunks.push(c);
  let out: Buffer = Buffer.concat(chunks);
  for (const [from, to] of patches) out = replaceAll(out, from, to);
  return out;
}

function replaceAll(buf: Buffer, from: Buffer, to: Buffer): Buffer {
  let at = buf.indexOf(from);
  while (at !== -1) {
    to.copy(buf, at);
    at = buf.indexOf(from, at + to.length);
  }
  return buf;
}

/** Offsets of each central directory header, by name (classic zip, not zip64). */
function centralHeaders(buf: Buffer): Map<string, number> {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const out = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const n = buf.readUInt16LE(at + 28);
    const m = buf.readUInt16LE(at + 30);
    const k = buf.readUInt16LE(at + 32);
    out.set(buf.subarray(at + 46, at + 46 + n).toString('utf8'), at);
    at += 46 + n + m + k;
  }
  return out;
}

/** Rewrites the expanded size an entry declares in the central directory (a lying zip bomb). */
export function setDeclaredSize(buf: Buffer, name: string, uncompressed: number): Buffer {
  const at = centralHeaders(buf).get(name);
  if (at === undefined) throw new Error(`no entry ${name}`);
  buf.writeUInt32LE(uncompressed, at + 24);
  return buf;
}

/** A stream of `size` zero bytes, produced lazily (a real high-ratio entry). */
export function zeros(size: number): () => Readable {
  return () => {
    const chunk = Buffer.alloc(1 << 20);
    let left = size;
    return new Readable({
      read() {
        if (left <= 0) {
          this.push(null);
          return;
        }
        const n = Math.min(left, chunk.length);
        left -= n;
        this.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      },
    });
  };
}
