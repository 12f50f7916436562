/**
 * Groups of the selection: review units (src/case/review-units.ts: a conversation's calendar day in
 * the case's display zone, cut into parts of at most 10,000 events — the very parts review codes, so
 * part 2 of a day holds the same messages here as in review) or whole conversations. The selection
 * is in conversation then time order, so each group is a contiguous index range of it.
 */
import { dayOf, dayParts } from '../case/review-units.ts';
import type { Selection } from './select.ts';
import type { CaseData } from '../case/data/interface.ts';

export interface Group {
  conversationId: number;
  /** YYYY-MM-DD in the display zone; null for a whole conversation. */
  day: string | null;
  /** The review unit's part and how many parts its day has (1 and 1 for a day or conversation taken whole). */
  part: number;
  parts: number;
  /** Index range [start, end) into the selection. */
  start: number;
  end: number;
}

/** `per: 'day'` keeps a day whole (RSMF: one file per 24-hour slice, however long). */
export function groupSelection(data: CaseData, sel: Selection, per: 'unit' | 'day' | 'conversation', tz: string): Group[] {
  const raw: { conversationId: number; day: string | null; dayStart: number; dayEnd: number; start: number; end: number }[] = [];
  for (let i = 0; i < sel.ids.length; i++) {
    const conversationId = sel.conversations[i]!;
    const at = sel.times[i]!;
    const last = raw.at(-1);
    if (last && last.conversationId === conversationId && (per === 'conversation' || (at >= last.dayStart && at < last.dayEnd))) {
      last.end = i + 1;
      continue;
    }
    const day = per === 'conversation' ? { day: null, start: -Infinity, end: Infinity } : dayOf(at, tz);
    raw.push({ conversationId, day: day.day, dayStart: day.start, dayEnd: day.end, start: i, end: i + 1 });
  }
  const out: Group[] = [];
  for (const g of raw) {
    if (per !== 'unit') {
      out.push({ conversationId: g.conversationId, day: g.day, part: 1, parts: 1, start: g.start, end: g.end });
      continue;
    }
    const { parts, partOf } = dayParts(data, g.conversationId, g.dayStart, g.dayEnd);
    for (let i = g.start; i < g.end; i++) {
      const part = partOf(sel.ids[i]!);
      const last = out.at(-1);
      if (last && last.conversationId === g.conversationId && last.day === g.day && last.part === part && last.end === i) last.end = i + 1;
      else out.push({ conversationId: g.conversationId, day: g.day, part, parts, start: i, end: i + 1 });
    }
  }
  return out;
}
