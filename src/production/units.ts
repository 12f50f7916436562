/**
 * Groups of the selection: review units (a conversation's calendar day in the case's display zone,
 * cut into parts of at most 10,000 messages — the same slices review and RSMF use) or whole
 * conversations. The selection is in conversation then time order, so each group is a contiguous
 * index range of it.
 */
import type { Selection } from './select.ts';
import { localTime } from './time.ts';

export const MAX_UNIT_MESSAGES = 10_000;

export interface Group {
  conversationId: number;
  /** YYYY-MM-DD in the display zone; null for a whole conversation. */
  day: string | null;
  part: number;
  parts: number;
  /** Index range [start, end) into the selection. */
  start: number;
  end: number;
}

export function groupSelection(sel: Selection, per: 'unit' | 'conversation', tz: string, maxPerGroup = MAX_UNIT_MESSAGES): Group[] {
  const raw: { conversationId: number; day: string | null; start: number; end: number }[] = [];
  for (let i = 0; i < sel.ids.length; i++) {
    const conversationId = sel.conversations[i]!;
    const day = per === 'unit' ? localTime(sel.times[i]!, tz).day : null;
    const last = raw.at(-1);
    if (last && last.conversationId === conversationId && last.day === day) last.end = i + 1;
    else raw.push({ conversationId, day, start: i, end: i + 1 });
  }
  const out: Group[] = [];
  for (const g of raw) {
    const n = g.end - g.start;
    const parts = per === 'unit' ? Math.ceil(n / maxPerGroup) : 1;
    const size = Math.ceil(n / parts);
    for (let p = 0; p < parts; p++) {
      out.push({ conversationId: g.conversationId, day: g.day, part: p + 1, parts, start: g.start + p * size, end: Math.min(g.end, g.start + (p + 1) * size) });
    }
  }
  return out;
}
