/** Telegram Desktop export text: a string, or an array of strings and entity objects, flattened to plain text. */

export type TelegramText = string | (string | { type?: string; text?: string; href?: string; user_id?: number | string })[] | undefined | null;

/** Zero-width characters Telegram uses as the visible text of invisible links (a preview image). */
const INVISIBLE = /^[\u200b\u200c\u200d\u2060\ufeff\s]*$/;

/** Plain text; a `text_link` whose text differs from its address keeps the address in angle brackets. */
export function flattenText(text: TelegramText): string {
  if (text === undefined || text === null) return '';
  if (typeof text === 'string') return text;
  let out = '';
  for (const part of text) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const t = typeof part.text === 'string' ? part.text : '';
    if (part.type === 'text_link' && part.href) {
      if (INVISIBLE.test(t)) out += part.href;
      else if (t.trim() === part.href) out += t;
      else out += `${t} <${part.href}>`;
    } else {
      out += t;
    }
  }
  return out;
}
