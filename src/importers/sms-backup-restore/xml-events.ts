/**
 * Streams an XML file as open/close tag events with saxes, in the tolerant way SMS Backup & Restore
 * files need, and never expanding anything a DTD declares:
 * - character references the app writes that XML forbids (`&#55357;&#56842;` — an emoji as two
 *   UTF-16 surrogates — `&#0;`, `&#1;`) are rewritten before saxes sees them: a surrogate pair
 *   becomes its real character, anything else U+FFFD;
 * - a DOCTYPE is reported, never processed: saxes has no DTD support, so declared entities are
 *   unknown to it; their references stay literal text (no billion laughs, no external fetch).
 * Structural errors (bad nesting, truncation) are fatal and carry line and column.
 */
import fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { SaxesParser } from 'saxes';
import type { SaxesTagPlain } from 'saxes';
import { HoldfastError } from '../../api/errors.ts';

export type XmlEvent =
  | { type: 'open'; name: string; attributes: Record<string, string>; selfClosing: boolean; line: number }
  | { type: 'close'; name: string; line: number }
  | { type: 'doctype'; line: number }
  | { type: 'tolerated'; message: string; line: number };

const CHAR_REF = /&#(?:x([0-9a-fA-F]+)|([0-9]+));/g;

function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/** Rewrites the character references XML 1.0 forbids; valid ones are left for saxes. */
export function repairCharRefs(text: string): string {
  let pendingHigh = -1;
  let pendingEnd = -1;
  let out = '';
  let last = 0;
  CHAR_REF.lastIndex = 0;
  for (let m = CHAR_REF.exec(text); m; m = CHAR_REF.exec(text)) {
    const cp = m[1] !== undefined ? parseInt(m[1], 16) : Number(m[2]);
    if (isXmlChar(cp)) {
      if (pendingHigh >= 0) out += '&#xfffd;';
      pendingHigh = -1;
      continue;
    }
    if (cp >= 0xdc00 && cp <= 0xdfff && pendingHigh >= 0 && pendingEnd === m.index) {
      // High surrogate immediately followed by its low half: one real character.
      out += `&#x${(0x10000 + ((pendingHigh - 0xd800) << 10) + (cp - 0xdc00)).toString(16)};`;
      pendingHigh = -1;
      last = m.index + m[0].length;
      continue;
    }
    if (pendingHigh >= 0) {
      out += '&#xfffd;';
      pendingHigh = -1;
    }
    out += text.slice(last, m.index);
    last = m.index + m[0].length;
    if (cp >= 0xd800 && cp <= 0xdbff) {
      pendingHigh = cp;
      pendingEnd = last;
    } else {
      out += '&#xfffd;';
    }
  }
  if (pendingHigh >= 0) out += '&#xfffd;';
  return out + text.slice(last);
}

/** Where a chunk can safely be cut: before a trailing `&...` that might be half a reference (pair). */
function safeCut(text: string): number {
  const amp = text.lastIndexOf('&', text.length - 1);
  if (amp < 0 || text.length - amp > 32) return text.length;
  // Keep a possible high surrogate reference back too, so a pair is never split.
  const prev = text.lastIndexOf('&', amp - 1);
  return prev >= 0 && amp - prev <= 12 && /^&#\d+;$/.test(text.slice(prev, amp)) ? prev : amp;
}

const TOLERATED = /^(undefined entity|malformed character entity|disallowed character\.)/;

export interface XmlStreamOptions {
  signal?: AbortSignal;
  onBytes?: (total: number) => void;
}

/** Events of `file`, in order; HoldfastError IMPORT_SOURCE_CORRUPT on the first structural error. */
export async function* xmlEvents(file: string, opts: XmlStreamOptions = {}): AsyncGenerator<XmlEvent> {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const queue: XmlEvent[] = [];
  let fatal: HoldfastError | undefined;
  parser.on('opentag', (tag) => {
    const t = tag as SaxesTagPlain;
    queue.push({ type: 'open', name: t.name, attributes: t.attributes, selfClosing: t.isSelfClosing, line: parser.line });
  });
  parser.on('closetag', (tag) => queue.push({ type: 'close', name: tag.name, line: parser.line }));
  parser.on('doctype', () => queue.push({ type: 'doctype', line: parser.line }));
  parser.on('error', (err) => {
    const message = err.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '');
    if (TOLERATED.test(message)) {
      queue.push({ type: 'tolerated', message, line: parser.line });
      return;
    }
    fatal ??= new HoldfastError('IMPORT_SOURCE_CORRUPT', `${file} is not well-formed XML at line ${parser.line}, column ${parser.column}: ${message}`, {
      file, position: `line ${parser.line}, column ${parser.column}`,
    });
  });

  const decoder = new StringDecoder('utf8');
  const stream = fs.createReadStream(file, { highWaterMark: 1 << 20, ...(opts.signal ? { signal: opts.signal } : {}) });
  let carry = '';
  let bytes = 0;
  let first = true;
  for await (const chunk of stream) {
    bytes += (chunk as Buffer).length;
    let text = carry + decoder.write(chunk as Buffer);
    if (first) {
      text = text.replace(/^\uFEFF/, '');
      first = false;
    }
    const cut = safeCut(text);
    carry = text.slice(cut);
    parser.write(repairCharRefs(text.slice(0, cut)));
    if (fatal) throw fatal;
    yield* queue.splice(0);
    opts.onBytes?.(bytes);
  }
  parser.write(repairCharRefs(carry + decoder.end()));
  if (!fatal) parser.close();
  if (fatal) throw fatal;
  yield* queue.splice(0);
}
