import { test } from 'node:test';
import assert from 'node:assert/strict';
import { face } from '../../src/production/pdf/fonts.ts';
import type { FaceKey } from '../../src/production/pdf/fonts.ts';
import { flattenCharString } from '../../src/production/pdf/cff-subset.ts';

/** The bundled CJK faces are CFF (CID-keyed) with heavily subroutinised charstrings. */
const SAMPLES: [FaceKey, string][] = [
  ['cjk-sc', '中国市场价格会议合同'],
  ['cjk-jp', '価格を確認してください契約書'],
  ['cjk-kr', '거래를회의합니다'],
];

interface CffInternals {
  globalSubrIndex: { offset: number; length: number }[];
  topDict: { CharStrings: { offset: number; length: number }[] };
  stream: { pos: number; readBuffer(n: number): Uint8Array };
}

/** Operators of a Type 2 charstring (12 x as 1200 + x), skipping operands and hint mask bytes. */
function operators(code: Uint8Array): number[] {
  const ops: number[] = [];
  let stems = 0;
  let operands = 0;
  for (let i = 0; i < code.length; ) {
    const b = code[i]!;
    if (b === 28) (i += 3), operands++;
    else if (b === 255) (i += 5), operands++;
    else if (b >= 247) (i += 2), operands++;
    else if (b >= 32) (i += 1), operands++;
    else if (b === 12) ops.push(1200 + code[i + 1]!), (i += 2), (operands = 0);
    else {
      ops.push(b);
      if (b === 1 || b === 3 || b === 18 || b === 23 || b === 19 || b === 20) stems += operands >> 1;
      i += b === 19 || b === 20 ? 1 + ((stems + 7) >> 3) : 1;
      operands = 0;
    }
  }
  return ops;
}

/** INDEX count at `pos` and the position after the INDEX (CFF spec, 5). */
function skipIndex(buf: Uint8Array, pos: number): { count: number; end: number } {
  const count = (buf[pos]! << 8) | buf[pos + 1]!;
  if (count === 0) return { count, end: pos + 2 };
  const offSize = buf[pos + 2]!;
  const offsets = pos + 3;
  let last = 0;
  for (let k = 0; k < offSize; k++) last = (last << 8) | buf[offsets + count * offSize + k]!;
  return { count, end: offsets + (count + 1) * offSize + last - 1 };
}

test('CJK charstrings are flattened: no subroutine calls left, and each one ends the glyph', () => {
  for (const [key, text] of SAMPLES) {
    const font = face(key);
    const cff = (font as unknown as Record<string, CffInternals>)['CFF ']!;
    assert.ok(cff.globalSubrIndex.length > 100, `${key} has global subroutines to inline`);
    let called = 0;
    for (const ch of text) {
      const gid = font.glyphForCodePoint(ch.codePointAt(0)!).id;
      const entry = cff.topDict.CharStrings[gid]!;
      cff.stream.pos = entry.offset;
      const original = operators(cff.stream.readBuffer(entry.length));
      if (original.includes(10) || original.includes(29)) called++;
      const flat = operators(flattenCharString(cff, gid));
      assert.ok(!flat.includes(10) && !flat.includes(29) && !flat.includes(11), `${key} ${ch}: no callsubr, callgsubr or return`);
      assert.equal(flat.at(-1), 14, `${key} ${ch}: ends with endchar`);
      // The drawing operators are the original's with the subroutines' spliced in: never fewer.
      assert.ok(flat.length >= original.filter((op) => op !== 10 && op !== 29).length);
    }
    assert.ok(called > 0, `${key}: some sample glyphs do call subroutines`);
  }
});

test('flattened charstrings draw the same outlines as the originals (fontkit\'s own interpreter on both)', () => {
  for (const [key, text] of SAMPLES) {
    const font = face(key);
    const cff = (font as unknown as Record<string, CffInternals>)['CFF ']!;
    for (const ch of text) {
      const glyph = font.glyphForCodePoint(ch.codePointAt(0)!);
      const flat = flattenCharString(cff, glyph.id);
      // The same font, whose CFF table holds only the flattened charstring for this glyph.
      const Stream = cff.stream.constructor as new (b: Uint8Array) => CffInternals['stream'];
      const flatCff = Object.assign(Object.create(cff) as CffInternals, {
        stream: new Stream(flat),
        topDict: { ...cff.topDict, CharStrings: { [glyph.id]: { offset: 0, length: flat.length } } },
      });
      const flatFont = Object.create(font, { 'CFF ': { value: flatCff } }) as typeof font;
      const Glyph = glyph.constructor as new (id: number, codePoints: number[], font: typeof flatFont) => typeof glyph;
      const redrawn = new Glyph(glyph.id, [], flatFont);
      assert.deepEqual(redrawn.path.commands, glyph.path.commands, `${key} ${ch}`);
      assert.ok(glyph.path.commands.length > 4, `${key} ${ch} has an outline`);
    }
  }
});

test('a CJK subset carries no subroutines and stays small', () => {
  for (const [key, text] of SAMPLES) {
    const font = face(key);
    const subset = font.createSubset();
    const glyphs = [...text].map((ch) => font.glyphForCodePoint(ch.codePointAt(0)!));
    for (const g of glyphs) subset.includeGlyph(g);
    const bytes = subset.encode();
    // Header, Name INDEX, Top DICT INDEX, String INDEX, then the Global Subr INDEX.
    let pos = bytes[2]!;
    for (let k = 0; k < 3; k++) pos = skipIndex(bytes, pos).end;
    assert.equal(skipIndex(bytes, pos).count, 0, `${key}: no global subroutines`);
    assert.ok(bytes.length < 20_000, `${key}: ${glyphs.length} glyphs in ${bytes.length} bytes`);
  }
});
