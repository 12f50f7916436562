/**
 * Text with the core's highlight ranges painted as <mark>, rendered as React text (never as HTML).
 * The core decides what lights up; nothing here knows the query language.
 */
import type { ReactNode } from 'react';
import type { HighlightRange } from '../../src/api/dto.ts';

/** `text` with `ranges` (UTF-16 offsets into it, ascending, not overlapping) marked. */
export function Highlighted({ text, ranges }: { text: string; ranges: readonly HighlightRange[] }): ReactNode {
  if (ranges.length === 0) return text;
  const out: ReactNode[] = [];
  let at = 0;
  for (const [s, e] of ranges) {
    if (s > at) out.push(text.slice(at, s));
    out.push(<mark key={s}>{text.slice(s, e)}</mark>);
    at = e;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

/** The parts of `ranges` inside [from, to), as offsets into that slice. */
export function rangesWithin(ranges: readonly HighlightRange[], from: number, to: number): HighlightRange[] {
  const out: HighlightRange[] = [];
  for (const [s, e] of ranges) if (e > from && s < to) out.push([Math.max(s, from) - from, Math.min(e, to) - from]);
  return out;
}
