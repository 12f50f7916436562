/**
 * Audit entries that list what an action touched. A retention run can purge a million messages;
 * one JSON entry that size would be slow to hash and to read, so long lists are split over
 * consecutive entries (`part` of `parts`), all written in the caller's transaction.
 */
import { appendAudit } from '../case/audit.ts';
import type { CaseData } from '../case/data/interface.ts';

export const AUDIT_ITEMS_PER_ENTRY = 10_000;

/** `details(slice, first)` builds each entry from its slice of `items`; `first` is true for the first entry only. */
export function appendAuditItems<T>(
  data: CaseData,
  actor: string,
  action: string,
  items: readonly T[],
  details: (slice: readonly T[], first: boolean) => Record<string, unknown>,
  at = Date.now(),
): number[] {
  if (items.length <= AUDIT_ITEMS_PER_ENTRY) return [appendAudit(data, actor, action, details(items, true), at).seq];
  const parts = Math.ceil(items.length / AUDIT_ITEMS_PER_ENTRY);
  const seqs: number[] = [];
  for (let part = 0; part < parts; part++) {
    const slice = items.slice(part * AUDIT_ITEMS_PER_ENTRY, (part + 1) * AUDIT_ITEMS_PER_ENTRY);
    seqs.push(appendAudit(data, actor, action, { ...details(slice, part === 0), part: part + 1, parts }, at).seq);
  }
  return seqs;
}
