/**
 * Binary property lists in chat.db columns (`message_summary_info`, `payload_data`, `chat.properties`)
 * and the NSKeyedArchiver object graphs some of them carry. Parsing is bplist-parser's; resolving a
 * keyed archive ($objects, $top, UID references, $class) into plain values is here.
 */
import { parseBuffer, UID } from 'bplist-parser';

export class PlistError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PlistError';
  }
}

/** A value from a property list or a resolved keyed archive. */
export type PlistValue = string | number | boolean | bigint | Date | Buffer | null | PlistValue[] | { [key: string]: PlistValue };

const BPLIST_MAGIC = Buffer.from('bplist00', 'latin1');

export function isBinaryPlist(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && Buffer.from(bytes.buffer, bytes.byteOffset, 8).equals(BPLIST_MAGIC);
}

/** The root object of a binary plist. PlistError on anything that is not one. */
export function parseBinaryPlist(bytes: Uint8Array): unknown {
  if (!isBinaryPlist(bytes)) throw new PlistError('not a binary property list (no "bplist00" header)');
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    const parsed = parseBuffer(buf);
    return parsed[0];
  } catch (err) {
    throw new PlistError(`damaged binary property list: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !Buffer.isBuffer(v) && !(v instanceof UID);
}

export function isKeyedArchive(root: unknown): root is { $objects: unknown[]; $top: Record<string, unknown> } {
  return isRecord(root) && root.$archiver === 'NSKeyedArchiver' && Array.isArray(root.$objects) && isRecord(root.$top);
}

const APPLE_EPOCH_MS = 978_307_200_000;
const MAX_DEPTH = 64;

/**
 * Resolves an NSKeyedArchiver archive from its `$top` key (default "root") into plain values:
 * NSDictionary → object, NSArray/NSSet → array, NSString → string, NSData → Buffer, NSURL → string,
 * NSDate → Date, NSUUID → string; other classes → their fields resolved, plus `$class` (class name).
 */
export function unarchiveKeyed(root: unknown, topKey = 'root'): PlistValue {
  if (!isKeyedArchive(root)) throw new PlistError('not an NSKeyedArchiver archive');
  const objects = root.$objects;
  const cache = new Map<number, PlistValue>();
  const resolving = new Set<number>();

  const resolve = (v: unknown, depth: number): PlistValue => {
    if (depth > MAX_DEPTH) throw new PlistError(`keyed archive nested deeper than ${MAX_DEPTH}`);
    if (v instanceof UID) return resolveUid(v.UID, depth + 1);
    if (Array.isArray(v)) return v.map((x) => resolve(x, depth + 1));
    if (isRecord(v)) return resolveObject(v, depth + 1);
    return v as PlistValue;
  };

  const resolveUid = (index: number, depth: number): PlistValue => {
    if (index < 0 || index >= objects.length) throw new PlistError(`keyed archive reference ${index} is outside $objects`);
    const cached = cache.get(index);
    if (cached !== undefined) return cached;
    if (resolving.has(index)) return null; // a cycle: the inner occurrence is left empty
    resolving.add(index);
    const raw = objects[index];
    const out = raw === '$null' ? null : resolve(raw, depth);
    resolving.delete(index);
    cache.set(index, out);
    return out;
  };

  const className = (obj: Record<string, unknown>): string | undefined => {
    const cls = obj.$class instanceof UID ? objects[obj.$class.UID] : undefined;
    return isRecord(cls) && typeof cls.$classname === 'string' ? cls.$classname : undefined;
  };

  const resolveObject = (obj: Record<string, unknown>, depth: number): PlistValue => {
    const cls = className(obj);
    if ('NS.keys' in obj && 'NS.objects' in obj && Array.isArray(obj['NS.keys']) && Array.isArray(obj['NS.objects'])) {
      const out: Record<string, PlistValue> = {};
      const keys = obj['NS.keys'];
      const values = obj['NS.objects'];
      keys.forEach((k, i) => {
        const key = resolve(k, depth);
        if (typeof key === 'string' || typeof key === 'number') out[String(key)] = resolve(values[i], depth);
      });
      return out;
    }
    if ('NS.objects' in obj && Array.isArray(obj['NS.objects'])) return obj['NS.objects'].map((x) => resolve(x, depth));
    if ('NS.string' in obj) return resolve(obj['NS.string'], depth);
    if ('NS.bytes' in obj && cls?.includes('String')) {
      const b = obj['NS.bytes'];
      return Buffer.isBuffer(b) ? b.toString('utf8') : null;
    }
    if ('NS.data' in obj) return resolve(obj['NS.data'], depth);
    if ('NS.relative' in obj) {
      const rel = resolve(obj['NS.relative'], depth);
      const base = resolve(obj['NS.base'], depth);
      if (typeof rel !== 'string') return null;
      if (typeof base !== 'string') return rel;
      try {
        return new URL(rel, base).href;
      } catch {
        return rel;
      }
    }
    if ('NS.time' in obj && typeof obj['NS.time'] === 'number') return new Date(APPLE_EPOCH_MS + obj['NS.time'] * 1000);
    if ('NS.uuidbytes' in obj && Buffer.isBuffer(obj['NS.uuidbytes']) && obj['NS.uuidbytes'].length === 16) {
      const h = obj['NS.uuidbytes'].toString('hex').toUpperCase();
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    }
    const out: Record<string, PlistValue> = {};
    for (const [k, v] of Object.entries(obj)) if (k !== '$class') out[k] = resolve(v, depth);
    if (cls) out.$class = cls;
    return out;
  };

  const top = root.$top[topKey];
  if (top === undefined) throw new PlistError(`keyed archive has no $top "${topKey}"`);
  return resolve(top, 0);
}

/** Text of an archived NSAttributedString / NSString resolved by unarchiveKeyed. */
export function keyedText(value: PlistValue): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) && !Buffer.isBuffer(value)) {
    const s = (value as Record<string, PlistValue>).NSString;
    if (typeof s === 'string') return s;
  }
  return undefined;
}
