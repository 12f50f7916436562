/**
 * The one tokenizer of the index and of queries: the same text always yields the same terms, so a
 * query term matches exactly what was indexed.
 *
 * - Case and diacritics are folded (NFKD, marks of Latin/Greek/Cyrillic/Arabic/Hebrew dropped, then
 *   lower case and a few letter folds: ß→ss, æ→ae, ø→o, ı→i, ς→σ, Arabic ة→ه ى→ي, ...). Marks that
 *   are part of a letter elsewhere (Devanagari vowel signs, Japanese dakuten) are kept. Cyrillic й
 *   keeps its breve (it is a letter of its own); ё folds to е.
 * - Arabic tashkeel and tatweel, Hebrew niqqud and cantillation are dropped; those scripts are words.
 * - Chinese, Japanese and Korean runs are written without spaces: each run is indexed as overlapping
 *   character bigrams (a run of one character as that character), so any word inside it is found as
 *   the phrase of its bigrams.
 * - Thai, Lao, Khmer and Myanmar runs are cut into words by the ICU word segmenter.
 * - An emoji (with its ZWJ sequence; skin tone and presentation selectors folded away) is a term; a
 *   flag (two regional indicators) too.
 * - Digits of other scripts (Arabic-Indic, Devanagari, ...) fold to ASCII digits.
 *
 * Offsets are UTF-16 positions in the ORIGINAL text, for highlighting.
 */

/** Longest term kept (a base64 blob or a run-on URL would otherwise bloat the dictionary). */
export const MAX_TERM_LENGTH = 128;

export interface Token {
  term: string;
  /** UTF-16 offsets in the original text: [start, end). */
  start: number;
  end: number;
}

export type TokenSink = (term: string, start: number, end: number) => void;

// Every repetition is bounded: on an unbounded run (a 4.5-million-letter "word") V8's regexp
// backtracking overflowed the call stack. A longer run arrives as adjacent chunks that scan() joins.
const WORD_CHUNK = 4096;
const RUN = new RegExp(
  String.raw`(\p{RI}\p{RI})|(\p{Extended_Pictographic}(?:[\u{1F3FB}-\u{1F3FF}\uFE0F\u20E3]|\u200D\p{Extended_Pictographic}[\u{1F3FB}-\u{1F3FF}\uFE0F]{0,8}){0,32})|([\p{L}\p{N}\p{M}]{1,${WORD_CHUNK}})`,
  'gu',
);
const ASCII_WORD = /^[\x00-\x7f]*$/;

/** Whether a text is ASCII only (its terms are then runs of ASCII letters and digits, lower-cased). */
export function isAscii(text: string): boolean {
  return ASCII_WORD.test(text);
}
const EMOJI_FOLD = /[\u{1F3FB}-\u{1F3FF}\uFE0F]/gu;
const MARK = /\p{M}/u;
const FOLDS_MARKS = /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Common}\p{Script=Inherited}]/u;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30FC\u3005\u3006\u303B]/u;
const SEGMENTED = /[\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const NOT_WORD = /[^\p{L}\p{N}\p{M}]/gu;

/** Letters NFKD leaves alone that readers nevertheless expect to match their plain form. */
const LETTER_FOLDS: Record<string, string> = {
  'ß': 'ss', 'ẞ': 'ss', 'æ': 'ae', 'œ': 'oe', 'ø': 'o', 'đ': 'd', 'ð': 'd', 'ł': 'l', 'þ': 'th', 'ı': 'i', 'ŀ': 'l', 'ħ': 'h',
  'ŧ': 't', 'ſ': 's', 'ς': 'σ',
  // Arabic and Persian letter forms searched interchangeably (as Lucene's Arabic/Persian normalisers do).
  'ة': 'ه', 'ى': 'ي', 'ی': 'ي', 'ک': 'ك', 'ۀ': 'ه', 'ؤ': 'و', 'ئ': 'ي', 'ـ': '',
};

/** Code points of digit zero in scripts whose digits fold to 0-9 (NFKD handles full-width and math digits). */
const DIGIT_ZEROS = [
  0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66, 0xde6, 0xe50, 0xed0, 0xf20, 0x1040, 0x1090,
  0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90, 0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50,
  0xabf0,
];

const CLASS_WORD = 0;
const CLASS_CJK = 1;
const CLASS_SEGMENTED = 2;

interface Folded {
  text: string;
  cls: number;
  /** A combining mark, or a character that decomposes to marks only (half-width dakuten). */
  mark: boolean;
  /** Whether combining marks after this character are dropped (true for scripts whose marks are diacritics). */
  foldsMarks: boolean;
}

const foldCache = new Map<number, Folded>();

function foldChar(cp: number): Folded {
  const hit = foldCache.get(cp);
  if (hit) return hit;
  const ch = String.fromCodePoint(cp);
  let text: string;
  const zero = DIGIT_ZEROS.find((z) => cp >= z && cp < z + 10);
  if (zero !== undefined) text = String(cp - zero);
  else if (ch === 'й' || ch === 'Й') text = 'й';
  else if ([...ch.normalize('NFKD')].every((c) => MARK.test(c))) {
    const folded: Folded = { text: ch.normalize('NFKD'), cls: CLASS_WORD, mark: true, foldsMarks: false };
    foldCache.set(cp, folded);
    return folded;
  } else {
    let out = '';
    let keepMarks = !FOLDS_MARKS.test(ch);
    for (const c of ch.normalize('NFKD')) {
      if (MARK.test(c)) {
        if (keepMarks) out += c;
      } else {
        out += c;
        keepMarks = !FOLDS_MARKS.test(c);
      }
    }
    text = '';
    for (const c of out.normalize('NFC').toLowerCase()) text += LETTER_FOLDS[c] ?? c;
    text = text.replace(NOT_WORD, (c) => (MARK.test(c) ? c : ''));
  }
  const first = text.codePointAt(0);
  const probe = first === undefined ? ch : String.fromCodePoint(first);
  const folded: Folded = {
    text,
    cls: CJK.test(probe) ? CLASS_CJK : SEGMENTED.test(probe) ? CLASS_SEGMENTED : CLASS_WORD,
    mark: false,
    foldsMarks: FOLDS_MARKS.test(ch),
  };
  if (foldCache.size < 100_000) foldCache.set(cp, folded);
  return folded;
}

interface Unit {
  text: string;
  start: number;
  end: number;
  cls: number;
  foldsMarks: boolean;
}

let segmenter: Intl.Segmenter | undefined;

function emitWord(units: Unit[], from: number, to: number, sink: TokenSink): void {
  let text = '';
  for (let i = from; i < to; i++) text += units[i]!.text;
  text = text.normalize('NFC');
  if (text.length > MAX_TERM_LENGTH) text = text.slice(0, MAX_TERM_LENGTH);
  if (text) sink(text, units[from]!.start, units[to - 1]!.end);
}

function emitCjk(units: Unit[], from: number, to: number, sink: TokenSink): void {
  if (to - from === 1) {
    const u = units[from]!;
    sink(u.text.normalize('NFC'), u.start, u.end);
    return;
  }
  for (let i = from; i + 1 < to; i++) {
    const a = units[i]!;
    const b = units[i + 1]!;
    sink((a.text + b.text).normalize('NFC'), a.start, b.end);
  }
}

function emitSegmented(units: Unit[], from: number, to: number, sink: TokenSink): void {
  // Map positions in the folded string back to units, then let ICU find the words.
  let text = '';
  const unitAt: number[] = [];
  for (let i = from; i < to; i++) {
    for (let k = 0; k < units[i]!.text.length; k++) unitAt.push(i);
    text += units[i]!.text;
  }
  segmenter ??= new Intl.Segmenter('th', { granularity: 'word' });
  for (const seg of segmenter.segment(text)) {
    if (!seg.isWordLike) continue;
    const first = unitAt[seg.index]!;
    const last = unitAt[seg.index + seg.segment.length - 1]!;
    const term = seg.segment.normalize('NFC').slice(0, MAX_TERM_LENGTH);
    if (term) sink(term, units[first]!.start, units[last]!.end);
  }
}

/** A run of letters, digits and marks that is not plain ASCII: fold each character, then cut by script class. */
function foldRun(text: string, base: number, sink: TokenSink): void {
  const units: Unit[] = [];
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const len = cp > 0xffff ? 2 : 1;
    const f = foldChar(cp);
    if (f.mark) {
      const last = units[units.length - 1];
      // Variation selectors never matter; other marks only where they are part of the letter.
      if (last) {
        if (!last.foldsMarks && !(cp >= 0xfe00 && cp <= 0xfe0f)) last.text += f.text;
        last.end = base + i + len;
      }
    } else {
      units.push({ text: f.text, start: base + i, end: base + i + len, cls: f.cls, foldsMarks: f.foldsMarks });
    }
    i += len;
  }
  let from = 0;
  while (from < units.length) {
    if (!units[from]!.text) {
      from++;
      continue;
    }
    const cls = units[from]!.cls;
    let to = from + 1;
    while (to < units.length && (units[to]!.cls === cls || !units[to]!.text)) to++;
    // Units that folded to nothing (tatweel) inside a group are skipped, not joined as empty text.
    const group = units.slice(from, to).filter((u) => u.text);
    if (cls === CLASS_CJK) emitCjk(group, 0, group.length, sink);
    else if (cls === CLASS_SEGMENTED) emitSegmented(group, 0, group.length, sink);
    else emitWord(group, 0, group.length, sink);
    from = to;
  }
}

/** Whether an ASCII code is a letter or digit (the only ASCII characters inside a term). */
const ASCII_ALNUM = Uint8Array.from({ length: 128 }, (_, c) => Number(/[a-z0-9]/i.test(String.fromCharCode(c))));

/** Whether a UTF-16 code is an ASCII letter or digit. */
export function isAsciiAlnum(c: number): boolean {
  return c < 0x80 && ASCII_ALNUM[c] === 1;
}

const SEPARATOR = 1;
const WORD_CHAR = 2;
/** Starts an emoji (RUN's second alternative, tried before the word one: ℹ is a letter too). */
const PICTOGRAPHIC = 3;
/** The class of each code point of the BMP (0: its block not yet classed; surrogates are never looked up). */
const BMP_CLASS = new Uint8Array(0x10000);
/** RUN's second and third alternatives, one character at a time. */
const PICTOGRAPHIC_CHAR = /\p{Extended_Pictographic}/u;
const WORD_CLASS_CHAR = /[\p{L}\p{N}\p{M}]/u;

/** SEPARATOR, WORD_CHAR or PICTOGRAPHIC; a block of 256 is classed the first time one of it is met. */
function bmpClass(c: number): number {
  const k = BMP_CLASS[c]!;
  if (k !== 0) return k;
  for (let d = c & ~0xff; d <= (c | 0xff); d++) {
    const ch = String.fromCharCode(d);
    BMP_CLASS[d] = PICTOGRAPHIC_CHAR.test(ch) ? PICTOGRAPHIC : WORD_CLASS_CHAR.test(ch) ? WORD_CHAR : SEPARATOR;
  }
  return BMP_CLASS[c]!;
}

/**
 * Calls `sink` for every term of `text`, in order: the terms of the RUN regex alone, found a
 * character at a time. A run of letters, digits and marks (any script of the BMP) is cut
 * where RUN cuts it; a run holding a pictographic or a surrogate (emoji, flags, astral letters) is
 * left to RUN itself, from the run's start. A regex match per term was most of the time taken to
 * highlight a page of hits.
 */
export function scan(text: string, sink: TokenSink): void {
  const n = text.length;
  let run = -1;
  let plain = true;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const k = c < 0x80 ? (ASCII_ALNUM[c] === 1 ? WORD_CHAR : SEPARATOR) : (c & 0xf800) === 0xd800 ? PICTOGRAPHIC : bmpClass(c);
    if (k === WORD_CHAR) {
      if (run < 0) {
        run = i;
        plain = true;
      }
      if (c >= 0x80) plain = false;
      i++;
    } else if (k === SEPARATOR) {
      if (run >= 0) runTerms(text, run, i, plain, sink);
      run = -1;
      i++;
    } else {
      i = regexTerm(text, run >= 0 ? run : i, sink);
      run = -1;
    }
  }
  if (run >= 0) runTerms(text, run, n, plain, sink);
}

function runTerms(text: string, start: number, end: number, plain: boolean, sink: TokenSink): void {
  if (plain) sink(asciiTerm(text, start, end), start, end);
  else wordRun(text.slice(start, end), start, sink);
}

/** The term of a run of ASCII letters and digits: lower case, cut at MAX_TERM_LENGTH. */
function asciiTerm(text: string, start: number, end: number): string {
  return text.slice(start, Math.min(end, start + MAX_TERM_LENGTH)).toLowerCase();
}

/** The first term the RUN regex finds from `from`, given to `sink`; where the search goes on (the text's end when none). */
function regexTerm(text: string, from: number, sink: TokenSink): number {
  RUN.lastIndex = from;
  let m = RUN.exec(text);
  if (!m) return text.length;
  const start = m.index;
  if (m[1] !== undefined) sink(m[1], start, start + m[1].length);
  else if (m[2] !== undefined) {
    const e = m[2].replace(EMOJI_FOLD, '');
    if (e) sink(e, start, start + m[2].length);
  } else {
    let word = m[0];
    // A full chunk may continue: join the adjacent chunks into the one run they are.
    while (m[0].length === WORD_CHUNK && RUN.lastIndex < text.length) {
      const next = RUN.exec(text);
      if (!next) break;
      if (next[3] === undefined || next.index !== start + word.length) {
        RUN.lastIndex = next.index;
        break;
      }
      word += next[0];
      m = next;
    }
    wordRun(word, start, sink);
  }
  return RUN.lastIndex;
}

function wordRun(word: string, start: number, sink: TokenSink): void {
  if (ASCII_WORD.test(word)) {
    sink(asciiTerm(word, 0, word.length), start, start + word.length);
    return;
  }
  if (word.length > FOLDED_WORD_LENGTH) {
    foldRun(word, start, sink);
    return;
  }
  // Terms and offsets relative to the run: [term, start, end, term, ...].
  let folded = foldedWords.get(word);
  if (!folded) {
    const out: (string | number)[] = [];
    foldRun(word, 0, (term, s, e) => out.push(term, s, e));
    if (foldedWords.size >= FOLDED_WORDS) foldedWords.clear();
    foldedWords.set(word, out);
    folded = out;
  }
  for (let i = 0; i < folded.length; i += 3) sink(folded[i] as string, start + (folded[i + 1] as number), start + (folded[i + 2] as number));
}

/**
 * Runs that are not plain ASCII, folded before (a run's terms depend on its characters alone).
 * Folding a run character by character (NFKD, the script tests) was most of a page's highlighting
 * in a multilingual case, and of indexing it; the same words recur.
 */
const foldedWords = new Map<string, (string | number)[]>();
const FOLDED_WORDS = 65_536;
const FOLDED_WORD_LENGTH = 64;

/** Terms with their offsets in the original text. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  scan(text, (term, start, end) => out.push({ term, start, end }));
  return out;
}

/** Terms only (the indexing path). */
export function terms(text: string): string[] {
  const out: string[] = [];
  scan(text, (term) => out.push(term));
  return out;
}

/** Whether a term is a CJK unigram or bigram (single-character CJK queries expand over bigrams). */
export function isCjkTerm(term: string): boolean {
  return CJK.test(term);
}
