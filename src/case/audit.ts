/**
 * The append-only, hash-chained audit log. Each entry's hash covers the previous entry's hash and
 * the canonical JSON of its own content, so any edit, insertion or deletion breaks the chain.
 * Triggers in the schema refuse UPDATE and DELETE; `verifyAuditChain` catches edits made around them.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';
import type { AuditStoredRow as AuditRow, CaseData } from './data/interface.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  seq: number;
  at: number;
  actor: string;
  action: string;
  details: unknown;
  prevHash: string;
  hash: string;
}

export function auditHash(prevHash: string, entry: { seq: number; at: number; actor: string; action: string; details: string }): string {
  return createHash('sha256')
    .update(prevHash)
    .update(canonicalJson({ seq: entry.seq, at: entry.at, actor: entry.actor, action: entry.action, details: entry.details }))
    .digest('hex');
}

/** Appends one entry; call inside the transaction that makes the change it records. */
export function appendAudit(data: CaseData, actor: string, action: string, details: unknown, at = Date.now()): AuditEntry {
  const last = data.read.audit.last();
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS_HASH;
  const detailsJson = canonicalJson(details ?? {});
  const hash = auditHash(prevHash, { seq, at, actor, action, details: detailsJson });
  data.write.audit.append({ seq, at, actor, action, details: detailsJson, prev_hash: prevHash, hash });
  return { seq, at, actor, action, details: details ?? {}, prevHash, hash };
}

export function listAudit(data: CaseData, opts: { action?: string; afterSeq?: number; limit?: number } = {}): AuditEntry[] {
  const rows = data.read.audit.after(opts.afterSeq ?? 0, opts.action, opts.limit ?? -1);
  return rows.map(toEntry);
}

function toEntry(r: AuditRow): AuditEntry {
  return { seq: r.seq, at: r.at, actor: r.actor, action: r.action, details: JSON.parse(r.details), prevHash: r.prev_hash, hash: r.hash };
}

export interface Problem {
  table: string;
  id: string | number;
  field: string;
  message: string;
}

export function verifyAuditChain(data: CaseData): { checked: number; problems: Problem[] } {
  const problems: Problem[] = [];
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  for (const r of data.read.audit.chain()) {
    checked++;
    if (r.seq !== expectedSeq) problems.push({ table: 'audit_log', id: r.seq, field: 'seq', message: `entry ${expectedSeq} is missing (next is ${r.seq})` });
    if (r.prev_hash !== prev) problems.push({ table: 'audit_log', id: r.seq, field: 'prev_hash', message: 'does not match the previous entry: an entry was removed or altered' });
    const recomputed = auditHash(r.prev_hash, r);
    if (recomputed !== r.hash) problems.push({ table: 'audit_log', id: r.seq, field: 'hash', message: `content was changed after it was written (action ${r.action})` });
    prev = r.hash;
    expectedSeq = r.seq + 1;
  }
  return { checked, problems };
}
