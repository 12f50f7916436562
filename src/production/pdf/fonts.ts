/**
 * The bundled faces (resources/fonts) and the choice of a face per character: pdfkit draws one
 * font at a time and has no fallback, so every run of text is given a face that has its glyphs.
 * The choice goes by script first (Arabic text in the Arabic face even where the Latin face has
 * an Arabic comma), then by coverage, and joiners, marks and variation selectors stay with the
 * character they modify. Faces are parsed once per process and shared by every document.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as fontkit from 'fontkit';
import type { Font, Glyph } from 'fontkit';
import { withoutSubroutines } from './cff-subset.ts';

export const FONT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../resources/fonts');

export type FaceKey =
  | 'sans' | 'sans-bold' | 'sans-italic'
  | 'arabic' | 'arabic-bold' | 'hebrew' | 'hebrew-bold'
  | 'devanagari' | 'thai'
  | 'cjk-sc' | 'cjk-jp' | 'cjk-kr'
  | 'symbols' | 'symbols2' | 'emoji';

export type Style = 'regular' | 'bold' | 'italic';

const FILES: Record<FaceKey, { file: string; postscript?: string }> = {
  sans: { file: 'NotoSans-Regular.ttf' },
  'sans-bold': { file: 'NotoSans-Bold.ttf' },
  'sans-italic': { file: 'NotoSans-Italic.ttf' },
  arabic: { file: 'NotoSansArabic-Regular.ttf' },
  'arabic-bold': { file: 'NotoSansArabic-Bold.ttf' },
  hebrew: { file: 'NotoSansHebrew-Regular.ttf' },
  'hebrew-bold': { file: 'NotoSansHebrew-Bold.ttf' },
  devanagari: { file: 'NotoSansDevanagari-Regular.ttf' },
  thai: { file: 'NotoSansThai-Regular.ttf' },
  'cjk-sc': { file: 'NotoSansCJK-Regular.ttc', postscript: 'NotoSansCJKsc-Regular' },
  'cjk-jp': { file: 'NotoSansCJK-Regular.ttc', postscript: 'NotoSansCJKjp-Regular' },
  'cjk-kr': { file: 'NotoSansCJK-Regular.ttc', postscript: 'NotoSansCJKkr-Regular' },
  symbols: { file: 'NotoSansSymbols-Regular.ttf' },
  symbols2: { file: 'NotoSansSymbols2-Regular.ttf' },
  emoji: { file: 'NotoEmoji-Regular.ttf' },
};

export const FACE_KEYS = Object.keys(FILES) as FaceKey[];

const loaded = new Map<FaceKey, Font>();
const buffers = new Map<string, Buffer>();

export function face(key: FaceKey): Font {
  let f = loaded.get(key);
  if (!f) {
    const spec = FILES[key];
    let buf = buffers.get(spec.file);
    if (!buf) {
      buf = fs.readFileSync(path.join(FONT_DIR, spec.file));
      buffers.set(spec.file, buf);
    }
    const opened = fontkit.create(buf, spec.postscript);
    if (!('layout' in opened)) throw new Error(`${spec.file}: ${spec.postscript ?? 'the font'} is not in the collection`);
    f = opened;
    if ((f as unknown as { directory: { tables: Record<string, unknown> } }).directory.tables['CFF ']) {
      const createSubset = f.createSubset.bind(f);
      f.createSubset = () => {
        const subset = createSubset();
        withoutSubroutines(subset);
        return subset;
      };
    }
    loaded.set(key, f);
  }
  return f;
}

/**
 * A shaped run: what fontkit's layout (cmap, GSUB, GPOS) gives for a string, kept in the form the
 * PDF content stream needs. Positions are in 1/1000 em, as PDF text space wants them; `units` is
 * the total advance in font units (measuring works from it).
 */
export interface ShapedRun {
  glyphs: readonly Glyph[];
  xAdvance: readonly number[];
  xOffset: readonly number[];
  yOffset: readonly number[];
  /** Each glyph's own advance width (the PDF /W entry); where it differs from xAdvance, TJ adjusts. */
  glyphWidth: readonly number[];
  units: number;
}

/**
 * Shaping is most of a transcript's cost, and the same words recur across messages and documents;
 * measuring (text.ts) and drawing (content.ts) both use these runs, shaped once per face and string
 * in each thread. Runs are never changed after they are made.
 */
const runCaches = new Map<FaceKey, Map<string, ShapedRun>>();
const MAX_RUNS_PER_FACE = 50_000;

export function shaped(key: FaceKey, text: string): ShapedRun {
  let cache = runCaches.get(key);
  if (!cache) {
    cache = new Map();
    runCaches.set(key, cache);
  }
  let run = cache.get(text);
  if (!run) {
    run = shape(face(key), text);
    if (cache.size >= MAX_RUNS_PER_FACE) cache.clear();
    cache.set(text, run);
  }
  return run;
}

/** Advance width of `text` in font units per em of 1000. */
export function advance(key: FaceKey, text: string): number {
  const f = face(key);
  return (shaped(key, text).units / f.unitsPerEm) * 1000;
}

/**
 * Times, dates, ids and Bates numbers are unique strings, so a cache never hits them. Digits and
 * the separators around them need no shaping (no substitutions, no kerning in these faces): their
 * run is the glyphs' advances, built without fontkit's OpenType machinery.
 */
const DIGITS = /^[0-9:.,+\-/ ]+$/;

function shape(font: Font, text: string): ShapedRun {
  const scale = 1000 / font.unitsPerEm;
  let glyphs: Glyph[];
  let positions: { xAdvance: number; xOffset: number; yOffset: number }[];
  if (DIGITS.test(text)) {
    glyphs = [...text].map((c) => font.glyphForCodePoint(c.codePointAt(0)!));
    positions = glyphs.map((g) => ({ xAdvance: g.advanceWidth, xOffset: 0, yOffset: 0 }));
  } else {
    const run = font.layout(text);
    glyphs = run.glyphs;
    positions = run.positions;
  }
  const n = glyphs.length;
  const out = { glyphs, xAdvance: new Array<number>(n), xOffset: new Array<number>(n), yOffset: new Array<number>(n), glyphWidth: new Array<number>(n), units: 0 };
  for (let i = 0; i < n; i++) {
    const p = positions[i]!;
    out.units += p.xAdvance;
    out.xAdvance[i] = p.xAdvance * scale;
    out.xOffset[i] = p.xOffset * scale;
    out.yOffset[i] = p.yOffset * scale;
    out.glyphWidth[i] = glyphs[i]!.advanceWidth * scale;
  }
  return out;
}

/** Ascender in 1/1000 em: pdfkit places text by its top, so runs in different faces are aligned on this. */
const ascenders = new Map<FaceKey, number>();
export function ascender(key: FaceKey): number {
  let a = ascenders.get(key);
  if (a === undefined) {
    const f = face(key);
    a = (f.ascent / f.unitsPerEm) * 1000;
    ascenders.set(key, a);
  }
  return a;
}

type ScriptClass = 'arabic' | 'hebrew' | 'devanagari' | 'thai' | 'cjk' | 'emoji' | 'joiner' | 'neutral' | 'other';

const scriptCache = new Map<number, ScriptClass>();
const RE = {
  arabic: /\p{Script=Arabic}/u,
  hebrew: /\p{Script=Hebrew}/u,
  devanagari: /\p{Script=Devanagari}/u,
  thai: /\p{Script=Thai}/u,
  cjk: /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Bopomofo}\u3000-\u303f\uff00-\uffef\u30fc]/u,
  emoji: /\p{Emoji_Presentation}/u,
  joiner: /[\p{M}\u200c\u200d\ufe00-\ufe0f\u20e3\u{1f3fb}-\u{1f3ff}\u{e0020}-\u{e007f}]/u,
  neutral: /[\s\p{P}\p{N}\p{Sm}\p{Sc}\p{Sk}]/u,
};

function classify(cp: number): ScriptClass {
  let c = scriptCache.get(cp);
  if (c !== undefined) return c;
  const ch = String.fromCodePoint(cp);
  if (cp < 0x80) c = /[A-Za-z]/.test(ch) ? 'other' : 'neutral';
  else if (RE.joiner.test(ch)) c = 'joiner';
  else if (RE.arabic.test(ch)) c = 'arabic';
  else if (RE.hebrew.test(ch)) c = 'hebrew';
  else if (RE.devanagari.test(ch)) c = 'devanagari';
  else if (RE.thai.test(ch)) c = 'thai';
  else if (RE.cjk.test(ch)) c = 'cjk';
  else if (RE.emoji.test(ch)) c = 'emoji';
  else if (RE.neutral.test(ch)) c = 'neutral';
  else c = 'other';
  scriptCache.set(cp, c);
  return c;
}

function styled(base: 'sans' | 'arabic' | 'hebrew', style: Style): FaceKey {
  if (style === 'bold') return `${base}-bold`;
  if (style === 'italic' && base === 'sans') return 'sans-italic';
  return base;
}

const FALLBACK: FaceKey[] = ['sans', 'symbols', 'symbols2', 'emoji', 'cjk-sc', 'arabic', 'hebrew', 'devanagari', 'thai'];

/** The CJK face for a text: Japanese forms when it has kana, Korean when it has Hangul, else Simplified Chinese. */
export function cjkFaceFor(text: string): FaceKey {
  if (/[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(text)) return 'cjk-jp';
  if (/\p{Script=Hangul}/u.test(text)) return 'cjk-kr';
  return 'cjk-sc';
}

/** Whether face `key` has a glyph for `cp` (asked for nearly every character: the cmap lookups are memoised). */
const coverage = new Map<FaceKey, Map<number, boolean>>();
function covered(key: FaceKey, cp: number): boolean {
  let known = coverage.get(key);
  if (!known) {
    known = new Map();
    coverage.set(key, known);
  }
  let has = known.get(cp);
  if (has === undefined) {
    has = face(key).hasGlyphForCodePoint(cp);
    known.set(cp, has);
  }
  return has;
}

/**
 * The face for code point `cp`, given the face of the character before it (`prev`) and whether
 * the next character is U+FE0F (emoji presentation requested).
 */
export function faceFor(cp: number, prev: FaceKey | null, style: Style, cjk: FaceKey, emojiNext: boolean): FaceKey {
  if (cp < 0x80 && !emojiNext && cp >= 0x20) {
    // Printable ASCII: the Latin face has every one; punctuation stays in the face around it.
    const letter = (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);
    if (letter || prev === null || prev === 'emoji') return styled('sans', style);
    return covered(prev, cp) ? prev : styled('sans', style);
  }
  const cls = classify(cp);
  switch (cls) {
    case 'joiner':
      return prev ?? styled('sans', style);
    case 'arabic':
      return styled('arabic', style);
    case 'hebrew':
      return styled('hebrew', style);
    case 'devanagari':
      return 'devanagari';
    case 'thai':
      return 'thai';
    case 'cjk':
      return covered(cjk, cp) ? cjk : pick(cp, style);
    case 'emoji':
      return covered('emoji', cp) ? 'emoji' : pick(cp, style);
    case 'neutral':
      if (emojiNext && covered('emoji', cp)) return 'emoji';
      // Punctuation and digits stay in the face around them when it has them (keeps RTL runs whole).
      if (prev && prev !== 'emoji' && covered(prev, cp)) return prev;
      return pick(cp, style);
    default:
      if (emojiNext && covered('emoji', cp)) return 'emoji';
      return pick(cp, style);
  }
}

function pick(cp: number, style: Style): FaceKey {
  const first = styled('sans', style);
  if (covered(first, cp)) return first;
  for (const key of FALLBACK) if (covered(key, cp)) return key;
  return first;
}

/** Faces whose text fontkit lays out right to left itself (it reverses the glyphs of these scripts). */
export function isRtlScriptText(text: string): boolean {
  return /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u.test(text);
}
