/**
 * A decoder for Apple's typedstream format (NeXTSTEP `NXTypedStream`, Foundation `NSArchiver`), the
 * encoding of `message.attributedBody` in chat.db / sms.db. It reads the format generically — header,
 * type-encoding strings, values, the shared-string table and the object table (C strings, classes and
 * objects numbered in order of first appearance) — into a small object graph. What the objects mean
 * (NSAttributedString and friends) is attributed-body.ts's business. Format notes: README.md.
 *
 * Every failure is a TypedStreamError with the byte offset; nothing else escapes on any input.
 */

export type TypedStreamErrorReason =
  /** Not a typedstream, or a streamer version this decoder does not read. */
  | 'header'
  /** The data ends inside a value. */
  | 'truncated'
  /** A byte that cannot stand where it stands (bad tag, bad reference, bad type encoding). */
  | 'invalid'
  /** Nesting or work beyond the decoder's limits (hostile input). */
  | 'limit'
  /** Well-formed, but holds nothing the caller can use (an attributed string without text). */
  | 'empty';

export class TypedStreamError extends Error {
  readonly reason: TypedStreamErrorReason;
  /** Byte offset in the stream where decoding stopped. */
  readonly offset: number;

  constructor(reason: TypedStreamErrorReason, message: string, offset: number) {
    super(`${message} (byte ${offset})`);
    this.name = 'TypedStreamError';
    this.reason = reason;
    this.offset = offset;
  }
}

export interface TsClass {
  kind: 'class';
  name: string;
  version: number;
  superclass: TsClass | null;
}

/** An archived object: its class chain and the groups of values it wrote, in order. */
export interface TsObject {
  kind: 'object';
  /** Null only while the object is being read (a reference to it from inside itself sees it so). */
  class: TsClass | null;
  groups: TsValue[][];
}

/** Unshared string bytes (`+`): raw, because their encoding depends on the class that wrote them. */
export interface TsBytes {
  kind: 'bytes';
  bytes: Uint8Array;
  /** True when the data ended before the declared length (only in salvage mode). */
  truncated?: boolean;
}

export type TsValue = null | number | string | boolean | TsBytes | TsClass | TsObject | TsValue[];

export interface TypedStreamHeader {
  streamerVersion: number;
  byteOrder: 'little' | 'big';
  systemVersion: number;
}

export interface TypedStream {
  header: TypedStreamHeader;
  /** Top-level groups of values; an archived root object is the single value of the first group. */
  groups: TsValue[][];
}

export interface DecodeOptions {
  /**
   * Salvage mode: an unshared string whose declared length runs past the end of the data yields the
   * bytes that are there (marked `truncated`) and decoding stops there, keeping what was read so far,
   * instead of failing. For damaged blobs whose text is still worth showing.
   */
  salvage?: boolean;
}

const TAG_INTEGER_2 = -127; // 0x81
const TAG_INTEGER_4 = -126; // 0x82
const TAG_FLOATING_POINT = -125; // 0x83
const TAG_NEW = -124; // 0x84
const TAG_NIL = -123; // 0x85
const TAG_END_OF_OBJECT = -122; // 0x86
/** 0x87: an 8-byte integer, written by 64-bit Foundation for `q`/`Q` values that do not fit 32 bits. */
const TAG_INTEGER_8 = -121;
const FIRST_TAG = -128;
const LAST_TAG = -111;
/** Reference numbers start one above the last tag, so small ones fit in the head byte. */
const FIRST_REFERENCE = LAST_TAG + 1;

const SIGNATURES: Record<string, 'little' | 'big'> = { streamtyped: 'little', typedstream: 'big' };
const MAX_DEPTH = 200;

/** Thrown inside the reader to stop at a salvaged truncation; never escapes `decodeTypedStream`. */
class SalvageStop {}

type TableEntry = { type: 'cstring'; value: string } | { type: 'class'; value: TsClass } | { type: 'object'; value: TsObject };

class Reader {
  private readonly data: Uint8Array;
  private readonly view: DataView;
  private readonly salvage: boolean;
  pos = 0;
  little = true;
  private readonly sharedStrings: Uint8Array[] = [];
  private readonly objects: TableEntry[] = [];
  private depth = 0;
  private budget: number;

  constructor(data: Uint8Array, salvage: boolean) {
    this.data = data;
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    this.salvage = salvage;
    // Every value normally consumes a byte; `!` and empty arrays do not, so bound the work outright.
    this.budget = 64 * data.length + 4096;
  }

  fail(reason: TypedStreamErrorReason, message: string, at = this.pos): never {
    throw new TypedStreamError(reason, message, at);
  }

  private need(n: number): void {
    if (n < 0 || this.pos + n > this.data.length) this.fail('truncated', `data ends ${n} byte(s) into a value that needs them`);
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail('limit', `values nested deeper than ${MAX_DEPTH}`);
  }

  private step(): void {
    if (--this.budget < 0) this.fail('limit', 'too much work for the size of the data');
  }

  readBytes(n: number): Uint8Array {
    this.need(n);
    const out = this.data.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  private u8(): number {
    this.need(1);
    return this.data[this.pos++]!;
  }

  /** A head byte as a signed value (tags are negative). */
  head(): number {
    this.need(1);
    return this.view.getInt8(this.pos++);
  }

  atEnd(): boolean {
    return this.pos >= this.data.length;
  }

  private isTag(head: number): boolean {
    return head >= FIRST_TAG && head <= LAST_TAG;
  }

  integer(head: number, signed: boolean): number {
    if (!this.isTag(head)) return signed ? head : head & 0xff;
    const at = this.pos - 1;
    switch (head) {
      case TAG_INTEGER_2: {
        this.need(2);
        const v = signed ? this.view.getInt16(this.pos, this.little) : this.view.getUint16(this.pos, this.little);
        this.pos += 2;
        return v;
      }
      case TAG_INTEGER_4: {
        this.need(4);
        const v = signed ? this.view.getInt32(this.pos, this.little) : this.view.getUint32(this.pos, this.little);
        this.pos += 4;
        return v;
      }
      case TAG_INTEGER_8: {
        this.need(8);
        const v = signed ? this.view.getBigInt64(this.pos, this.little) : this.view.getBigUint64(this.pos, this.little);
        this.pos += 8;
        return Number(v);
      }
      default:
        return this.fail('invalid', `tag 0x${(head & 0xff).toString(16)} where an integer belongs`, at);
    }
  }

  private float(head: number, size: 4 | 8): number {
    if (head !== TAG_FLOATING_POINT) return this.integer(head, true);
    this.need(size);
    const v = size === 4 ? this.view.getFloat32(this.pos, this.little) : this.view.getFloat64(this.pos, this.little);
    this.pos += size;
    return v;
  }

  private unsharedString(head: number): TsBytes | null {
    if (head === TAG_NIL) return null;
    const length = this.integer(head, false);
    if (this.salvage && this.pos + length > this.data.length) {
      // Keep what is there; the caller stops, as everything after a short string is misaligned.
      const rest = this.data.subarray(this.pos);
      this.pos = this.data.length;
      return { kind: 'bytes', bytes: rest, truncated: true };
    }
    return { kind: 'bytes', bytes: this.readBytes(length) };
  }

  sharedString(head: number): Uint8Array | null {
    if (head === TAG_NIL) return null;
    if (head === TAG_NEW) {
      const at = this.pos;
      const s = this.unsharedString(this.head());
      if (!s) this.fail('invalid', 'a new shared string cannot be nil', at);
      if (s.truncated) throw new SalvageStop();
      this.sharedStrings.push(s.bytes);
      return s.bytes;
    }
    const at = this.pos - 1;
    const index = this.integer(head, true) - FIRST_REFERENCE;
    const found = this.sharedStrings[index];
    if (!found) this.fail('invalid', `shared string reference ${index} points at nothing (${this.sharedStrings.length} known)`, at);
    return found;
  }

  private reference(head: number, type: TableEntry['type']): TableEntry['value'] {
    const at = this.pos - 1;
    const index = this.integer(head, true) - FIRST_REFERENCE;
    const entry = this.objects[index];
    if (!entry) this.fail('invalid', `reference ${index} points at nothing (${this.objects.length} known)`, at);
    if (entry.type !== type) this.fail('invalid', `reference ${index} is a ${entry.type}, not a ${type}`, at);
    return entry.value;
  }

  private cString(head: number): string | null {
    if (head === TAG_NIL) return null;
    if (head === TAG_NEW) {
      const bytes = this.sharedString(this.head());
      if (!bytes) this.fail('invalid', 'a new C string cannot be nil');
      const value = latin1(bytes);
      this.objects.push({ type: 'cstring', value });
      return value;
    }
    return this.reference(head, 'cstring') as string;
  }

  private classChain(head: number): TsClass | null {
    const fresh: TsClass[] = [];
    while (head === TAG_NEW) {
      this.step();
      const name = this.sharedString(this.head());
      if (!name) this.fail('invalid', 'a class name cannot be nil');
      const cls: TsClass = { kind: 'class', name: latin1(name), version: this.integer(this.head(), true), superclass: null };
      if (fresh.length) fresh[fresh.length - 1]!.superclass = cls;
      fresh.push(cls);
      this.objects.push({ type: 'class', value: cls });
      head = this.head();
    }
    const end = head === TAG_NIL ? null : (this.reference(head, 'class') as TsClass);
    if (!fresh.length) return end;
    fresh[fresh.length - 1]!.superclass = end;
    return fresh[0]!;
  }

  private object(head: number, sink: TsValue[]): void {
    if (head === TAG_NIL) {
      sink.push(null);
      return;
    }
    if (head !== TAG_NEW) {
      sink.push(this.reference(head, 'object') as TsObject);
      return;
    }
    this.enter();
    const obj: TsObject = { kind: 'object', class: null, groups: [] };
    this.objects.push({ type: 'object', value: obj });
    sink.push(obj);
    obj.class = this.classChain(this.head());
    if (!obj.class) this.fail('invalid', 'an object must have a class');
    for (;;) {
      const next = this.head();
      if (next === TAG_END_OF_OBJECT) break;
      this.group(next, obj.groups);
    }
    this.depth--;
  }

  /** One group: a type-encoding string, then one value per encoding in it. */
  group(head: number, sink: TsValue[][]): void {
    const at = this.pos - 1;
    const encoding = this.sharedString(head);
    if (!encoding || encoding.length === 0) this.fail('invalid', 'a group of values needs a type encoding', at);
    const types = splitEncodings(encoding, this);
    const values: TsValue[] = [];
    sink.push(values);
    for (const t of types) this.value(t, values);
  }

  private value(type: Uint8Array, sink: TsValue[]): void {
    this.step();
    const c = String.fromCharCode(type[0]!);
    if (type.length === 1) {
      switch (c) {
        case 'B': {
          const v = this.u8();
          if (v > 1) this.fail('invalid', `a boolean is 0 or 1, not ${v}`, this.pos - 1);
          sink.push(v === 1);
          return;
        }
        case 'C':
          sink.push(this.u8());
          return;
        case 'c':
          sink.push((this.u8() << 24) >> 24);
          return;
        case 's': case 'i': case 'l': case 'q':
          sink.push(this.integer(this.head(), true));
          return;
        case 'S': case 'I': case 'L': case 'Q':
          sink.push(this.integer(this.head(), false));
          return;
        case 'f':
          sink.push(this.float(this.head(), 4));
          return;
        case 'd':
          sink.push(this.float(this.head(), 8));
          return;
        case '*':
          sink.push(this.cString(this.head()));
          return;
        case '%': case ':': {
          const s = this.sharedString(this.head());
          sink.push(s ? latin1(s) : null);
          return;
        }
        case '+': {
          const s = this.unsharedString(this.head());
          sink.push(s);
          if (s?.truncated) throw new SalvageStop();
          return;
        }
        case '#':
          sink.push(this.classChain(this.head()));
          return;
        case '@':
          this.object(this.head(), sink);
          return;
        case '!':
          // An int-sized field that is deliberately not archived: the type is there, no data.
          sink.push(null);
          return;
      }
    }
    if (c === '[') {
      const { length, element } = parseArrayEncoding(type, this);
      if (element.length === 1 && (element[0] === 0x63 || element[0] === 0x43)) {
        sink.push({ kind: 'bytes', bytes: this.readBytes(length) });
        return;
      }
      const items: TsValue[] = [];
      sink.push(items);
      this.enter();
      for (let i = 0; i < length; i++) this.value(element, items);
      this.depth--;
      return;
    }
    if (c === '{') {
      const fields: TsValue[] = [];
      sink.push(fields);
      this.enter();
      for (const f of parseStructEncoding(type, this)) this.value(f, fields);
      this.depth--;
      return;
    }
    this.fail('invalid', `unknown type encoding "${latin1(type)}"`);
  }
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 4096) s += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return s;
}

/** End (exclusive) of the single encoding starting at `start`; brackets nest. */
function endOfEncoding(enc: Uint8Array, start: number, r: Reader): number {
  let depth = 0;
  for (let i = start; i < enc.length; i++) {
    const ch = enc[i]!;
    if (ch === 0x28 || ch === 0x5b || ch === 0x7b) depth++;
    else if (ch === 0x29 || ch === 0x5d || ch === 0x7d) {
      depth--;
      if (depth < 0) break;
    }
    if (depth === 0) return i + 1;
  }
  return r.fail('invalid', `unbalanced type encoding "${latin1(enc)}"`);
}

function splitEncodings(enc: Uint8Array, r: Reader): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let start = 0; start < enc.length;) {
    const end = endOfEncoding(enc, start, r);
    out.push(enc.subarray(start, end));
    start = end;
  }
  return out;
}

function parseArrayEncoding(enc: Uint8Array, r: Reader): { length: number; element: Uint8Array } {
  let i = 1;
  while (i < enc.length - 1 && enc[i]! >= 0x30 && enc[i]! <= 0x39) i++;
  const digits = latin1(enc.subarray(1, i));
  const element = enc.subarray(i, enc.length - 1);
  if (enc[enc.length - 1] !== 0x5d || !digits || !element.length || digits.length > 9) {
    r.fail('invalid', `bad array type encoding "${latin1(enc)}"`);
  }
  return { length: Number(digits), element };
}

function parseStructEncoding(enc: Uint8Array, r: Reader): Uint8Array[] {
  if (enc[enc.length - 1] !== 0x7d) r.fail('invalid', `bad struct type encoding "${latin1(enc)}"`);
  let body = enc.subarray(1, enc.length - 1);
  const nested = body.indexOf(0x7b);
  const eq = body.indexOf(0x3d);
  if (eq >= 0 && (nested < 0 || eq < nested)) body = body.subarray(eq + 1);
  return splitEncodings(body, r);
}

/** Reads the header and every top-level group. Throws TypedStreamError, and nothing else, on any input. */
export function decodeTypedStream(input: Uint8Array, options: DecodeOptions = {}): TypedStream {
  const r = new Reader(input, options.salvage === true);
  const header = readHeader(r);
  const groups: TsValue[][] = [];
  try {
    while (!r.atEnd()) r.group(r.head(), groups);
  } catch (err) {
    if (err instanceof SalvageStop) return { header, groups };
    if (err instanceof TypedStreamError) throw err;
    // A RangeError from a runaway structure, or anything unforeseen: still the typed error.
    throw new TypedStreamError('limit', `decoder stopped: ${err instanceof Error ? err.message : String(err)}`, r.pos);
  }
  return { header, groups };
}

function readHeader(r: Reader): TypedStreamHeader {
  if (r.atEnd()) r.fail('header', 'empty data is not a typedstream');
  const streamerVersion = r.readBytes(1)[0]!;
  const sigLength = r.readBytes(1)[0]!;
  if (sigLength !== 11) r.fail('header', 'not a typedstream (no "streamtyped" signature)', 1);
  const signature = latin1(r.readBytes(11));
  const byteOrder = SIGNATURES[signature];
  if (!byteOrder) r.fail('header', `not a typedstream (signature "${signature}")`, 2);
  if (streamerVersion !== 4) r.fail('header', `typedstream streamer version ${streamerVersion} is not supported (only 4)`, 0);
  r.little = byteOrder === 'little';
  const systemVersion = r.integer(r.head(), false);
  return { streamerVersion, byteOrder, systemVersion };
}

/** True when `bytes` start like a typedstream (cheap check before decoding). */
export function looksLikeTypedStream(bytes: Uint8Array): boolean {
  if (bytes.length < 13 || bytes[1] !== 11) return false;
  const sig = latin1(bytes.subarray(2, 13));
  return sig === 'streamtyped' || sig === 'typedstream';
}

/** The class names of an object, most derived first. */
export function classNames(obj: TsObject): string[] {
  const out: string[] = [];
  for (let c = obj.class; c && out.length < 64; c = c.superclass) out.push(c.name);
  return out;
}

export function isA(value: TsValue | undefined, className: string): value is TsObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && value.kind === 'object' && classNames(value).includes(className);
}
