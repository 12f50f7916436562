/**
 * Relativity Short Message Format (RSMF) 1.0 and 2.0: an .rsmf email whose `rsmf.zip` attachment holds
 * `rsmf_manifest.json` and the files it names; also a bare rsmf.zip, a manifest folder, or the manifest
 * file itself. Format facts: README.md beside this file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { HoldfastError } from '../../api/errors.ts';
import type { ImportContext, Importer, ImportRecord } from '../types.ts';
import { looksLikeZip, openZip, openZipBuffer } from '../zip/zip.ts';
import type { ZipArchive } from '../zip/zip.ts';
import { manifestRecords } from './manifest.ts';
import type { Manifest, RsmfFiles } from './manifest.ts';

const MANIFEST = 'rsmf_manifest.json';
/** The manifest is read whole; one larger than this is not a plausible RSMF. */
const MAX_MANIFEST_BYTES = 1024 ** 3;

type Variant = 'rsmf-eml' | 'zip' | 'folder' | 'manifest';

async function headBytes(file: string, n = 8192): Promise<Buffer> {
  const fd = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fd.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fd.close();
  }
}

async function variantOf(p: string): Promise<Variant | undefined> {
  const st = await fs.promises.stat(p);
  if (st.isDirectory()) return fs.existsSync(path.join(p, MANIFEST)) ? 'folder' : undefined;
  if (!st.isFile()) return undefined;
  if (path.basename(p).toLowerCase() === MANIFEST) return 'manifest';
  const head = await headBytes(p);
  const text = head.toString('latin1');
  if (/^X-RSMF-Version:/im.test(text.split(/\r?\n\r?\n/)[0] ?? '')) return 'rsmf-eml';
  if (looksLikeZip(p) && head.includes(Buffer.from(MANIFEST))) return 'zip';
  if (/\.rsmf$/i.test(p)) return 'rsmf-eml';
  return undefined;
}

function zipFiles(zip: ZipArchive): RsmfFiles {
  return {
    has: (name) => zip.find(name) !== undefined,
    size: (name) => zip.find(name)?.size,
    open: async (name) => zip.openEntry(zip.find(name)!),
    whyMissing: (name) => zip.rejected.get(name),
  };
}

function folderFiles(dir: string): RsmfFiles {
  const inside = (name: string) => {
    const full = path.resolve(dir, name);
    return full.startsWith(path.resolve(dir) + path.sep) ? full : undefined;
  };
  const stat = (name: string) => {
    const full = inside(name);
    try {
      return full && fs.statSync(full).isFile() ? fs.statSync(full) : undefined;
    } catch {
      return undefined;
    }
  };
  return {
    has: (name) => stat(name) !== undefined,
    size: (name) => stat(name)?.size,
    open: async (name) => fs.createReadStream(inside(name)!),
    whyMissing: (name) => (inside(name) ? undefined : `${name} points outside the manifest's folder; not read`),
  };
}

/** The zip inside an .rsmf email, decoded in memory by mailparser. */
async function zipFromEml(file: string): Promise<ZipArchive> {
  const mail = await simpleParser(await fs.promises.readFile(file), { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
  const version = mail.headers.get('x-rsmf-version');
  const att = mail.attachments.find((a) => (a.filename ?? '').toLowerCase() === 'rsmf.zip');
  if (!att) {
    throw new HoldfastError(
      version ? 'IMPORT_SOURCE_CORRUPT' : 'IMPORT_UNSUPPORTED_SOURCE',
      `${file} has no rsmf.zip attachment${version ? '' : ' and no X-RSMF-Version header: not an RSMF file'}.`,
      { file, position: 'MIME attachments' },
    );
  }
  return openZipBuffer(att.content, `${file} (attachment rsmf.zip)`);
}

async function parseManifest(data: Buffer, where: string, file: string): Promise<Manifest> {
  let value: unknown;
  try {
    value = JSON.parse(data.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    const pos = /position (\d+)/.exec((err as Error).message)?.[1];
    throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `${where} is not valid JSON${pos ? ` at byte ${pos}` : ''}: ${(err as Error).message}`, {
      file, position: `${MANIFEST}${pos ? ` byte ${pos}` : ''}`,
    }, { cause: err });
  }
  const m = value as Manifest;
  const missing = (['participants', 'conversations', 'events'] as const).filter((k) => !value || typeof value !== 'object' || !Array.isArray(m[k]));
  if (missing.length) {
    throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `${where} is not a usable RSMF manifest: ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing or not an array.`, {
      file, position: MANIFEST,
    });
  }
  return m;
}

async function readAll(stream: NodeJS.ReadableStream, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of stream) {
    n += (c as Buffer).length;
    if (n > limit) throw new Error(`larger than ${limit} bytes`);
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

export const rsmfImporter: Importer = {
  id: 'rsmf',
  name: 'RSMF (Relativity Short Message Format)',
  description: 'An .rsmf file (RSMF 1.0 or 2.0), a bare rsmf.zip, or a folder holding rsmf_manifest.json and its attachments.',
  version: '1.0.0',

  async detect(p) {
    try {
      const v = await variantOf(p);
      return v ? { confidence: v === 'rsmf-eml' ? 0.95 : 0.9, variant: v } : { confidence: 0 };
    } catch {
      return { confidence: 0 };
    }
  },

  async probe(p) {
    return { variant: (await variantOf(p)) ?? 'unknown' };
  },

  async estimate(p) {
    // The manifest is parsed whole, so there is no finer progress than done/not done.
    return { total: 0 };
  },

  async *read(ctx: ImportContext): AsyncGenerator<ImportRecord> {
    const file = ctx.path;
    const variant = await variantOf(file).catch(() => undefined);
    if (!variant) {
      throw new HoldfastError('IMPORT_UNSUPPORTED_SOURCE', `${file} is not an RSMF file, rsmf.zip or manifest folder.`, { file, position: 'byte 0' });
    }
    let zip: ZipArchive | undefined;
    try {
      let files: RsmfFiles;
      let data: Buffer;
      let where: string;
      if (variant === 'folder' || variant === 'manifest') {
        const dir = variant === 'folder' ? file : path.dirname(file);
        where = path.join(dir, MANIFEST);
        data = await fs.promises.readFile(where);
        files = folderFiles(dir);
      } else {
        zip = variant === 'zip' ? await openZip(file) : await zipFromEml(file);
        for (const w of zip.warnings) ctx.warn(w);
        const entry = zip.find(MANIFEST);
        if (!entry) {
          throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `${zip.path} has no ${MANIFEST} entry.`, { file, position: `entry ${MANIFEST}` });
        }
        where = `${zip.path} entry ${MANIFEST}`;
        try {
          data = await readAll(await zip.openEntry(entry), MAX_MANIFEST_BYTES);
        } catch (err) {
          if (err instanceof HoldfastError) throw err;
          throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `${where} cannot be read: ${(err as Error).message}`, { file, position: `entry ${MANIFEST}` }, { cause: err });
        }
        files = zipFiles(zip);
        yield { type: 'source-file', innerPath: `rsmf.zip/${MANIFEST}`, size: data.length, sha256: createHash('sha256').update(data).digest('hex') };
      }
      const manifest = await parseManifest(data, where, file);
      if (typeof manifest.version !== 'string' || !/^[12]\.\d+\.\d+$/.test(manifest.version)) {
        ctx.warn({ code: 'UNSUPPORTED_FEATURE', locator: MANIFEST, message: `version "${String(manifest.version ?? '')}" is not RSMF 1.x or 2.x; read as 2.0` });
      }
      yield* manifestRecords(manifest, files, ctx);
    } finally {
      zip?.close();
    }
  },
};
