/**
 * `holdfast server-export`: a matter written out as a new case file, checked as an import is: every
 * attachment's content in the file is hashed again, its audit chain must verify and end where the
 * matter's did, and the export is the matter's next audit entry.
 */
import path from 'node:path';
import { HoldfastError } from '../../api/errors.ts';
import { openSession } from '../../app/open-session.ts';
import { appendAudit } from '../../case/audit.ts';
import { dataOf } from '../../case/data/index.ts';
import { copyMatterIntoCase } from '../../case/data/postgres/case-copy.ts';
import { openPostgresData } from '../../case/data/postgres/index.ts';
import { verifiedBlob, verifiedChain } from './case-import.ts';

export interface CaseExportReport {
  matter: string;
  file: string;
  rows: Record<string, number>;
  blobsVerified: number;
  auditEntries: number;
}

export function exportMatter(opts: { databaseUrl: string; matter: string; file: string; passphrase: string; actor: string }): CaseExportReport {
  const rows = copyMatterIntoCase(opts.databaseUrl, opts.matter, opts.file, opts.passphrase);
  const matter = openPostgresData(opts.databaseUrl, { matter: opts.matter });
  try {
    const chain = verifiedChain(matter, `The matter ${opts.matter}`);
    const blobs = matter.read.blobContent.all();
    const exported = openSession(opts.file, opts.passphrase, { readonly: true });
    try {
      const data = dataOf(exported);
      const copied = verifiedChain(data, `The case file ${opts.file}`);
      if (copied.checked !== chain.checked || copied.head !== chain.head) {
        throw new HoldfastError('VERIFY_FAILED', `The case file's audit log ends at entry ${copied.checked} (${copied.head}), the matter's at ${chain.checked} (${chain.head}).`);
      }
      const arrived = data.read.blobContent.all();
      if (JSON.stringify(arrived) !== JSON.stringify(blobs)) throw new HoldfastError('VERIFY_FAILED', `The case file holds ${arrived.length} attachment contents, the matter ${blobs.length}.`);
      for (const blob of arrived) verifiedBlob(data, blob);
    } finally {
      exported.close();
    }
    matter.write.transaction.run(() =>
      appendAudit(matter, opts.actor, 'matter.export', { file: path.basename(opts.file), rows, blobsVerified: blobs.length, auditEntries: chain.checked, auditHead: chain.head }),
    );
    return { matter: opts.matter, file: opts.file, rows, blobsVerified: blobs.length, auditEntries: chain.checked };
  } finally {
    matter.close();
  }
}
