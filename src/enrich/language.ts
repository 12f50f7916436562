/**
 * The language of a message, offline, by franc-min's method and data (trigram profiles of 82
 * languages; ISO 639-3 codes). Texts shorter than MIN_LENGTH characters are 'und': a few words say
 * too little.
 *
 * franc itself runs one regular expression per script over the text, builds its trigrams as object
 * keys, sorts them, and compares them with each language's profile in turn (about 0.1–0.3 ms a
 * message, more than the import of the message). Here the script count is one pass over the text
 * (each character's scripts looked up once and remembered), trigrams are counted in a Map, and the
 * profiles of a script are folded into one map, trigram → the languages that list it and its rank
 * there, so each trigram costs only the few languages that know it. The distance, the script choice
 * and the tie order are franc's, so the answer is franc's (test/enrich/language.test.ts compares the two).
 */
import { clean } from 'trigram-utils';
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
  /** Trigram (its three alphabet indexes, 10 bits each) → (language index << 16 | rank) for each profile that lists it. */
  ranks: Map<number, Int32Array>;
}

const models = new Map<string, ScriptModel>();
const ID_BITS = 10;

function modelOf(script: string): ScriptModel {
  let model = models.get(script);
  if (model) return model;
  const profiles = data[script]!;
  const languages = Object.keys(profiles);
  const unitIds = new Int16Array(0x10000).fill(-1);
  let alphabet = 0;
  const keyOf = (trigram: string): number => {
    let key = 0;
    for (let i = 0; i < 3; i++) {
      const u = trigram.charCodeAt(i);
      if (unitIds[u]! < 0) unitIds[u] = alphabet++;
      key = (key << ID_BITS) | unitIds[u]!;
    }
    return key;
  };
  const lists = new Map<number, Map<number, number>>();
  languages.forEach((lang, i) => {
    profiles[lang]!.split('|').forEach((trigram, rank) => {
      const key = keyOf(trigram);
      let r = lists.get(key);
      if (!r) lists.set(key, (r = new Map()));
      // franc keeps the last rank of a trigram listed twice.
      r.set(i, rank);
    });
  });
  if (alphabet > 1 << ID_BITS) throw new Error(`${script} profiles use ${alphabet} characters`);
  const ranks = new Map<number, Int32Array>();
  for (const [key, r] of lists) ranks.set(key, Int32Array.from(r, ([i, rank]) => (i << 16) | rank));
  models.set(script, (model = { languages, unitIds, ranks }));
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

let keys = new Int32Array(MAX_LENGTH + 2);

export function detectLanguage(text: string): string {
  if (text.length < MIN_LENGTH) return UNDETERMINED;
  const value = text.slice(0, MAX_LENGTH);
  const [script, count] = topScript(value);
  if (!script || !(script in data)) return !script || count === 0 ? UNDETERMINED : script;
  const { languages, unitIds, ranks } = modelOf(script);
  // The text's trigrams as franc's trigram-utils makes them (cleaned, padded with a space), as numbers,
  // sorted so that equal ones are neighbours. A trigram with a character no profile has is left out:
  // it adds the same to every language, so it cannot change which is nearest.
  const padded = ` ${clean(value)} `;
  if (keys.length < padded.length) keys = new Int32Array(padded.length);
  let n = 0;
  let b = unitIds[padded.charCodeAt(0)]!;
  for (let i = 2; i < padded.length; i++) {
    const a = b;
    b = unitIds[padded.charCodeAt(i - 1)]!;
    const c = unitIds[padded.charCodeAt(i)]!;
    if (a >= 0 && b >= 0 && c >= 0) keys[n++] = (((a << ID_BITS) | b) << ID_BITS) | c;
  }
  const sorted = keys.subarray(0, n).sort();
  // Relative to every language lacking each trigram (the same for all): a profile listing one takes that back.
  const distance = new Int32Array(languages.length);
  for (let i = 0; i < n; ) {
    const key = sorted[i]!;
    let times = 0;
    while (i < n && sorted[i] === key) (i++, times++);
    const r = ranks.get(key);
    if (!r) continue;
    for (let k = 0; k < r.length; k++) {
      const e = r[k]!;
      distance[e >> 16]! += Math.abs(times - (e & 0xffff) - 1) - MAX_DIFFERENCE;
    }
  }
  let best = 0;
  for (let i = 1; i < distance.length; i++) if (distance[i]! < distance[best]!) best = i;
  return languages[best]!;
}
