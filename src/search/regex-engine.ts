/**
 * The matcher a /regex/ scan runs on each text: V8's own regular expressions where they give
 * exactly RE2's answer in linear time, RE2 (re2js) otherwise. re2js costs 5-20 µs per chat message;
 * V8's backtracking engine well under 1 µs, so a scan over every message is bound by reading them.
 *
 * Exactness: the RE2 pattern is translated only when it is in a small subset whose meaning in
 * JavaScript (without the `u` flag, per UTF-16 unit) equals RE2's (per code point) — literals
 * below U+E000, `.`, `\d \w \s \b` and their negations, classes, groups, alternation, repetition,
 * `^ $` — with `.`, `\s` and, under `i`, letters and `\w` rewritten to RE2's sets (RE2's case
 * folding adds K for k and ſ for s). A text's characters beyond the BMP (emoji) are each replaced by
 * U+E000 for the test: one unit, no case, not a digit, word or space character, and no translated
 * pattern names it, so it matches exactly where RE2 matches the emoji (`.`, `[^…]`, `\D \W \S`).
 * Any other pattern, a text with a lone surrogate, and under `m` a text with `\r`, U+2028 or
 * U+2029 (line ends to JavaScript, not to RE2) go to RE2.
 *
 * Linear time: a translated pattern is used only if V8's linear-time engine accepts it (the `l`
 * flag, tried once), and V8 is told to switch a match to that engine when backtracking runs long
 * (`--enable-experimental-regexp-engine-on-excessive-backtracks`, process-wide from the first
 * translated pattern on: it changes no result, only stops any pattern from backtracking without
 * bound). So `(a+)+$` on `aaaa…b` stays fast.
 */
import v8 from 'node:v8';
import { compileRegex } from './query-parser.ts';

let flagsSet = false;

/**
 * Turns on V8's linear-time engine and the switch to it, once, when the first pattern is compiled,
 * not when this module is imported: the flags are the process's, and V8's code cache is keyed on
 * them, so setting them at import made every module loaded after search (in every process that
 * imports it, a /regex/ run or not) compile into caches that processes without them reject.
 */
function useLinearEngine(): void {
  if (flagsSet) return;
  v8.setFlagsFromString('--enable-experimental-regexp-engine');
  v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
  flagsSet = true;
}

/** Characters a text is looked at again for: surrogates (emoji), and line ends JavaScript's `m` adds. */
const SPECIAL_TEXT = /[\uD800-\uDFFF\r\u2028\u2029]/;
const LINE_ENDS = /[\r\u2028\u2029]/;
const PAIRS = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;
/** Left once the pairs are replaced: a lone surrogate. */
const SURROGATE = /[\uD800-\uDFFF]/;
/** Beyond every character a translated pattern names: stands for a character beyond the BMP. */
const ASTRAL = '\uE000';

const FOLD_EXTRA: Record<string, string> = { k: '\\u212A', s: '\\u017F' };
const WORD_I = '0-9A-Za-z_\\u017F\\u212A';
const SPACE = '\\t\\n\\f\\r ';

/** Whether `c` is a letter with another case (RE2 folds those under `i`). */
function cased(c: string): boolean {
  return c.toLowerCase() !== c.toUpperCase();
}

/** A literal character as a class member (escaped where a class needs it). */
function member(c: string): string {
  return /[\\\]\[^-]/.test(c) ? `\\${c}` : c;
}

/** The class members matching `c` under `i` (null for a non-ASCII letter: RE2's folding is not reproduced here). */
function foldMembers(c: string): string | null {
  if (!cased(c)) return member(c);
  if (c > '\x7f') return null;
  const lo = c.toLowerCase();
  return `${lo}${lo.toUpperCase()}${FOLD_EXTRA[lo] ?? ''}`;
}

/** The members of a class range lo-hi under `i`: the range, and the other case of its ASCII letters. */
function foldRange(lo: string, hi: string): string | null {
  if (hi > '\x7f') {
    // Beyond ASCII: only ranges without cased letters are taken.
    for (let c = lo.charCodeAt(0); c <= hi.charCodeAt(0); c++) if (c > 0x7f && cased(String.fromCharCode(c))) return null;
  }
  let out = `${member(lo)}-${member(hi)}`;
  for (let c = Math.max(lo.charCodeAt(0), 0x41); c <= Math.min(hi.charCodeAt(0), 0x7a); c++) {
    const ch = String.fromCharCode(c);
    if (cased(ch)) out += foldMembers(ch)!;
  }
  return out;
}

/**
 * The JavaScript pattern with RE2's meaning on safe texts, or null when the pattern is outside the
 * subset. `i`: case-insensitive (rewritten: V8's linear engine has no `i`); `s`: `.` matches `\n`.
 */
export function translateRe2(pattern: string, flags: string): string | null {
  const ci = flags.includes('i');
  const dotAll = flags.includes('s');
  let out = '';
  let i = 0;
  // Whether a quantifier may follow (something to repeat was just written).
  let atom = false;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c.charCodeAt(0) >= 0xd800) return null;
    if (c === '\\') {
      const e = pattern[i + 1];
      if (e === undefined) return null;
      i += 2;
      atom = true;
      if (e === 'd' || e === 'D') out += `\\${e}`;
      else if (e === 'w') out += ci ? `[${WORD_I}]` : '\\w';
      else if (e === 'W') out += ci ? `[^${WORD_I}]` : '\\W';
      else if (e === 's') out += `[${SPACE}]`;
      else if (e === 'S') out += `[^${SPACE}]`;
      else if (e === 'b' || e === 'B') {
        out += `\\${e}`;
        atom = false;
      } else if ('ntfrv'.includes(e)) out += `\\${e}`;
      else if (/[!-\/:-@\[-`{-~]/.test(e)) out += ci && cased(e) ? `[${foldMembers(e)}]` : `\\${e}`;
      else return null;
      continue;
    }
    if (c === '[') {
      const cls = translateClass(pattern, i, ci);
      if (!cls) return null;
      out += cls.text;
      i = cls.end;
      atom = true;
      continue;
    }
    if (c === '(') {
      if (pattern[i + 1] === '?') {
        const named = /^\(\?P?<[A-Za-z_][A-Za-z0-9_]*>/.exec(pattern.slice(i));
        if (pattern[i + 2] === ':') {
          out += '(?:';
          i += 3;
        } else if (named) {
          out += '(';
          i += named[0].length;
        } else return null;
      } else {
        out += '(';
        i++;
      }
      atom = false;
      continue;
    }
    if (c === ')') {
      out += ')';
      i++;
      atom = true;
      continue;
    }
    if (c === '|' || c === '^' || c === '$') {
      out += c;
      i++;
      atom = false;
      continue;
    }
    if (c === '*' || c === '+' || c === '?' || c === '{') {
      if (!atom) return null;
      let q = c;
      if (c === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
        if (!m) return null;
        q = m[0];
      }
      i += q.length;
      if (pattern[i] === '?') {
        q += '?';
        i++;
      }
      out += q;
      // A repetition is not repeated again (RE2 refuses `a**`; JavaScript too).
      atom = false;
      continue;
    }
    if (c === '.') {
      out += dotAll ? '[^]' : '[^\\n]';
      i++;
      atom = true;
      continue;
    }
    if (c === ']' || c === '}') return null;
    if (ci && cased(c)) {
      const m = foldMembers(c);
      if (m === null) return null;
      out += `[${m}]`;
    } else {
      out += /[\/]/.test(c) ? `\\${c}` : c;
    }
    i++;
    atom = true;
  }
  return out;
}

/** A class `[…]` starting at `start`: its translation and the index after it, or null when outside the subset. */
function translateClass(pattern: string, start: number, ci: boolean): { text: string; end: number } | null {
  let i = start + 1;
  let negated = false;
  if (pattern[i] === '^') {
    negated = true;
    i++;
  }
  // `[]…]` and `[^]…]` (a literal ]) and POSIX classes are left to RE2.
  if (pattern[i] === ']') return null;
  let members = '';
  /** The next single character of the class (a literal or an escaped one), or a set escape, or null. */
  const next = (): { ch?: string; set?: string } | null => {
    const c = pattern[i];
    if (c === undefined || c.charCodeAt(0) >= 0xd800) return null;
    if (c === '[') return null;
    if (c !== '\\') {
      i++;
      return { ch: c };
    }
    const e = pattern[i + 1];
    if (e === undefined) return null;
    i += 2;
    if (e === 'd' || e === 'D') return { set: `\\${e}` };
    if (e === 'w') return { set: ci ? WORD_I : '\\w' };
    if (e === 's') return { set: SPACE };
    if (e === 'n') return { ch: '\n' };
    if (e === 't') return { ch: '\t' };
    if (e === 'r') return { ch: '\r' };
    if (e === 'f') return { ch: '\f' };
    if (e === 'v') return { ch: '\v' };
    if (/[!-\/:-@\[-`{-~]/.test(e)) return { ch: e };
    return null;
  };
  const esc = (c: string) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : c === '\r' ? '\\r' : c === '\f' ? '\\f' : c === '\v' ? '\\v' : member(c));
  while (pattern[i] !== ']') {
    const a = next();
    if (!a) return null;
    if (a.set) {
      members += a.set;
      continue;
    }
    const lo = a.ch!;
    if (pattern[i] === '-' && pattern[i + 1] !== ']' && pattern[i + 1] !== undefined) {
      i++;
      const b = next();
      if (!b || b.set || b.ch! < lo) return null;
      const range = ci ? foldRange(lo, b.ch!) : `${esc(lo)}-${esc(b.ch!)}`;
      if (range === null) return null;
      members += range;
      continue;
    }
    const one = ci && cased(lo) ? foldMembers(lo) : esc(lo);
    if (one === null) return null;
    members += one;
  }
  return { text: `[${negated ? '^' : ''}${members}]`, end: i + 1 };
}

/** Flags of the translated pattern: `m` kept (safe texts have no other line ends than \n), `i` and `s` rewritten. */
function jsFlags(flags: string): string {
  return flags.includes('m') ? 'm' : '';
}

/** A test of one text against the pattern (RE2 syntax and flags i, s, m): V8 where exact and linear, else RE2. */
export function textMatcher(pattern: string, flags: string): (text: string) => boolean {
  const re2 = compileRegex(pattern, flags);
  const viaRe2 = (text: string) => re2.matcher(text).find();
  const js = translateRe2(pattern, flags);
  if (js === null) return viaRe2;
  useLinearEngine();
  let fast: RegExp;
  try {
    // Accepted by the linear-time engine: then the backtracking one falls back to it when it runs long.
    new RegExp(js, `${jsFlags(flags)}l`);
    fast = new RegExp(js, jsFlags(flags));
  } catch {
    return viaRe2;
  }
  const multiline = flags.includes('m');
  return (text) => {
    if (!SPECIAL_TEXT.test(text)) return fast.test(text);
    if (multiline && LINE_ENDS.test(text)) return viaRe2(text);
    const astral = text.replace(PAIRS, ASTRAL);
    return SURROGATE.test(astral) ? viaRe2(text) : fast.test(astral);
  };
}
