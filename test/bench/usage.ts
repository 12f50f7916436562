/** What the benchmarks' own process has used so far: CPU seconds (user and system, every thread) and peak memory. */
export function cpuSeconds(): number {
  const u = process.resourceUsage();
  return (u.userCPUTime + u.systemCPUTime) / 1e6;
}

export function maxRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
