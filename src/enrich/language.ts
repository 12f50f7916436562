/**
 * The language of a message, offline, by franc-min's method and data (trigram profiles of 82
 * languages; ISO 639-3 codes). Texts shorter than MIN_LENGTH characters are 'und': a few words say
 * too little.
 *
 * franc itself runs one regular expression per script over the text, builds its trigrams as object
 * keys, sorts them, and compares them with each language's profile in turn (about 0.1–0.3 ms a
 * message, more than the import of the message). Here the script count is one pass over the text
 * (each character's scripts looked up once and remembered), the cleaning (lower case, punctuation and
 * digits to spaces) is a table lookup per character in the same pass that maps it into the profiles'
 * alphabet, each trigram is a cell of a table over that alphabet giving its number among the trigrams
 * the script's profiles list (counted in a reused typed array: no keys, no sort), and each number
 * leads to the languages that list it and its rank there, so a trigram costs only the few languages
 * that know it. The distance, the script choice and the tie order are franc's, so the answer is
 * franc's (test/enrich/language.test.ts compares the two).
 */
import { data } from 'franc-min/data.js';
import { expressions } from 'franc-min/expressions.js';

export const MIN_LENGTH = 20;
export const UNDETERMINED = 'und';
/** franc's: the longest sample read, and what a trigram a profile lacks adds to the distance. */
const MAX_LENGTH = 2048;
const MAX_DIFFERENCE = 300;
const ASCII_WITH_LETTER = /^(?=[^]*[A-Za-z])[\x00-\x7f]*$/;

interface ScriptModel {
  languages: string[];
  /** UTF-16 unit → its index in the alphabet of the script's profiles (-1: in no profile). */
  unitIds: Int16Array;
  /**
   * UTF-16 unit → the alphabet index of its lower case (-1: in no profile, or not one unit), SEPARATOR for
   * what clean turns into a space: the cleaning and the lookup in one step (see `countTrigrams`).
   */
  cleanIds: Int16Array;
  /** The alphabet's size: a trigram of indexes a, b, c is the cell (a * size + b) * size + c of `trigramIds`. */
  size: number;
  /** Trigram cell → the trigram's number among those the profiles list (-1: listed by none). */
  trigramIds: Int32Array;
  /** Trigram number t → its entries `ranks[starts[t]]` … `ranks[starts[t + 1] - 1]`: (language index << 16 | rank) for each profile listing it. */
  starts: Int32Array;
  ranks: Int32Array;
}

const models = new Map<string, ScriptModel>();
const SEPARATOR = -2;
const DROPPED_UNIT = /^[\s\u0021-\u0040]$/;

function modelOf(script: string): ScriptModel {
  let model = models.get(script);
  if (model) return model;
  const profiles = data[script]!;
  const languages = Object.keys(profiles);
  const unitIds = new Int16Array(0x10000).fill(-1);
  let size = 0;
  const lists = new Map<string, Map<number, number>>();
  languages.forEach((lang, i) => {
    profiles[lang]!.split('|').forEach((trigram, rank) => {
      for (let k = 0; k < 3; k++) if (unitIds[trigram.charCodeAt(k)]! < 0) unitIds[trigram.charCodeAt(k)] = size++;
      let r = lists.get(trigram);
      if (!r) lists.set(trigram, (r = new Map()));
      // franc keeps the last rank of a trigram listed twice.
      r.set(i, rank);
    });
  });
  const trigramIds = new Int32Array(size ** 3).fill(-1);
  const starts = new Int32Array(lists.size + 1);
  const ranks: number[] = [];
  let t = 0;
  for (const [trigram, r] of lists) {
    const [a, b, c] = [0, 1, 2].map((k) => unitIds[trigram.charCodeAt(k)]!);
    trigramIds[(a! * size + b!) * size + c!] = t;
    for (const [i, rank] of r) ranks.push((i << 16) | rank);
    starts[++t] = ranks.length;
  }
  const cleanIds = new Int16Array(0x10000);
  for (let u = 0; u < 0x10000; u++) {
    const ch = String.fromCharCode(u);
    const lower = ch.toLowerCase();
    cleanIds[u] = DROPPED_UNIT.test(ch) ? SEPARATOR : lower.length === 1 ? unitIds[lower.charCodeAt(0)]! : -1;
  }
  models.set(script, (model = { languages, unitIds, cleanIds, size, trigramIds, starts, ranks: Int32Array.from(ranks) }));
  return model;
}

const SCRIPTS = Object.keys(expressions);
const EXPRESSIONS = SCRIPTS.map((s) => new RegExp(expressions[s]!.source));
/** Per UTF-16 unit: a bit per script whose expression matches it alone; UNKNOWN until first seen. */
const UNKNOWN = 0xffffffff;
const unitScripts = new Uint32Array(0x10000).fill(UNKNOWN);
/** Per surrogate pair: how many matches each script's expression finds in it (franc counts matches). */
const pairCounts = new Map<string, Uint8Array>();

function scriptsOfUnit(unit: number): number {
  let bits = unitScripts[unit]!;
  if (bits !== UNKNOWN) return bits;
  const ch = String.fromCharCode(unit);
  bits = 0;
  EXPRESSIONS.forEach((re, i) => {
    if (re.test(ch)) bits |= 1 << i;
  });
  unitScripts[unit] = bits;
  return bits;
}

function countsOfPair(pair: string): Uint8Array {
  let counts = pairCounts.get(pair);
  if (!counts) pairCounts.set(pair, (counts = Uint8Array.from(SCRIPTS, (s) => pair.match(expressions[s]!)?.length ?? 0)));
  return counts;
}

/** The script with the most matching characters (the first of equals), as franc picks it. */
function topScript(value: string): [string | undefined, number] {
  // Only the Latin expression matches ASCII letters: an ASCII text with a letter is Latin, as the full scan would say.
  if (ASCII_WITH_LETTER.test(value)) return ['Latin', 1];
  const counts = new Int32Array(SCRIPTS.length);
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < value.length) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        const c = countsOfPair(value.slice(i, i + 2));
        for (let s = 0; s < c.length; s++) counts[s]! += c[s]!;
        i++;
        continue;
      }
    }
    for (let bits = scriptsOfUnit(unit); bits; bits &= bits - 1) counts[31 - Math.clz32(bits & -bits)]!++;
  }
  let top = 0;
  for (let s = 1; s < counts.length; s++) if (counts[s]! > counts[top]!) top = s;
  return [SCRIPTS[top], counts[top]!];
}

/**
 * franc's clean (trigram-utils): runs of punctuation, symbols and digits to a space, then runs of white
 * space to one; trimmed, lower case. One pass over runs of either leaves the same single space.
 */
const DROPPED = /[\s\u0021-\u0040]+/g;
export const clean = (value: string) => value.replace(DROPPED, ' ').trim().toLowerCase();

/** Reused per call: how often each trigram number occurs in the text, which occur, the cleaned text's alphabet indexes. */
let times = new Int32Array(0);
let seen = new Int32Array(MAX_LENGTH + 2);
let ids = new Int16Array(MAX_LENGTH + 2);
let distance = new Int32Array(0);

export function detectLanguage(text: string): string {
  if (text.length < MIN_LENGTH) return UNDETERMINED;
  const value = text.slice(0, MAX_LENGTH);
  const [script, count] = topScript(value);
  if (!script || !(script in data)) return !script || count === 0 ? UNDETERMINED : script;
  const model = modelOf(script);
  const { languages, starts, ranks } = model;
  if (times.length < starts.length) times = new Int32Array(starts.length);
  const n = countTrigrams(model, value);
  // Relative to every language lacking each trigram (the same for all): a profile listing one takes that back.
  if (distance.length < languages.length) distance = new Int32Array(languages.length);
  distance.fill(0, 0, languages.length);
  for (let j = 0; j < n; j++) {
    const t = seen[j]!;
    const k = times[t]!;
    times[t] = 0;
    for (let e = starts[t]!, end = starts[t + 1]!; e < end; e++) {
      const r = ranks[e]!;
      distance[r >> 16]! += Math.abs(k - (r & 0xffff) - 1) - MAX_DIFFERENCE;
    }
  }
  let best = 0;
  for (let i = 1; i < languages.length; i++) if (distance[i]! < distance[best]!) best = i;
  return languages[best]!;
}

/** Lower-casing İ makes two units and Σ's lower case depends on its neighbours: a text with either is cleaned as a string. */
const CONTEXT_CASED = /[\u0130\u03a3]/;

/**
 * Counts the trigrams of the text as franc's trigram-utils makes them (cleaned, padded with a space) into
 * `times` by their number, and lists each number once in `seen`; returns how many. A trigram no profile
 * lists (a character none has, or just not listed) is left out: it adds the same to every language, so it
 * cannot change which is nearest.
 */
function countTrigrams({ unitIds, cleanIds, size, trigramIds }: ScriptModel, value: string): number {
  const space = unitIds[0x20]!;
  // The cleaned, padded text as alphabet indexes.
  let m = 0;
  if (CONTEXT_CASED.test(value)) {
    const cleaned = clean(value);
    if (ids.length < cleaned.length + 2) ids = new Int16Array(cleaned.length + 2);
    ids[m++] = space;
    for (let i = 0; i < cleaned.length; i++) ids[m++] = unitIds[cleaned.charCodeAt(i)]!;
  } else {
    // clean in the same pass: a run of separators is one space, none at either end.
    if (ids.length < value.length + 2) ids = new Int16Array(value.length + 2);
    ids[m++] = space;
    let gap = false;
    for (let i = 0; i < value.length; i++) {
      const c = cleanIds[value.charCodeAt(i)]!;
      if (c === SEPARATOR) gap = m > 1;
      else {
        if (gap) (ids[m++] = space), (gap = false);
        ids[m++] = c;
      }
    }
  }
  ids[m++] = space;
  if (seen.length < m) seen = new Int32Array(m);
  let n = 0;
  for (let i = 2; i < m; i++) {
    const a = ids[i - 2]!;
    const b = ids[i - 1]!;
    const c = ids[i]!;
    if (a < 0 || b < 0 || c < 0) continue;
    const t = trigramIds[(a * size + b) * size + c]!;
    if (t >= 0 && times[t]!++ === 0) seen[n++] = t;
  }
  return n;
}
