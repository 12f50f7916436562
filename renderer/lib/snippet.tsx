import type { ReactNode } from 'react';

/** Marks every occurrence of the (already folded) terms in plain text, for the conversation view. */
export function Highlighted({ text, terms }: { text: string; terms: readonly string[] }): ReactNode {
  if (terms.length === 0 || !text) return text;
  const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  const folded = fold(text);
  // Folding can change lengths; only highlight when it did not (else show plain text).
  if (folded.length !== text.length) return text;
  const spans: [number, number][] = [];
  for (const t of terms) {
    const needle = fold(t);
    if (!needle) continue;
    for (let i = folded.indexOf(needle); i >= 0; i = folded.indexOf(needle, i + needle.length)) spans.push([i, i + needle.length]);
  }
  if (spans.length === 0) return text;
  spans.sort((a, b) => a[0] - b[0]);
  const out: ReactNode[] = [];
  let at = 0;
  spans.forEach(([s, e], i) => {
    if (s < at) return;
    if (s > at) out.push(text.slice(at, s));
    out.push(<mark key={i}>{text.slice(s, e)}</mark>);
    at = e;
  });
  if (at < text.length) out.push(text.slice(at));
  return out;
}
