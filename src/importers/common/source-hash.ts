/**
 * The custody hash of a source: SHA-256 of the file, or for a folder (an iPhone backup, a Slack
 * export) SHA-256 over the sorted list of "sha256  size  relative/path" lines of every file in it.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { HoldfastError } from '../../api/errors.ts';

export async function sha256File(file: string, signal?: AbortSignal, onBytes?: (n: number) => void): Promise<string> {
  const hash = createHash('sha256');
  const stream = fs.createReadStream(file, { highWaterMark: 1 << 20, ...(signal ? { signal } : {}) });
  try {
    for await (const chunk of stream) {
      hash.update(chunk as Buffer);
      onBytes?.((chunk as Buffer).length);
    }
  } catch (err) {
    // Cancelled while hashing: the stream's AbortError is a cancellation, not a failure.
    if (signal?.aborted) throw new HoldfastError('CANCELLED', `Import of ${path.basename(file)} was cancelled; nothing from it was kept.`, { file }, { cause: err });
    throw err;
  }
  return hash.digest('hex');
}

export interface SourceIdentity {
  sha256: string;
  size: number;
  kind: 'file' | 'folder';
}

export async function hashSource(source: string, signal?: AbortSignal, onBytes?: (n: number) => void): Promise<SourceIdentity> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(source);
  } catch {
    throw new HoldfastError('NOT_FOUND', `No file or folder at ${source}.`, { file: source });
  }
  if (stat.isFile()) return { sha256: await sha256File(source, signal, onBytes), size: stat.size, kind: 'file' };
  if (!stat.isDirectory()) throw new HoldfastError('IMPORT_UNSUPPORTED_SOURCE', `${source} is neither a file nor a folder.`, { file: source });
  const lines: string[] = [];
  let size = 0;
  for (const rel of listFiles(source)) {
    const full = path.join(source, rel);
    const s = fs.statSync(full);
    size += s.size;
    lines.push(`${await sha256File(full, signal, onBytes)}  ${s.size}  ${rel.split(path.sep).join('/')}`);
  }
  lines.sort();
  return { sha256: createHash('sha256').update(lines.join('\n')).digest('hex'), size, kind: 'folder' };
}

/** Relative paths of regular files below `root`; symbolic links are not followed. */
export function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = rel ? path.join(rel, entry.name) : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) out.push(child);
    }
  };
  walk('');
  return out.sort();
}
