/**
 * Text → lines of positioned runs, for pdfkit, which has neither font fallback nor bidi:
 *  1. itemise: a face per character (fonts.ts) and a bidi embedding level per character
 *     (bidi-js, the Unicode Bidirectional Algorithm, base direction from the first strong character);
 *  2. cut into pieces at changes of face or level, at spaces, around each CJK character (a line may
 *     break there) and around redaction boxes;
 *  3. fill lines greedily (a word wider than the line is cut between characters);
 *  4. reorder each line's pieces visually (rule L2: reverse every run at level ≥ k, from the
 *     highest level down to the lowest odd one).
 * Within a right-to-left piece fontkit itself lays Arabic and Hebrew glyphs out right to left
 * (and shapes Arabic); other right-to-left pieces (neutrals such as "?!") are reversed and mirrored here.
 */
import bidiModule from 'bidi-js';
import type { TextSegment } from '../redaction-text.ts';
import { advance, cjkFaceFor, face, faceFor, isRtlScriptText } from './fonts.ts';
import type { FaceKey, Style } from './fonts.ts';

// bidi-js is CommonJS whose module.exports is the factory, while its typings describe an ES default export.
const bidi = (bidiModule as unknown as typeof bidiModule.default)();

export interface Atom {
  /** The string to draw (already reversed and mirrored when `reversed`). */
  text: string;
  face: FaceKey;
  level: number;
  width: number;
  space: boolean;
  /** A redaction box in place of removed text, with this label. */
  box: string | null;
}

export interface Line {
  atoms: Atom[];
  width: number;
}

export interface Paragraph {
  lines: Line[];
  rtl: boolean;
  width: number;
}

export interface LayoutOptions {
  size: number;
  style: Style;
  maxWidth: number;
  /** At most this many lines; the last one ends with "…" when text was left out. */
  maxLines?: number;
}

const OBJ = '\ufffc';
const RTL_CHARS = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\u200f\u202b\u202e\u2067\u{10800}-\u{10fff}\u{1e800}-\u{1efff}]/u;
const CJK_BREAK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u;
const JOINER = /[\p{M}\u200d\ufe00-\ufe0f\u20e3\u{1f3fb}-\u{1f3ff}\u{e0020}-\u{e007f}]/u;
const NO_BREAK_BEFORE = /[、。，．！？：；）」』】〕〉》”’ー々ゃゅょっャュョッ\uff09\uff0c\uff0e]/u;

// Widths at 1000 units per em, per face, shared by every document of the process.
const widthCache = new Map<FaceKey, Map<string, number>>();
export function measure(key: FaceKey, text: string, size: number): number {
  let perFace = widthCache.get(key);
  if (!perFace) {
    perFace = new Map();
    widthCache.set(key, perFace);
  }
  let w = perFace.get(text);
  if (w === undefined) {
    w = advance(key, text);
    if (perFace.size > 100_000) perFace.clear();
    perFace.set(text, w);
  }
  return (w * size) / 1000;
}

/** Characters pdfkit cannot place on one line: line breaks become spaces within a line's text, controls go. */
function clean(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/\t/g, '    ').replace(/[\u0000-\u0008\u000b-\u001f\u007f\u2028\u2029]/g, (c) => (c === '\u2028' || c === '\u2029' ? '\n' : ''));
}

function baseDirection(text: string): 'ltr' | 'rtl' {
  if (!RTL_CHARS.test(text)) return 'ltr';
  for (const ch of text) {
    const t = bidi.getBidiCharTypeName(ch);
    if (t === 'L') return 'ltr';
    if (t === 'R' || t === 'AL') return 'rtl';
  }
  return 'ltr';
}

interface Piece {
  start: number;
  end: number;
  face: FaceKey;
  level: number;
  space: boolean;
  newline: boolean;
  box: string | null;
  /** A line may break before this piece. */
  breakBefore: boolean;
  width: number;
  /** A single CJK character: lines may break on either side. */
  cjk: boolean;
}

export function layoutText(segments: readonly TextSegment[], opts: LayoutOptions): Paragraph {
  let s = '';
  const boxes = new Map<number, string>();
  for (const seg of segments) {
    if (seg.kind === 'text') s += clean(seg.text);
    else {
      boxes.set(s.length, seg.reason);
      s += OBJ;
    }
  }
  const dir = baseDirection(s);
  const levels = dir === 'ltr' && !RTL_CHARS.test(s) ? null : bidi.getEmbeddingLevels(s, dir).levels;
  const base = dir === 'rtl' ? 1 : 0;
  const cjk = cjkFaceFor(s);
  const pieces = itemise(s, boxes, levels, base, opts.style, cjk);
  for (const p of pieces) p.width = pieceWidth(s, p, opts.size);
  const lines = fill(s, pieces, opts);
  const out: Line[] = [];
  for (const line of lines) out.push(toLine(s, line, base, levels));
  if (opts.maxLines !== undefined && out.length > opts.maxLines) {
    out.length = opts.maxLines;
    const last = out[opts.maxLines - 1]!;
    const ell = { text: '…', face: 'sans' as FaceKey, level: base, width: measure('sans', '…', opts.size), space: false, box: null };
    while (last.atoms.length && last.width + ell.width > opts.maxWidth) {
      const a = last.atoms.pop()!;
      last.width -= a.width;
    }
    if (base === 1) last.atoms.unshift(ell);
    else last.atoms.push(ell);
    last.width += ell.width;
  }
  return { lines: out, rtl: base === 1, width: out.reduce((m, l) => Math.max(m, l.width), 0) };
}

function itemise(s: string, boxes: Map<number, string>, levels: Uint8Array | null, base: number, style: Style, cjk: FaceKey): Piece[] {
  const pieces: Piece[] = [];
  let cur: Piece | null = null;
  let prevFace: FaceKey | null = null;
  let prevWasSpace = false;
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i)!;
    const len = cp > 0xffff ? 2 : 1;
    const ch = s.slice(i, i + len);
    const level = levels ? levels[i]! : base;
    if (ch === '\n' || ch === OBJ) {
      pieces.push({ start: i, end: i + 1, face: prevFace ?? 'sans', level, space: false, newline: ch === '\n', box: ch === OBJ ? (boxes.get(i) ?? '') : null, breakBefore: true, width: 0, cjk: false });
      cur = null;
      prevWasSpace = ch === OBJ ? false : true;
      i += len;
      continue;
    }
    const space = ch === ' ' || ch === '\u00a0' || ch === '\u3000';
    const next = s.codePointAt(i + len);
    // A space takes the face around it, except the emoji face (its space is an em wide).
    const f: FaceKey = space ? (prevFace !== null && prevFace !== 'emoji' ? prevFace : style === 'bold' ? 'sans-bold' : style === 'italic' ? 'sans-italic' : 'sans') : faceFor(cp, prevFace, style, cjk, next === 0xfe0f);
    const ascii = cp < 0x80;
    const cjkBreak = !ascii && !space && CJK_BREAK.test(ch);
    const joiner = !ascii && JOINER.test(ch);
    const joins = cur !== null && !cur.newline && cur.box === null && cur.space === space && cur.face === f && cur.level === level && (joiner || (!cjkBreak && !cur.cjk));
    if (joins) {
      cur!.end = i + len;
    } else {
      const breakBefore: boolean = prevWasSpace || space || (cjkBreak && !NO_BREAK_BEFORE.test(ch)) || (cur !== null && (cur.box !== null || (cur.cjk && (ascii || !NO_BREAK_BEFORE.test(ch)))));
      cur = { start: i, end: i + len, face: f, level, space, newline: false, box: null, breakBefore, width: 0, cjk: cjkBreak };
      pieces.push(cur);
    }
    if (!space) prevFace = f;
    prevWasSpace = space;
    i += len;
  }
  return pieces;
}

function pieceWidth(s: string, p: Piece, size: number): number {
  if (p.newline) return 0;
  if (p.box !== null) return boxWidth(p.box, size);
  return measure(p.face, s.slice(p.start, p.end), size);
}

export function boxLabel(reason: string): string {
  // Drawn in the Latin face: anything it cannot show becomes "?" rather than an invisible glyph.
  const label = `REDACTED: ${reason}`;
  return [...label].map((c) => (face('sans-bold').hasGlyphForCodePoint(c.codePointAt(0)!) ? c : '?')).join('');
}

export function boxWidth(reason: string, size: number): number {
  return measure('sans-bold', boxLabel(reason), size * 0.8) + 8;
}

/** Greedy line filling over words (pieces between break opportunities). */
function fill(s: string, pieces: Piece[], opts: LayoutOptions): Piece[][] {
  const lines: Piece[][] = [];
  let line: Piece[] = [];
  let width = 0;
  const contentWidth = (l: Piece[]) => {
    let w = 0;
    let end = l.length;
    while (end > 0 && l[end - 1]!.space) end--;
    for (let i = 0; i < end; i++) w += l[i]!.width;
    return w;
  };
  const push = () => {
    while (line.length && line[line.length - 1]!.space) line.pop();
    lines.push(line);
    line = [];
    width = 0;
  };
  let i = 0;
  while (i < pieces.length) {
    const p = pieces[i]!;
    if (p.newline) {
      push();
      i++;
      continue;
    }
    // The word: this piece and the following ones that may not be separated from it.
    let j = i + 1;
    while (j < pieces.length && !pieces[j]!.breakBefore && !pieces[j]!.newline) j++;
    const word = pieces.slice(i, j);
    const ww = word.reduce((a, x) => a + x.width, 0);
    if (word.every((x) => x.space)) {
      if (line.length) {
        line.push(...word);
        width += ww;
      }
      i = j;
      continue;
    }
    if (width + ww <= opts.maxWidth || contentWidth(line) === 0 && ww <= opts.maxWidth) {
      line.push(...word);
      width += ww;
    } else if (ww <= opts.maxWidth) {
      push();
      line.push(...word);
      width = ww;
    } else {
      // Wider than a whole line: cut between characters.
      if (contentWidth(line) > 0) push();
      for (const piece of word) {
        for (const part of splitPiece(s, piece, opts.size)) {
          if (width + part.width > opts.maxWidth && contentWidth(line) > 0) push();
          line.push(part);
          width += part.width;
        }
      }
    }
    i = j;
  }
  if (line.length || lines.length === 0) push();
  return lines;
}

/** A piece cut into single characters (keeping marks and joiners with their base). */
function splitPiece(s: string, p: Piece, size: number): Piece[] {
  if (p.box !== null) return [p];
  const text = s.slice(p.start, p.end);
  const clusters = text.match(/(?:\P{M}(?:\p{M}|\u200d\P{M}|[\ufe00-\ufe0f]|[\u{1f3fb}-\u{1f3ff}])*)|\p{M}+/gsu) ?? [text];
  const out: Piece[] = [];
  let at = p.start;
  for (const c of clusters) {
    const q: Piece = { ...p, start: at, end: at + c.length, breakBefore: true, width: 0 };
    q.width = measure(p.face, c, size);
    out.push(q);
    at += c.length;
  }
  return out;
}

function toLine(s: string, pieces: Piece[], base: number, levels: Uint8Array | null): Line {
  // Rule L1: whitespace at the end of a line takes the paragraph level.
  let atoms = pieces.map((p) => ({ p, level: p.level }));
  for (let k = atoms.length - 1; k >= 0 && atoms[k]!.p.space; k--) atoms[k]!.level = base;
  if (levels) {
    let max = 0;
    let minOdd = 255;
    for (const a of atoms) {
      if (a.level > max) max = a.level;
      if (a.level % 2 === 1 && a.level < minOdd) minOdd = a.level;
    }
    for (let lvl = max; lvl >= minOdd && lvl > 0; lvl--) {
      const next: typeof atoms = [];
      let k = 0;
      while (k < atoms.length) {
        if (atoms[k]!.level >= lvl) {
          let e = k;
          while (e < atoms.length && atoms[e]!.level >= lvl) e++;
          next.push(...atoms.slice(k, e).reverse());
          k = e;
        } else next.push(atoms[k++]!);
      }
      atoms = next;
    }
  }
  const out: Atom[] = [];
  let width = 0;
  for (const { p, level } of atoms) {
    let text = p.box !== null ? '' : s.slice(p.start, p.end);
    if (p.space) text = ' '.repeat([...text].length);
    if (level % 2 === 1 && !p.space && p.box === null && !isRtlScriptText(text)) text = reverseMirrored(text);
    const last = out[out.length - 1];
    // Left-to-right runs in one face are drawn as one string (spaces included): fewer text operators.
    if (last && last.box === null && p.box === null && last.face === p.face && last.level % 2 === 0 && level % 2 === 0) {
      last.text += text;
      last.width += p.width;
      last.space = last.space && p.space;
    } else {
      out.push({ text, face: p.face, level, width: p.width, space: p.space, box: p.box });
    }
    width += p.width;
  }
  return { atoms: out, width };
}

function reverseMirrored(text: string): string {
  return [...text].reverse().map((c) => bidi.getMirroredCharacter(c) ?? c).join('');
}
