/**
 * Property lists of an iPhone backup: Info.plist, Manifest.plist and Status.plist (binary or XML,
 * depending on the iTunes/Finder version) and the NSKeyedArchiver-encoded MBFile in every
 * Manifest.db `Files.file` cell.
 */
import { parseBuffer, UID } from 'bplist-parser';
import * as plist from 'plist';

export type PlistValue = string | number | bigint | boolean | Date | Buffer | UID | PlistValue[] | { [key: string]: PlistValue } | null;
export type PlistDict = { [key: string]: PlistValue };

const BPLIST = Buffer.from('bplist00', 'latin1');

/** Parses binary or XML plist bytes; throws a plain Error that the caller words for the user. */
export function parsePlist(bytes: Buffer): PlistValue {
  if (bytes.subarray(0, 8).equals(BPLIST)) {
    const [root] = parseBuffer<PlistValue>(bytes);
    return normalise(root ?? null);
  }
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (!text.trimStart().startsWith('<')) throw new Error('neither a binary nor an XML property list');
  return normalise(plist.parse(text) as unknown as PlistValue);
}

/** XML `<data>` arrives as Uint8Array: make every data value a Buffer. */
function normalise(v: unknown): PlistValue {
  if (v === undefined || v === null) return null;
  if (Buffer.isBuffer(v) || v instanceof UID || v instanceof Date) return v;
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  if (Array.isArray(v)) return v.map(normalise);
  if (typeof v === 'object') {
    const out: PlistDict = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = normalise(x);
    return out;
  }
  return v as PlistValue;
}

export function isDict(v: PlistValue | undefined): v is PlistDict {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v) && !(v instanceof Date) && !(v instanceof UID);
}

export function str(d: PlistDict, key: string): string | undefined {
  const v = d[key];
  return typeof v === 'string' ? v : undefined;
}

export function num(d: PlistDict, key: string): number | undefined {
  const v = d[key];
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

export function data(d: PlistDict, key: string): Buffer | undefined {
  const v = d[key];
  return Buffer.isBuffer(v) ? v : undefined;
}

export function bool(d: PlistDict, key: string): boolean | undefined {
  const v = d[key];
  return typeof v === 'boolean' ? v : undefined;
}

/** What a Manifest.db row says about its file (the MBFile object of the archive). */
export interface MBFile {
  size: number;
  protectionClass: number | undefined;
  /** 4-byte little-endian class followed by the wrapped per-file key; absent on unencrypted backups. */
  encryptionKey: Buffer | undefined;
  /** Seconds since 1970 (the archive stores Unix time). */
  lastModified: number | undefined;
}

/**
 * Decodes an NSKeyedArchiver archive holding an MBFile: `$top.root` is a UID into `$objects`,
 * and the MBFile's fields are inline numbers or UIDs of further objects (EncryptionKey is an
 * NSMutableData whose bytes sit in `NS.data`).
 */
export function decodeMBFile(bytes: Buffer): MBFile {
  const archive = parsePlist(bytes);
  if (!isDict(archive)) throw new Error('the file record is not a keyed archive');
  const objects = archive['$objects'];
  const top = archive['$top'];
  if (!Array.isArray(objects) || !isDict(top)) throw new Error('the file record has no $objects/$top');
  const deref = (v: PlistValue | undefined): PlistValue | undefined => (v instanceof UID ? objects[v.UID] : v);
  const root = deref(top['root']);
  if (!isDict(root)) throw new Error('the file record has no MBFile root object');
  const size = deref(root['Size']);
  const cls = deref(root['ProtectionClass']);
  const modified = deref(root['LastModified']);
  let key: Buffer | undefined;
  const keyObj = deref(root['EncryptionKey']);
  if (isDict(keyObj)) key = data(keyObj, 'NS.data');
  else if (Buffer.isBuffer(keyObj)) key = keyObj;
  const asNumber = (v: PlistValue | undefined) => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined);
  return { size: asNumber(size) ?? 0, protectionClass: asNumber(cls), encryptionKey: key, lastModified: asNumber(modified) };
}
