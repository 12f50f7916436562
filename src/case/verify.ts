/**
 * `verify`: recompute the audit chain, every message's content hash and every blob's SHA-256, and
 * name each mismatch (table, id, field) — an edit made behind the application's back shows here.
 */
import type { VerifyResultDTO, VerifyProblemDTO } from '../api/dto.ts';
import { verifyAuditChain } from './audit.ts';
import { messageContentHash } from './message-hash.ts';
import { hashStoredBlob } from './blobs.ts';
import type { CaseData } from './data/interface.ts';

export type ExtraCheck = (data: CaseData) => { checked: number; problems: VerifyProblemDTO[] };

export function verifyCase(data: CaseData, extraChecks: readonly ExtraCheck[] = []): VerifyResultDTO {
  const audit = verifyAuditChain(data);
  const problems: VerifyProblemDTO[] = [...audit.problems];
  let checked = audit.checked;
  const read = data.read;
  for (const row of read.messageView.stored()) {
    checked++;
    if (messageContentHash(row) !== row.content_sha256) {
      problems.push({ table: 'messages', id: row.id, field: 'content_sha256', message: `message ${row.id} differs from what was imported (its stored fields were changed)` });
    }
  }
  const blobs = read.blobContent.all();
  for (const b of blobs) {
    checked++;
    const actual = hashStoredBlob(data, b.sha256);
    if (actual.sha256 !== b.sha256) problems.push({ table: 'blobs', id: b.sha256, field: 'data', message: `attachment content ${b.sha256.slice(0, 12)}… was changed (now hashes to ${actual.sha256.slice(0, 12)}…)` });
    else if (actual.size !== b.size) problems.push({ table: 'blobs', id: b.sha256, field: 'size', message: `attachment size recorded as ${b.size}, stored ${actual.size}` });
  }
  for (const check of extraChecks) {
    const r = check(data);
    checked += r.checked;
    problems.push(...r.problems);
  }
  return { ok: problems.length === 0, checked, problems };
}
