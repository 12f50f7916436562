/** Bates numbers: PREFIX followed by a zero-padded counter of fixed width (HF0000001). */
import { HoldfastError } from '../api/errors.ts';
import type { CaseData } from '../case/data/interface.ts';

export function formatBates(prefix: string, n: number, width: number): string {
  const digits = String(n);
  if (digits.length > width) {
    throw new HoldfastError('VALIDATION', `Bates number ${n} does not fit in ${width} digits; choose a wider Bates width or a lower start.`, { field: 'batesWidth' });
  }
  return prefix + digits.padStart(width, '0');
}

/** Hands out consecutive Bates numbers; one per page (PDF) or per document (message, attachment, file). */
export class BatesCounter {
  readonly prefix: string;
  readonly width: number;
  private next: number;
  first: string | null = null;
  last: string | null = null;

  constructor(prefix: string, start: number, width: number) {
    this.prefix = prefix;
    this.width = width;
    this.next = start;
  }

  take(): string {
    const bates = formatBates(this.prefix, this.next++, this.width);
    this.first ??= bates;
    this.last = bates;
    return bates;
  }

  /** The number part of the last number taken. */
  get lastNumber(): number | null {
    return this.last === null ? null : this.next - 1;
  }

  /** The number the next take() will return, without taking it. */
  peek(): string {
    return formatBates(this.prefix, this.next, this.width);
  }
}

/** The number part of a Bates string issued with `prefix` (HF0000042 → 42), or null if it is not one. */
function numberOf(bates: string, prefix: string): number | null {
  if (!bates.startsWith(prefix)) return null;
  const digits = bates.slice(prefix.length);
  return /^\d+$/.test(digits) ? Number(digits) : null;
}

/** Every range of numbers earlier complete productions of the case issued with `prefix` (exact, case-sensitive). */
export function issuedRanges(data: CaseData, prefix: string): { productionId: number; name: string; first: number; last: number }[] {
  const rows = data.read.productions.issued(prefix);
  const out: { productionId: number; name: string; first: number; last: number }[] = [];
  for (const r of rows) {
    const first = numberOf(r.bates_first, prefix);
    const last = numberOf(r.bates_last, prefix);
    if (first !== null && last !== null) out.push({ productionId: r.id, name: r.name, first, last });
  }
  return out;
}

/** Where the next production with `prefix` starts: after the highest number ever issued with it, else 1. */
export function nextBatesNumber(data: CaseData, prefix: string): number {
  return issuedRanges(data, prefix).reduce((n, r) => Math.max(n, r.last + 1), 1);
}

/** Refuses a range [first, last] (last null: only the start is known yet) that overlaps an earlier production's. */
export function assertNoOverlap(data: CaseData, prefix: string, width: number, first: number, last: number | null): void {
  for (const r of issuedRanges(data, prefix)) {
    const hits = last === null ? first >= r.first && first <= r.last : first <= r.last && last >= r.first;
    if (!hits) continue;
    const range = (a: number, b: number) => `${formatBates(prefix, a, Math.max(width, String(b).length))}–${formatBates(prefix, b, Math.max(width, String(b).length))}`;
    throw new HoldfastError(
      'PRODUCTION_BATES_OVERLAP',
      `Bates ${last === null ? formatBates(prefix, first, Math.max(width, String(first).length)) : range(first, last)} overlaps production ${r.productionId} ("${r.name}", ${range(r.first, r.last)}); ` +
        `leave out --bates-start to continue at ${formatBates(prefix, nextBatesNumber(data, prefix), width)}, or choose another prefix.`,
      { field: 'batesStart', productionId: r.productionId },
    );
  }
}
