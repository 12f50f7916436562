/**
 * Proximity on a message's term sequence: where the operands occur (spans of term positions), and
 * whether an occurrence of one lies within N words of one of the other, inside one field.
 *
 * Distance is counted between the nearest ends: adjacent words are 1 apart, so `a w/3 b` allows
 * up to two words between them ("richard w/3 branson" finds "Richard Charles Nicholas Branson").
 * Overlapping occurrences (one word matching both sides) never count.
 */

/** Acceptable term ids at each position of a phrase (a single term is a one-position phrase). */
export type Pattern = ReadonlyArray<number | ReadonlySet<number>>;

function at(want: number | ReadonlySet<number>, t: number): boolean {
  return typeof want === 'number' ? t === want : want.has(t);
}

/** Appends [start, end] (inclusive) of every occurrence of any pattern in tokens[from, to). */
export function spans(tokens: Uint32Array, from: number, to: number, patterns: readonly Pattern[], out: number[]): void {
  for (const p of patterns) {
    const n = p.length;
    const first = p[0]!;
    outer: for (let s = from; s + n <= to; s++) {
      if (!at(first, tokens[s]!)) continue;
      for (let k = 1; k < n; k++) if (!at(p[k]!, tokens[s + k]!)) continue outer;
      out.push(s, s + n - 1);
    }
  }
}

/** Whether tokens strictly between a and b hold no field gap (term 0). */
function sameField(tokens: Uint32Array, a: number, b: number): boolean {
  for (let k = a + 1; k < b; k++) if (tokens[k] === 0) return false;
  return true;
}

const left: number[] = [];
const right: number[] = [];

/** Whether the message in tokens[from, to) has a left occurrence within `distance` of a right one (left first when `ordered`). */
export function nearIn(tokens: Uint32Array, from: number, to: number, l: readonly Pattern[], r: readonly Pattern[], distance: number, ordered: boolean): boolean {
  left.length = 0;
  spans(tokens, from, to, l, left);
  if (left.length === 0) return false;
  right.length = 0;
  spans(tokens, from, to, r, right);
  for (let i = 0; i < left.length; i += 2) {
    const ls = left[i]!;
    const le = left[i + 1]!;
    for (let j = 0; j < right.length; j += 2) {
      const rs = right[j]!;
      const re = right[j + 1]!;
      if (le < rs && rs - le <= distance && sameField(tokens, le, rs)) return true;
      if (!ordered && re < ls && ls - re <= distance && sameField(tokens, re, ls)) return true;
    }
  }
  return false;
}
