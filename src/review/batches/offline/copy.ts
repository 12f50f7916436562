/**
 * The case file of an offline check-out: its first rows are the batch's, written in its creating
 * transaction after `case.create`, then its manifest as the audit entry `case.offline-copy` (the
 * matter's check-out record, the runs the batch's messages came from, what was copied). The
 * manifest is also the case fact `offline_checkout`, which the app reads to refuse what an offline
 * copy must not do (src/app/offline-guard.ts).
 */
import type { OfflineCheckoutDTO, OfflineManifestDTO } from '../../../api/offline-dto.ts';
import { appendAudit } from '../../../case/audit.ts';
import type { CaseData } from '../../../case/data/interface.ts';

export const COPY_ACTION = 'case.offline-copy';
const OFFLINE_META = 'offline_checkout';

/** Fills a new case with the check-out (the `fill` step of createSession). */
export function fillOfflineCopy(data: CaseData, dto: OfflineCheckoutDTO, at: number): void {
  data.write.slice.load(dto.tables);
  for (const blob of dto.blobs) {
    const put = data.write.blobContent.chunkWriter(blob.sha256);
    blob.chunks.forEach((chunk, seq) => put(seq, Buffer.from(chunk, 'base64')));
  }
  const m = dto.manifest;
  data.write.caseMeta.set(OFFLINE_META, JSON.stringify({ checkout: m.checkout, matter: m.matter, setName: m.setName, batchId: m.batchId, number: m.number }));
  appendAudit(data, m.by, COPY_ACTION, {
    manifest: m, runs: dto.runs, rows: Object.fromEntries(dto.tables.map((t) => [t.table, t.rows.length])), blobs: dto.blobs.length,
  }, at);
}

/** The manifest of an offline copy and the seq of its entry; undefined for any other case. */
export function offlineManifest(data: CaseData): { manifest: OfflineManifestDTO; seq: number } | undefined {
  const entry = data.read.audit.after(0, COPY_ACTION, 1)[0];
  return entry ? { manifest: (JSON.parse(entry.details) as { manifest: OfflineManifestDTO }).manifest, seq: entry.seq } : undefined;
}

/** What the case fact says of an offline copy (cheap: read before a method an offline copy refuses). */
export function offlineCopyOf(data: CaseData): { matter: string; number: number; setName: string } | undefined {
  const json = data.read.caseMeta.get(OFFLINE_META);
  return json ? (JSON.parse(json) as { matter: string; number: number; setName: string }) : undefined;
}
