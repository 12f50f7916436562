/**
 * `message.attributedBody`: an NSAttributedString (or NSMutableAttributedString) archived as a
 * typedstream. The archive holds the string (an NSString, UTF-8 bytes) and then its attribute runs:
 * a group (run id, length in UTF-16 code units) per run, followed by the run's attribute dictionary
 * the first time that run id appears (later runs with the same id reuse it). Attribute keys that
 * matter here: `__kIMFileTransferGUIDAttributeName` (an attachment at a U+FFFC), `__kIMMessagePartAttributeName`
 * (which message part, for edits/unsends/replies), `__kIMLinkAttributeName` (an NSURL).
 */
import { classNames, decodeTypedStream, isA, TypedStreamError } from './typedstream.ts';
import type { TsObject, TsValue } from './typedstream.ts';

export type AttrValue = string | number | boolean | null | Date | Uint8Array | AttrValue[] | { [key: string]: AttrValue };

export interface AttributeRun {
  /** UTF-16 offset of the run in `text` (JavaScript string index). */
  start: number;
  /** Length in UTF-16 code units. */
  length: number;
  attributes: Record<string, AttrValue>;
}

export interface AttributedBody {
  text: string;
  runs: AttributeRun[];
  /** Set when the blob was damaged and only the text up to the damage could be recovered. */
  damaged?: { offset: number; message: string };
}

export const FILE_TRANSFER_KEY = '__kIMFileTransferGUIDAttributeName';
export const MESSAGE_PART_KEY = '__kIMMessagePartAttributeName';
export const LINK_KEY = '__kIMLinkAttributeName';

const utf8 = new TextDecoder('utf-8');
/** Seconds between the Unix epoch and Apple's 2001-01-01T00:00:00Z. */
const APPLE_EPOCH_S = 978_307_200;

/** Decodes an attributed body. Throws TypedStreamError: a damaged blob, or ('empty') one with no text. */
export function decodeAttributedBody(bytes: Uint8Array): AttributedBody {
  const stream = decodeTypedStream(bytes);
  const root = stream.groups[0]?.[0];
  if (isA(root, 'NSString')) return nonEmpty({ text: stringOf(root, bytes.length), runs: [] }, bytes.length);
  if (!isA(root, 'NSAttributedString')) {
    throw new TypedStreamError('invalid', 'the root object is not an NSAttributedString', bytes.length);
  }
  const stringObj = root.groups[0]?.[0];
  if (!isA(stringObj, 'NSString')) throw new TypedStreamError('invalid', 'the attributed string holds no NSString', bytes.length);
  const text = stringOf(stringObj, bytes.length);
  return nonEmpty({ text, runs: readRuns(root, text, bytes.length) }, bytes.length);
}

function nonEmpty(body: AttributedBody, end: number): AttributedBody {
  if (body.text === '') throw new TypedStreamError('empty', 'the attributed string has no text', end);
  return body;
}

/**
 * Like decodeAttributedBody, but a blob whose string runs past the end of the data (cut short or
 * overwritten) still yields the text up to the damage, with `damaged` saying where. Throws as
 * decodeAttributedBody does when nothing can be recovered.
 */
export function salvageAttributedBody(bytes: Uint8Array): AttributedBody {
  try {
    return decodeAttributedBody(bytes);
  } catch (err) {
    if (!(err instanceof TypedStreamError) || err.reason !== 'truncated') throw err;
    const partial = decodeTypedStream(bytes, { salvage: true });
    const root = partial.groups[0]?.[0];
    const stringObj = isA(root, 'NSAttributedString') ? root.groups[0]?.[0] : root;
    const raw = isA(stringObj, 'NSString') ? stringObj.groups[0]?.[0] : undefined;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw) || raw.kind !== 'bytes' || !raw.truncated) throw err;
    const text = utf8.decode(raw.bytes.subarray(0, validUtf8Prefix(raw.bytes)));
    if (!text) throw err;
    return { text, runs: [], damaged: { offset: err.offset, message: err.message } };
  }
}

/** Length of the longest prefix of `bytes` that is whole, valid UTF-8 characters. */
function validUtf8Prefix(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const n = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (n === 0 || i + n > bytes.length) break;
    let ok = true;
    for (let k = 1; k < n; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) ok = false;
    if (!ok) break;
    i += n;
  }
  return i;
}

function stringOf(obj: TsObject, end: number): string {
  const raw = obj.groups[0]?.[0];
  if (raw === null || raw === undefined) return '';
  if (typeof raw === 'object' && !Array.isArray(raw) && raw.kind === 'bytes') return utf8.decode(raw.bytes);
  throw new TypedStreamError('invalid', 'an NSString without string bytes', end);
}

function readRuns(root: TsObject, text: string, end: number): AttributeRun[] {
  const runs: AttributeRun[] = [];
  const known = new Map<number, Record<string, AttrValue>>();
  let start = 0;
  const groups = root.groups;
  for (let g = 1; g < groups.length; g++) {
    const group = groups[g]!;
    const [id, length] = group;
    if (group.length !== 2 || typeof id !== 'number' || typeof length !== 'number' || length < 0) {
      throw new TypedStreamError('invalid', `attribute run ${runs.length + 1} is not a (run id, length) pair`, end);
    }
    let attributes = known.get(id);
    const next = groups[g + 1];
    if (next?.length === 1 && isA(next[0], 'NSDictionary')) {
      attributes = dictionaryOf(next[0], 0);
      known.set(id, attributes);
      g++;
    }
    runs.push({ start, length, attributes: attributes ?? {} });
    start += length;
  }
  if (start > text.length) throw new TypedStreamError('invalid', `attribute runs cover ${start} characters of a ${text.length}-character text`, end);
  return runs;
}

const MAX_PLAIN_DEPTH = 32;

function dictionaryOf(obj: TsObject, depth: number): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {};
  const count = obj.groups[0]?.[0];
  if (typeof count !== 'number') return out;
  for (let i = 0; i < count; i++) {
    const key = plain(obj.groups[1 + 2 * i]?.[0] ?? null, depth + 1);
    if (typeof key === 'string') out[key] = plain(obj.groups[2 + 2 * i]?.[0] ?? null, depth + 1);
  }
  return out;
}

/** An archived Foundation value as a plain JavaScript value; unknown classes become `{ $class }`. */
export function plain(value: TsValue, depth = 0): AttrValue {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return depth > MAX_PLAIN_DEPTH ? null : value.map((v) => plain(v, depth + 1));
  if (value.kind === 'bytes') return value.bytes;
  if (value.kind === 'class') return { $class: value.name };
  if (depth > MAX_PLAIN_DEPTH) return null;
  const names = classNames(value);
  const is = (name: string) => names.includes(name);
  const first = (g: number): TsValue => value.groups[g]?.[0] ?? null;
  if (is('NSString')) return stringOf(value, 0);
  if (is('NSValue')) return plain(first(1), depth + 1);
  if (is('NSURL')) {
    const relative = first(0) === 1;
    const own = plain(first(relative ? 2 : 1), depth + 1);
    const base = relative ? plain(first(1), depth + 1) : null;
    if (typeof own !== 'string') return null;
    if (typeof base !== 'string') return own;
    try {
      return new URL(own, base).href;
    } catch {
      return own;
    }
  }
  if (is('NSData')) {
    const bytes = first(1);
    return bytes && typeof bytes === 'object' && !Array.isArray(bytes) && bytes.kind === 'bytes' ? bytes.bytes : null;
  }
  if (is('NSDictionary')) return dictionaryOf(value, depth);
  if (is('NSArray') || is('NSSet')) return value.groups.slice(1).map((g) => plain(g[0] ?? null, depth + 1));
  if (is('NSDate')) {
    const s = first(0);
    return typeof s === 'number' ? new Date((s + APPLE_EPOCH_S) * 1000) : null;
  }
  return { $class: names[0] ?? '' };
}

/** File-transfer GUIDs in text order: one per attachment placeholder that names its file. */
export function attachmentGuids(body: AttributedBody): string[] {
  return body.runs.map((r) => r.attributes[FILE_TRANSFER_KEY]).filter((v): v is string => typeof v === 'string');
}

/** The UTF-16 range each message part covers in the current text. */
export function partRanges(body: AttributedBody): Map<number, { start: number; end: number }> {
  const out = new Map<number, { start: number; end: number }>();
  for (const r of body.runs) {
    const part = r.attributes[MESSAGE_PART_KEY];
    if (typeof part !== 'number') continue;
    const seen = out.get(part);
    if (seen) seen.end = Math.max(seen.end, r.start + r.length);
    else out.set(part, { start: r.start, end: r.start + r.length });
  }
  return out;
}

/** Links the sender's device detected or attached, with the text they cover. */
export function links(body: AttributedBody): { text: string; url: string }[] {
  const out: { text: string; url: string }[] = [];
  for (const r of body.runs) {
    const url = r.attributes[LINK_KEY];
    if (typeof url === 'string') out.push({ text: body.text.slice(r.start, r.start + r.length), url });
  }
  return out;
}
