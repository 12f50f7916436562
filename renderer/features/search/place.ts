/**
 * Where the reviewer was in a search (its address, current row, selection and scroll), kept when a
 * result is opened, so "Back to results" lands on the same row, not on row 1.
 */
export interface SearchPlace {
  /** The search's address (#/search?q=…). */
  hash: string;
  current: number | null;
  selected: number[];
  scrollTop: number;
}

let last: SearchPlace | null = null;

export function rememberPlace(place: SearchPlace): void {
  last = place;
}

/** The remembered place when it belongs to this search address. */
export function placeFor(hash: string): SearchPlace | null {
  return last && last.hash === hash ? last : null;
}

/** The address of the last search a result was opened from. */
export function lastResultsHref(): string | null {
  return last?.hash ?? null;
}
