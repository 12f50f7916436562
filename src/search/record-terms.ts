/**
 * A message record's index terms, computed where the record is parsed (the parser thread during an
 * import), so the writer thread only maps terms to ids instead of reading each committed message
 * back and tokenising it. The fields are the ones docs.ts reads from the case, in the same order.
 */
import type { MessageRecord } from '../importers/types.ts';
import { docFields } from './docs.ts';
import { scan } from './tokenize.ts';

/** Terms in index order, with '' (term id 0) between fields so a phrase never spans two. */
export function recordTerms(r: MessageRecord): string[] {
  return fieldTerms(docFields(r.subject, r.text, (r.edits ?? []).map((e) => e.text), (r.attachments ?? []).map((a) => a.name)));
}

/** The terms of a message's fields in order, '' between fields: what the stored index keeps per message. */
export function fieldTerms(fields: readonly string[]): string[] {
  const out: string[] = [];
  const sink = (term: string) => void out.push(term);
  for (let f = 0; f < fields.length; f++) {
    if (f > 0) out.push('');
    scan(fields[f]!, sink);
  }
  return out;
}

/** One string per message crosses the thread boundary far cheaper than an array of strings (terms never hold NUL). */
export function joinTerms(terms: readonly string[]): string | null {
  return terms.length === 0 ? null : terms.join('\0');
}

export function splitTerms(joined: string | null): string[] {
  return joined === null ? [] : joined.split('\0');
}
