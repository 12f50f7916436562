/** The last searches run on this computer (newest first), offered under the search box. */
const KEY = 'holdfast.recentSearches';
const KEEP = 12;

export function recentSearches(): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export function rememberSearch(q: string): void {
  const t = q.trim();
  if (!t) return;
  try {
    localStorage.setItem(KEY, JSON.stringify([t, ...recentSearches().filter((x) => x !== t)].slice(0, KEEP)));
  } catch {
    // Storage may be unavailable: nothing is remembered then.
  }
}
