/**
 * Redacted text (see redactions.ts): the marked spans taken out of a message's text. Kept apart
 * from the marks' storage so that PDF layout workers load it without the database layer.
 */

export interface RedactionMark {
  id: number;
  start: number | null;
  end: number | null;
  reason: string;
}

export type TextSegment = { kind: 'text'; text: string } | { kind: 'redacted'; reason: string };

export function isWhollyRedacted(marks: readonly RedactionMark[] | undefined): RedactionMark | undefined {
  return marks?.find((m) => m.start === null);
}

/**
 * The text as segments with the marked spans taken out. Overlapping or touching spans merge into
 * one box whose label lists their reasons; a whole-message mark leaves a single box.
 */
export function redactText(text: string, marks: readonly RedactionMark[] | undefined): TextSegment[] {
  if (!marks || marks.length === 0) return text ? [{ kind: 'text', text }] : [];
  const whole = isWhollyRedacted(marks);
  if (whole) return [{ kind: 'redacted', reason: whole.reason }];
  const spans = marks
    .map((m) => ({ start: Math.min(m.start ?? 0, text.length), end: Math.min(m.end ?? 0, text.length), reasons: [m.reason] }))
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: typeof spans = [];
  for (const s of spans) {
    const last = merged.at(-1);
    if (last && s.start <= last.end) {
      last.end = Math.max(last.end, s.end);
      if (!last.reasons.includes(s.reasons[0]!)) last.reasons.push(s.reasons[0]!);
    } else merged.push({ ...s, reasons: [...s.reasons] });
  }
  const out: TextSegment[] = [];
  let at = 0;
  for (const s of merged) {
    if (s.start > at) out.push({ kind: 'text', text: text.slice(at, s.start) });
    out.push({ kind: 'redacted', reason: s.reasons.join('; ') });
    at = s.end;
  }
  if (at < text.length) out.push({ kind: 'text', text: text.slice(at) });
  return out;
}

/** Segments as plain text, each removed span replaced by "[REDACTED: reason]". */
export function segmentsToPlain(segments: readonly TextSegment[]): string {
  return segments.map((s) => (s.kind === 'text' ? s.text : `[REDACTED: ${s.reason}]`)).join('');
}

export function redactedPlain(text: string, marks: readonly RedactionMark[] | undefined): string {
  return marks && marks.length ? segmentsToPlain(redactText(text, marks)) : text;
}
