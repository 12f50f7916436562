/**
 * `holdfast server-import`: a case file into a new matter. The rows are copied as they are
 * (src/case/data/postgres/case-copy.ts); then every attachment's content is hashed again and must
 * give its SHA-256, the audit chain must verify and end where the case file's did, and the import is
 * the matter's next audit entry.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { HoldfastError } from '../../api/errors.ts';
import { openSession } from '../../app/open-session.ts';
import { appendAudit, verifyAuditChain } from '../../case/audit.ts';
import { dataOf } from '../../case/data/index.ts';
import type { CaseData } from '../../case/data/interface.ts';
import { copyCaseIntoMatter } from '../../case/data/postgres/case-copy.ts';
import { openPostgresData } from '../../case/data/postgres/index.ts';

export interface CaseImportReport {
  matter: string;
  file: string;
  /** Rows copied per table. */
  rows: Record<string, number>;
  /** Attachment contents whose SHA-256 was checked after the copy. */
  blobsVerified: number;
  /** Audit entries carried over (the chain verified), before the import's own. */
  auditEntries: number;
}

export function importCaseFile(opts: { file: string; passphrase: string; databaseUrl: string; matter: string; actor: string }): CaseImportReport {
  const source = openSession(opts.file, opts.passphrase, { readonly: true });
  try {
    const sourceData = dataOf(source);
    const chain = verifiedChain(sourceData, `The case file ${opts.file}`);
    const blobs = sourceData.read.blobContent.all();
    const rows = copyCaseIntoMatter(source, opts.databaseUrl, opts.matter);
    const matter = openPostgresData(opts.databaseUrl, { matter: opts.matter });
    try {
      const copied = verifiedChain(matter, `The matter ${opts.matter}`);
      if (copied.checked !== chain.checked || copied.head !== chain.head) {
        throw new HoldfastError('VERIFY_FAILED', `The matter's audit log ends at entry ${copied.checked} (${copied.head}), the case file's at ${chain.checked} (${chain.head}).`);
      }
      const arrived = matter.read.blobContent.all();
      if (JSON.stringify(arrived) !== JSON.stringify(blobs)) throw new HoldfastError('VERIFY_FAILED', `The matter holds ${arrived.length} attachment contents, the case file ${blobs.length}.`);
      for (const blob of arrived) verifiedBlob(matter, blob);
      matter.write.transaction.run(() =>
        appendAudit(matter, opts.actor, 'matter.import', { file: path.basename(opts.file), rows, blobsVerified: arrived.length, auditEntries: chain.checked, auditHead: chain.head }),
      );
      return { matter: opts.matter, file: opts.file, rows, blobsVerified: arrived.length, auditEntries: chain.checked };
    } finally {
      matter.close();
    }
  } finally {
    source.close();
  }
}

export function verifiedChain(data: CaseData, what: string): { checked: number; head: string | null } {
  const { checked, problems } = verifyAuditChain(data);
  if (problems.length) throw new HoldfastError('VERIFY_FAILED', `${what}: its audit log does not verify (${problems[0]!.message}).`, { problems: problems.slice(0, 20) });
  return { checked, head: data.read.audit.last()?.hash ?? null };
}

export function verifiedBlob(data: CaseData, blob: { sha256: string; size: number }): void {
  const hash = createHash('sha256');
  let size = 0;
  for (const chunk of data.read.blobContent.chunks(blob.sha256)) {
    hash.update(chunk);
    size += chunk.length;
  }
  const got = hash.digest('hex');
  if (got !== blob.sha256 || size !== blob.size) {
    throw new HoldfastError('VERIFY_FAILED', `Attachment content ${blob.sha256} arrived as ${size} bytes hashing to ${got}.`, { sha256: blob.sha256 });
  }
}
