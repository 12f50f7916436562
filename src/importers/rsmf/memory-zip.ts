/**
 * The `rsmf.zip` inside an .rsmf email arrives as a Buffer (mailparser decodes the base64
 * attachment). The shared reader (../zip/zip.ts) opens files only, so this opens a Buffer with
 * yauzl.fromBuffer behind the same ZipArchive interface and the same limits: unsafe names and
 * encrypted or oversized entries are left out with a warning; sizes are enforced while inflating.
 */
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import type { Readable } from 'node:stream';
import { HoldfastError } from '../../api/errors.ts';
import type { ImportWarning } from '../types.ts';
import { DEFAULT_ZIP_LIMITS, unsafeEntryName } from '../zip/zip.ts';
import type { ZipArchive, ZipEntry, ZipLimits } from '../zip/zip.ts';

function corrupt(label: string, position: string, err: unknown): HoldfastError {
  return new HoldfastError('IMPORT_SOURCE_CORRUPT', `${label} is not a readable zip archive (${position}): ${err instanceof Error ? err.message : String(err)}`, {
    file: label, position,
  }, { cause: err });
}

function allEntries(zip: ZipFile): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const out: Entry[] = [];
    zip.on('entry', (e: Entry) => {
      out.push(e);
      zip.readEntry();
    });
    zip.on('end', () => resolve(out));
    zip.on('error', reject);
    zip.readEntry();
  });
}

/** `label` names the archive in messages, e.g. "sample.rsmf (attachment rsmf.zip)". */
export async function openZipBuffer(buf: Buffer, label: string, limits: Partial<ZipLimits> = {}): Promise<ZipArchive> {
  const lim: ZipLimits = { ...DEFAULT_ZIP_LIMITS, ...limits };
  let zip: ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(buf, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true });
  } catch (err) {
    throw corrupt(label, 'end of central directory', err);
  }
  if (zip.entryCount > lim.maxEntries) {
    throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `${label} declares ${zip.entryCount} entries, more than the limit of ${lim.maxEntries}.`, {
      file: label, position: 'central directory',
    });
  }
  let list: Entry[];
  try {
    list = await allEntries(zip);
  } catch (err) {
    throw corrupt(label, 'central directory', err);
  }
  const entries: ZipEntry[] = [];
  const warnings: ImportWarning[] = [];
  const rejected = new Map<string, string>();
  const raw = new Map<ZipEntry, Entry>();
  let total = 0;
  for (const e of list) {
    const name = yauzl.getFileNameLowLevel(e.generalPurposeBitFlag, e.fileNameRaw, e.extraFields, true);
    const refuse = (code: ImportWarning['code'], message: string) => {
      warnings.push({ code, locator: `entry ${name}`, message });
      rejected.set(name, message);
    };
    const unsafe = unsafeEntryName(name);
    if (unsafe) refuse('BAD_RECORD', `zip entry "${name}" was ignored: ${unsafe} (zip slip)`);
    else if (e.uncompressedSize > lim.maxEntryBytes || total + e.uncompressedSize > lim.maxTotalBytes) {
      refuse('LIMIT_EXCEEDED', `zip entry "${name}" was ignored: it expands to ${e.uncompressedSize} bytes, over the limit`);
    } else if (e.uncompressedSize >= lim.ratioMinBytes && e.uncompressedSize > lim.maxRatio * Math.max(e.compressedSize, 1)) {
      refuse('LIMIT_EXCEEDED', `zip entry "${name}" was ignored: an implausible compression ratio (a likely zip bomb)`);
    } else if (e.isEncrypted()) refuse('UNSUPPORTED_FEATURE', `zip entry "${name}" is encrypted and cannot be read`);
    else {
      total += e.uncompressedSize;
      const entry: ZipEntry = { name, size: e.uncompressedSize, compressedSize: e.compressedSize, isDirectory: name.endsWith('/'), crc32: e.crc32 };
      entries.push(entry);
      raw.set(entry, e);
    }
  }
  return {
    path: label,
    entries,
    warnings,
    rejected,
    find: (name) => entries.find((e) => e.name === name),
    async openEntry(entry): Promise<Readable> {
      const e = raw.get(entry);
      if (!e) throw new HoldfastError('NOT_FOUND', `${entry.name} is not an entry of ${label}.`, { file: label, position: `entry ${entry.name}` });
      try {
        const stream = await zip.openReadStreamPromise(e);
        // Readers see errors through iteration/pipe; this only keeps an unread failure from crashing the process.
        stream.on('error', () => {});
        return stream;
      } catch (err) {
        throw corrupt(label, `entry ${entry.name}`, err);
      }
    },
    close: () => zip.close(),
  };
}
