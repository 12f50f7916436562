/** Corpus sizes on the benchmarks' command lines: "100k", "1m", "2.5m". */
export function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(s.trim());
  if (!m) throw new Error(`--size: "${s}" is not a count like 100k or 1m`);
  return Math.round(Number(m[1]) * (m[2]?.toLowerCase() === 'm' ? 1e6 : m[2]?.toLowerCase() === 'k' ? 1e3 : 1));
}

/** 1000000 → "1M", 100000 → "100k" (corpus file names and table rows). */
export function label(n: number): string {
  return n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`;
}
