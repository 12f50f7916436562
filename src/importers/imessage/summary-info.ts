/**
 * `message.message_summary_info`: a binary plist that, since iOS 16 / macOS Ventura, records what the
 * sender did to a message after sending it.
 * - `otr`: the message's parts, `{ "<part>": { lo, le } }` (UTF-16 location and length in the original text).
 * - `ec`: edit history per part, `{ "<part>": [ { d: seconds since 2001, t: attributed body, bcg?: guid } ] }`,
 *   oldest first; the last entry is the part's current text. `t` is a typedstream NSAttributedString
 *   (or, from some systems, an NSKeyedArchiver one).
 * - `rp`: the parts that were unsent (retracted).
 */
import { salvageAttributedBody } from './attributed-body.ts';
import { looksLikeTypedStream, TypedStreamError } from './typedstream.ts';
import { isBinaryPlist, isRecord, keyedText, parseBinaryPlist, PlistError, unarchiveKeyed } from './plists.ts';
import { appleSecondsToMs } from './apple-time.ts';

export interface PartEdit {
  /** UTC ms of this version. */
  at: number;
  text: string;
  /** GUID of a message the edit produced (an edit that turned into a link preview). */
  guid?: string;
}

export interface SummaryInfo {
  /** Number of parts `otr` lists (0 when absent). */
  partCount: number;
  /** Edit history per part index, oldest first, the last entry being the current text. */
  edits: Map<number, PartEdit[]>;
  /** Parts the sender unsent. */
  unsentParts: number[];
  /** Entries that could not be read (kept going without them). */
  problems: string[];
}

/** Decodes a summary-info plist. PlistError when the blob is not a readable dictionary at all. */
export function parseSummaryInfo(bytes: Uint8Array): SummaryInfo {
  const root = parseBinaryPlist(bytes);
  if (!isRecord(root)) throw new PlistError('message_summary_info is not a dictionary');
  const info: SummaryInfo = { partCount: 0, edits: new Map(), unsentParts: [], problems: [] };
  if (isRecord(root.otr)) info.partCount = Object.keys(root.otr).length;
  if (Array.isArray(root.rp)) {
    for (const p of root.rp) if (typeof p === 'number' && Number.isInteger(p) && p >= 0) info.unsentParts.push(p);
  }
  if (isRecord(root.ec)) {
    for (const [key, events] of Object.entries(root.ec)) {
      const part = Number(key);
      if (!Number.isInteger(part) || part < 0 || !Array.isArray(events)) {
        info.problems.push(`edit history entry "${key}" is not a list for a message part`);
        continue;
      }
      const history: PartEdit[] = [];
      events.forEach((event, i) => {
        const where = `edit ${i + 1} of part ${part}`;
        if (!isRecord(event) || typeof event.d !== 'number' || !(event.t instanceof Uint8Array)) {
          info.problems.push(`${where} lacks its date or text`);
          return;
        }
        try {
          history.push({ at: appleSecondsToMs(event.d), text: editText(event.t), ...(typeof event.bcg === 'string' ? { guid: event.bcg } : {}) });
        } catch (err) {
          info.problems.push(`${where}: ${err instanceof Error ? err.message : String(err)}`);
        }
      });
      if (history.length) info.edits.set(part, history);
    }
  }
  return info;
}

/** The text of one archived version. */
function editText(bytes: Uint8Array): string {
  if (looksLikeTypedStream(bytes)) {
    try {
      return salvageAttributedBody(bytes).text;
    } catch (err) {
      if (err instanceof TypedStreamError && err.reason === 'empty') return '';
      throw err;
    }
  } else if (isBinaryPlist(bytes)) {
    const value = keyedText(unarchiveKeyed(parseBinaryPlist(bytes)));
    if (value === undefined) throw new PlistError('archived edit is not an attributed string');
    return value;
  }
  throw new PlistError('archived edit is neither a typedstream nor a keyed archive');
}
