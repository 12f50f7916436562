/**
 * A Slack export as a set of named files, whether it is a folder or a zip (read through the shared
 * zip reader, never extracted). JSON files are small (one channel-day each) and are read whole.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { HoldfastError } from '../../api/errors.ts';
import { listFiles } from '../../ingest/source-hash.ts';
import type { ImportWarning } from '../types.ts';
import { looksLikeZip, openZip } from '../zip/zip.ts';
import type { ZipArchive, ZipEntry } from '../zip/zip.ts';

/** A channel-day file larger than this is not a Slack export file (guards memory). */
export const MAX_JSON_BYTES = 512 * 1024 ** 2;

export interface SlackSource {
  readonly kind: 'folder' | 'zip';
  /** `/`-separated paths relative to the export root. */
  readonly files: readonly string[];
  readonly warnings: readonly ImportWarning[];
  has(rel: string): boolean;
  /** The file's bytes and SHA-256 (for custody of zip entries). */
  read(rel: string): Promise<{ data: Buffer; sha256: string }>;
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

function folderSource(root: string): SlackSource {
  const files = listFiles(root).map((f) => f.split(path.sep).join('/'));
  const set = new Set(files);
  return {
    kind: 'folder', files, warnings: [],
    has: (rel) => set.has(rel),
    async read(rel) {
      const full = path.join(root, rel);
      if (fs.statSync(full).size > MAX_JSON_BYTES) throw new Error(`${rel} is larger than ${MAX_JSON_BYTES} bytes`);
      const data = await fs.promises.readFile(full);
      return { data, sha256: createHash('sha256').update(data).digest('hex') };
    },
    open: async (rel) => fs.createReadStream(path.join(root, rel)),
    size: (rel) => (set.has(rel) ? fs.statSync(path.join(root, rel)).size : undefined),
    close: () => {},
  };
}

/** Exports zipped with their folder have one top-level directory; paths are taken below it. */
function zipPrefix(names: string[]): string {
  if (names.some((n) => n === 'users.json' || n === 'channels.json')) return '';
  const top = new Set(names.map((n) => n.split('/')[0]));
  if (top.size === 1) {
    const [only] = [...top];
    if (names.some((n) => n === `${only}/users.json` || n === `${only}/channels.json`)) return `${only}/`;
  }
  return '';
}

function zipSource(zip: ZipArchive): SlackSource {
  const prefix = zipPrefix(zip.entries.map((e) => e.name));
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
    async read(rel) {
      const e = entry(rel);
      if (e.size > MAX_JSON_BYTES) throw new Error(`entry ${rel} is larger than ${MAX_JSON_BYTES} bytes`);
      const data = await collect(await zip.openEntry(e), MAX_JSON_BYTES, `entry ${rel}`);
      return { data, sha256: createHash('sha256').update(data).digest('hex') };
    },
    open: async (rel) => zip.openEntry(entry(rel)),
    size: (rel) => byName.get(rel)?.size,
    close: () => zip.close(),
  };
}

export async function openSlackSource(p: string): Promise<SlackSource> {
  const st = fs.statSync(p);
  if (st.isDirectory()) return folderSource(p);
  if (st.isFile() && looksLikeZip(p)) return zipSource(await openZip(p));
  throw new HoldfastError('IMPORT_UNSUPPORTED_SOURCE', `${p} is neither a Slack export folder nor a zip archive.`, { file: p });
}

/** Cheap check used by detect: the export's index files at its root. */
export function isSlackLayout(files: Iterable<string>): boolean {
  const set = new Set(files);
  return set.has('users.json') && ['channels.json', 'groups.json', 'dms.json', 'mpims.json'].some((f) => set.has(f));
}
