/**
 * Export windows: the time each custodian's sources cover against the matter's date range. An
 * export or backup taken late, or a phone reset mid-matter, leaves parts of the range no source of
 * that custodian covers; those parts are listed.
 */
import type { CoverageDTO } from '../../api/analysis-dto.ts';
import { isoTime } from '../../api/dto.ts';
import type { SourceSpan } from '../../case/data/interface.ts';

const DAY_MS = 86_400_000;
const days = (ms: number) => Math.round((ms / DAY_MS) * 100) / 100;

export function coverage(spans: readonly SourceSpan[], names: ReadonlyMap<number, string>, matter: { from: number; to: number }): CoverageDTO[] {
  const byCustodian = new Map<number, SourceSpan[]>();
  for (const s of spans) byCustodian.set(s.custodianId, [...(byCustodian.get(s.custodianId) ?? []), s]);
  const out: CoverageDTO[] = [];
  for (const [custodianId, sources] of byCustodian) {
    const covered = sources
      .filter((s) => s.from !== null && s.to !== null)
      .map((s) => [Math.max(s.from!, matter.from), Math.min(s.to!, matter.to)] as const)
      .filter(([a, b]) => a <= b)
      .sort((a, b) => a[0] - b[0]);
    const uncovered: CoverageDTO['uncovered'] = [];
    let cursor = matter.from;
    for (const [a, b] of covered) {
      if (a > cursor) uncovered.push({ from: isoTime(cursor)!, to: isoTime(a)!, days: days(a - cursor) });
      cursor = Math.max(cursor, b);
    }
    if (cursor < matter.to) uncovered.push({ from: isoTime(cursor)!, to: isoTime(matter.to)!, days: days(matter.to - cursor) });
    out.push({
      custodian: names.get(custodianId) ?? String(custodianId), matterFrom: isoTime(matter.from)!, matterTo: isoTime(matter.to)!,
      sources: sources.map((s) => ({ sourceId: s.sourceId, name: s.name, format: s.format, from: isoTime(s.from), to: isoTime(s.to), messages: s.messages })),
      uncovered,
    });
  }
  return out.sort((a, b) => a.custodian.localeCompare(b.custodian));
}
