/**
 * An export as a set of named files, whether it is a folder or a zip (read through the shared zip
 * reader, never extracted). Used by importers whose sources are trees of JSON and media files
 * (Slack, Meta, Discord, Google Chat). Paths are `/`-separated and relative to the tree's root.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { HoldfastError } from '../../api/errors.ts';
import { listFiles } from '../common/source-hash.ts';
import type { ImportWarning } from '../types.ts';
import { looksLikeZip, openZip } from '../zip/zip.ts';
import type { ZipArchive, ZipEntry } from '../zip/zip.ts';

export interface ExportTree {
  readonly kind: 'folder' | 'zip';
  /** Sorted `/`-separated paths relative to the root. */
  readonly files: readonly string[];
  readonly warnings: readonly ImportWarning[];
  has(rel: string): boolean;
  /** The whole file with its SHA-256 (small index files only: refused above `limit` bytes). */
  read(rel: string, limit: number): Promise<{ data: Buffer; sha256: string }>;
  open(rel: string): Promise<Readable>;
  size(rel: string): number | undefined;
  close(): void;
}

async function collect(stream: Readable, limit: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of stream) {
    n += (chunk as Buffer).length;
    if (n > limit) {
      stream.destroy();
      throw new Error(`${what} is larger than ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function folderTree(root: string): ExportTree {
  const files = listFiles(root).map((f) => f.split(path.sep).join('/'));
  const set = new Set(files);
  return {
    kind: 'folder', files, warnings: [],
    has: (rel) => set.has(rel),
    async read(rel, limit) {
      const full = path.join(root, rel);
      if (fs.statSync(full).size > limit) throw new Error(`${rel} is larger than ${limit} bytes`);
      const data = await fs.promises.readFile(full);
      return { data, sha256: createHash('sha256').update(data).digest('hex') };
    },
    open: async (rel) => fs.createReadStream(path.join(root, rel)),
    size: (rel) => (set.has(rel) ? fs.statSync(path.join(root, rel)).size : undefined),
    close: () => {},
  };
}

function zipTree(zip: ZipArchive, prefix: string): ExportTree {
  const byName = new Map<string, ZipEntry>();
  for (const e of zip.entries) if (!e.isDirectory && e.name.startsWith(prefix)) byName.set(e.name.slice(prefix.length), e);
  const entry = (rel: string): ZipEntry => {
    const e = byName.get(rel);
    if (!e) throw new HoldfastError('NOT_FOUND', `${zip.path} has no entry ${prefix}${rel}`, { file: zip.path, position: `entry ${prefix}${rel}` });
    return e;
  };
  return {
    kind: 'zip', files: [...byName.keys()].sort(), warnings: zip.warnings,
    has: (rel) => byName.has(rel),
    async read(rel, limit) {
      const e = entry(rel);
      if (e.size > limit) throw new Error(`entry ${rel} is larger than ${limit} bytes`);
      const data = await collect(await zip.openEntry(e), limit, `entry ${rel}`);
      return { data, sha256: createHash('sha256').update(data).digest('hex') };
    },
    open: async (rel) => zip.openEntry(entry(rel)),
    size: (rel) => byName.get(rel)?.size,
    close: () => zip.close(),
  };
}

/**
 * The folder or zip at `p`. `zipRoot` may choose a prefix of the entry names to read below (an
 * export zipped together with its folder); `what` names the format in the refusal of anything else.
 */
export async function openExportTree(p: string, what: string, zipRoot: (names: string[]) => string = () => ''): Promise<ExportTree> {
  const st = fs.statSync(p);
  if (st.isDirectory()) return folderTree(p);
  if (st.isFile() && looksLikeZip(p)) {
    const zip = await openZip(p);
    return zipTree(zip, zipRoot(zip.entries.map((e) => e.name)));
  }
  throw new HoldfastError('IMPORT_UNSUPPORTED_SOURCE', `${p} is neither a ${what} folder nor a zip archive.`, { file: p });
}
