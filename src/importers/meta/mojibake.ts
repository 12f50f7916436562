/**
 * Meta's "Download your information" JSON writes every byte of a string's UTF-8 encoding as its own
 * \u00XX escape, so "José 👍" arrives as "JosÃ© ð\u009f\u0091\u008d". The repair reads the string's
 * code units as Latin-1 bytes and decodes them as UTF-8 — only when every code unit is a byte, at
 * least one is non-ASCII, and the bytes are valid UTF-8; anything else is kept exactly as written.
 */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function repairMojibake(s: string): string {
  let high = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) return s;
    if (c >= 0x80) high = true;
  }
  if (!high) return s;
  try {
    return utf8.decode(Buffer.from(s, 'latin1'));
  } catch {
    return s;
  }
}
