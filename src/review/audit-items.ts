/**
 * Audit entries that list what an action touched. A retention run can purge a million messages;
 * one JSON entry that size would be slow to hash and to read, so long lists are split over
 * consecutive entries (`part` of `parts`), all written in the caller's transaction.
 */
import type { DB } from '../case/store.ts';
import { appendAudit } from '../case/audit.ts';

export const AUDIT_ITEMS_PER_ENTRY = 10_000;

export function appendAuditItems(
  db: DB,
  actor: string,
  action: string,
  details: Record<string, unknown>,
  key: string,
  items: readonly unknown[],
  at = Date.now(),
): number[] {
  if (items.length <= AUDIT_ITEMS_PER_ENTRY) return [appendAudit(db, actor, action, { ...details, [key]: items }, at).seq];
  const parts = Math.ceil(items.length / AUDIT_ITEMS_PER_ENTRY);
  const seqs: number[] = [];
  for (let part = 0; part < parts; part++) {
    const slice = items.slice(part * AUDIT_ITEMS_PER_ENTRY, (part + 1) * AUDIT_ITEMS_PER_ENTRY);
    seqs.push(appendAudit(db, actor, action, { ...details, part: part + 1, parts, [key]: slice }, at).seq);
  }
  return seqs;
}
