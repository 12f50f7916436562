/** Bates numbers: PREFIX followed by a zero-padded counter of fixed width (HF0000001). */
import { HoldfastError } from '../api/errors.ts';

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

  /** The number the next take() will return, without taking it. */
  peek(): string {
    return formatBates(this.prefix, this.next, this.width);
  }
}
