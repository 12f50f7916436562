/**
 * A database address and its password apart: a job's request names the matter's database by an
 * address without the password, which its worker gets in its own environment (PGPASSWORD, read by
 * `pg`) instead. The server's own PGPASSWORD needs no splitting: the workers inherit it.
 */
export function splitPassword(url: string): { url: string; password: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not a URL (a connection the bridge will refuse with its own message): nothing to take out.
    return { url, password: '' };
  }
  if (!parsed.password) return { url, password: '' };
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return { url: parsed.toString(), password };
}

/** The address with its password put back (for a connection of the process that split it). */
export function joinPassword(url: string, password: string): string {
  if (!password) return url;
  const parsed = new URL(url);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}
