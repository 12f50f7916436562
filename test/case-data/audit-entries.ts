/** Audit entries on the data interface alone, for back ends the SQLite-bound helpers of src/case/audit.ts cannot reach yet. */
import { auditHash, GENESIS_HASH } from '../../src/case/audit.ts';
import { canonicalJson } from '../../src/case/canonical-json.ts';
import type { CaseData } from '../../src/case/data/interface.ts';

/** appendAudit's steps (src/case/audit.ts) on the data interface: the head read and the entry appended in one transaction. */
export function appendEntry(data: CaseData, action: string, details: unknown, at = Date.now()): number {
  return data.write.transaction.run(() => {
    const last = data.read.audit.last();
    const seq = (last?.seq ?? 0) + 1;
    const prevHash = last?.hash ?? GENESIS_HASH;
    const json = canonicalJson(details);
    data.write.audit.append({ seq, at, actor: 'Tester', action, details: json, prev_hash: prevHash, hash: auditHash(prevHash, { seq, at, actor: 'Tester', action, details: json }) });
    return seq;
  });
}

/** verifyAuditChain's checks (src/case/audit.ts) over the chain the data interface reads. */
export function chainProblems(data: CaseData): string[] {
  const problems: string[] = [];
  let prev = GENESIS_HASH;
  let expected = 1;
  for (const r of data.read.audit.chain()) {
    if (r.seq !== expected) problems.push(`entry ${expected} missing (next is ${r.seq})`);
    if (r.prev_hash !== prev) problems.push(`entry ${r.seq}: prev_hash is not the previous hash`);
    if (auditHash(r.prev_hash, r) !== r.hash) problems.push(`entry ${r.seq}: hash does not match its content`);
    prev = r.hash;
    expected = r.seq + 1;
  }
  return problems;
}
