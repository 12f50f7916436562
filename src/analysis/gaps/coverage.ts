/**
 * Export windows: the time each custodian's sources cover against the matter's date range. An
 * export or backup taken late, or a phone reset mid-matter, leaves parts of the range no source of
 * that custodian covers; those parts are listed.
 */
import type { CoverageDTO, MessageRefDTO } from '../../api/analysis-dto.ts';
import { isoTime } from '../../api/dto.ts';
import type { SourceSpan } from '../../case/data/interface.ts';

const DAY_MS = 86_400_000;
const days = (ms: number) => Math.round((ms / DAY_MS) * 100) / 100;

/** Each source's first and last dated message. */
export type WindowEnds = ReadonlyMap<number, { first: MessageRefDTO; last: MessageRefDTO }>;

export function coverage(spans: readonly SourceSpan[], names: ReadonlyMap<number, string>, matter: { from: number; to: number }, ends: WindowEnds): CoverageDTO[] {
  const byCustodian = new Map<number, SourceSpan[]>();
  for (const s of spans) byCustodian.set(s.custodianId, [...(byCustodian.get(s.custodianId) ?? []), s]);
  const out: CoverageDTO[] = [];
  for (const [custodianId, sources] of byCustodian) {
    const covered = sources
      .filter((s) => s.from !== null && s.to !== null)
      .map((s) => ({ from: Math.max(s.from!, matter.from), to: Math.min(s.to!, matter.to), ends: ends.get(s.sourceId) }))
      .filter((c) => c.from <= c.to)
      .sort((a, b) => a.from - b.from);
    const uncovered: CoverageDTO['uncovered'] = [];
    let cursor = matter.from;
    // The message that ends the coverage so far (none before the first source's window).
    let lastCovered: MessageRefDTO | null = null;
    for (const c of covered) {
      if (c.from > cursor) uncovered.push({ from: isoTime(cursor)!, to: isoTime(c.from)!, days: days(c.from - cursor), messageBefore: lastCovered, messageAfter: c.ends?.first ?? null });
      if (c.to >= cursor) [cursor, lastCovered] = [c.to, c.ends?.last ?? null];
    }
    if (cursor < matter.to) uncovered.push({ from: isoTime(cursor)!, to: isoTime(matter.to)!, days: days(matter.to - cursor), messageBefore: lastCovered, messageAfter: null });
    out.push({
      custodian: names.get(custodianId) ?? String(custodianId), matterFrom: isoTime(matter.from)!, matterTo: isoTime(matter.to)!,
      sources: sources.map((s) => ({
        sourceId: s.sourceId, name: s.name, format: s.format, from: isoTime(s.from), to: isoTime(s.to), messages: s.messages,
        firstMessage: ends.get(s.sourceId)?.first ?? null, lastMessage: ends.get(s.sourceId)?.last ?? null,
      })),
      uncovered,
    });
  }
  return out.sort((a, b) => a.custodian.localeCompare(b.custodian));
}
