/**
 * A 500-line negotiated term list over the benchmark corpus's words: words, prefixes, phrases,
 * proximity (w/N, pre/N, not w/N, OR-groups), fuzzy and stemmed words, with fields — the mix a
 * term list holds. Deterministic (seeded).
 */
import { rng } from '../helpers/generate.ts';
import { COMMON, RARE } from './corpus.ts';

export function benchTerms(count = 500, seed = 19): string[] {
  const r = rng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const words = [...COMMON, ...RARE, 'сделка', 'деньги', 'zurich', 'cafe', '会議', '👍'];
  const latin = [...COMMON, ...RARE];
  const typo = (w: string) => (w.length > 3 ? w.slice(0, 2) + w.slice(3) : `${w}x`);
  const makers: Array<() => string> = [
    () => pick(words),
    () => `${pick(latin).slice(0, 4)}*`,
    () => `"${pick(latin)} ${pick(latin)}"`,
    () => `${pick(words)} w/${1 + Math.floor(r() * 10)} ${pick(words)}`,
    () => `${pick(latin)} pre/${1 + Math.floor(r() * 5)} ${pick(latin)}`,
    () => `${pick(latin)} not w/${1 + Math.floor(r() * 5)} ${pick(latin)}`,
    () => `(${pick(RARE)} OR ${pick(RARE)}) w/10 (${pick(COMMON)} OR ${pick(COMMON)})`,
    () => `${typo(pick(latin))}~`,
    () => `stem:${pick(latin)}s`,
    () => `${pick(latin)} ${pick(RARE)} -${pick(COMMON)}`,
    () => `${pick(latin).slice(0, 3)}* w/5 ${pick(RARE)}`,
  ];
  return Array.from({ length: count }, () => pick(makers)());
}
