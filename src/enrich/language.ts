/**
 * The language of a message, offline, by franc-min's method and data (trigram profiles of 82
 * languages; ISO 639-3 codes). Texts shorter than MIN_LENGTH characters are 'und': a few words say
 * too little.
 *
 * franc itself compares the text's trigrams with each language's profile in turn, one object lookup
 * per trigram and language (about 0.15–0.3 ms a message, more than the import of the message). Here
 * the profiles of a script are folded into one map, trigram → its rank in every language, so each of
 * the text's trigrams is looked up once. The distance, the script choice and the tie order are
 * franc's, so the answer is franc's (test/enrich/language.test.ts compares the two).
 */
import { asTuples } from 'trigram-utils';
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
  /** Trigram → its rank in each language's profile (-1: not in that profile). */
  ranks: Map<string, Int16Array>;
}

const models = new Map<string, ScriptModel>();

function modelOf(script: string): ScriptModel {
  let model = models.get(script);
  if (model) return model;
  const profiles = data[script]!;
  const languages = Object.keys(profiles);
  const ranks = new Map<string, Int16Array>();
  languages.forEach((lang, i) => {
    profiles[lang]!.split('|').forEach((trigram, rank) => {
      let r = ranks.get(trigram);
      if (!r) ranks.set(trigram, (r = new Int16Array(languages.length).fill(-1)));
      // franc keeps the last rank of a trigram listed twice.
      r[i] = rank;
    });
  });
  models.set(script, (model = { languages, ranks }));
  return model;
}

/** The script with the largest share of the text's characters (the first of equals), as franc picks it. */
function topScript(value: string): [string | undefined, number] {
  // Only the Latin expression matches ASCII letters: an ASCII text with a letter is Latin, as the full scan would say.
  if (ASCII_WITH_LETTER.test(value)) return ['Latin', 1];
  let top: string | undefined;
  let topShare = -1;
  for (const [script, re] of Object.entries(expressions)) {
    const share = (value.match(re)?.length ?? 0) / value.length || 0;
    if (share > topShare) [top, topShare] = [script, share];
  }
  return [top, topShare];
}

export function detectLanguage(text: string): string {
  if (text.length < MIN_LENGTH) return UNDETERMINED;
  const value = text.slice(0, MAX_LENGTH);
  const [script, share] = topScript(value);
  if (!script || !(script in data)) return !script || share === 0 ? UNDETERMINED : script;
  const { languages, ranks } = modelOf(script);
  const distance = new Float64Array(languages.length);
  for (const [trigram, count] of asTuples(value)) {
    // A trigram no profile has adds the same to every language: it cannot change which is nearest.
    const r = ranks.get(trigram);
    if (!r) continue;
    for (let i = 0; i < r.length; i++) {
      const rank = r[i]!;
      distance[i]! += rank < 0 ? MAX_DIFFERENCE : Math.abs(count - rank - 1);
    }
  }
  let best = 0;
  for (let i = 1; i < distance.length; i++) if (distance[i]! < distance[best]!) best = i;
  return languages[best]!;
}
