/**
 * Chain of custody: every source in the case with its SHA-256, the importer and version that read
 * it, the time-zone decision, its run's counts and warnings, and the import report (kept in the
 * signed audit entry of the import); runs that did not complete are listed beside them.
 */
import type { ImportReportDTO, ImportWarningDTO, SourceFileDTO, SourcesDTO } from '../api/dto.ts';
import { isoTime } from '../api/dto.ts';
import { HoldfastError } from '../api/errors.ts';
import type { DB } from './store.ts';

interface SourceRow {
  id: number; path: string; name: string; size: number; sha256: string; format: string; importer_version: string;
  custodian: string | null; tz: string; tz_reason: string | null; date_order: string | null; imported_at: number; run_id: number;
  started_at: number | null; finished_at: number | null; status: string | null; stats: string | null;
  messages: number; files: number; audit_seq: number | null; audit_details: string | null;
}

interface RunStats { messages?: number; conversations?: number; attachments?: number; duplicatesSkipped?: number; warnings?: number; held?: number }

/** `formatName` names an importer id for people (the app layer knows the importers). */
export function listSources(db: DB, formatName: (format: string) => string): SourcesDTO {
  const rows = db
    .prepare(
      `SELECT s.*, c.name AS custodian, r.started_at, r.finished_at, r.status, r.stats,
         (SELECT count(*) FROM message_occurrences o WHERE o.source_id = s.id) AS messages,
         (SELECT count(*) FROM source_files f WHERE f.source_id = s.id) AS files,
         a.seq AS audit_seq, a.details AS audit_details
       FROM sources s LEFT JOIN custodians c ON c.id = s.custodian_id LEFT JOIN import_runs r ON r.id = s.run_id
       LEFT JOIN audit_log a ON a.seq = (SELECT max(seq) FROM audit_log WHERE action = 'import' AND json_extract(details, '$.sourceId') = s.id)
       ORDER BY s.imported_at, s.id`,
    )
    .all() as SourceRow[];
  const sources = rows.map((r) => {
    const stats = JSON.parse(r.stats ?? '{}') as RunStats;
    const audited = r.audit_details ? (JSON.parse(r.audit_details) as { report?: ImportReportDTO; warningsListed?: ImportWarningDTO[] }) : {};
    return {
      id: r.id, name: r.name, path: r.path, size: r.size, sha256: r.sha256,
      format: r.format, formatName: formatName(r.format), importerVersion: r.importer_version,
      custodian: r.custodian, timeZone: r.tz, timeZoneReason: r.tz_reason, dateOrder: r.date_order,
      importedAt: isoTime(r.imported_at)!, runId: r.run_id, runStatus: r.status ?? 'unknown',
      startedAt: isoTime(r.started_at), finishedAt: isoTime(r.finished_at),
      messages: r.messages, files: r.files,
      stats: { conversations: stats.conversations ?? 0, attachments: stats.attachments ?? 0, duplicatesSkipped: stats.duplicatesSkipped ?? 0, warnings: stats.warnings ?? 0, held: stats.held ?? 0 },
      report: audited.report ?? null, warningsListed: audited.warningsListed ?? null, auditSeq: r.audit_seq,
    };
  });
  const otherRuns = (db
    .prepare("SELECT id, source_path, source_sha256, importer, importer_version, started_at, finished_at, status, stats FROM import_runs WHERE status <> 'complete' ORDER BY started_at, id")
    .all() as { id: number; source_path: string; source_sha256: string; importer: string; importer_version: string; started_at: number; finished_at: number | null; status: string; stats: string }[])
    .map((r) => ({
      runId: r.id, path: r.source_path, sha256: r.source_sha256, format: r.importer, importerVersion: r.importer_version,
      startedAt: isoTime(r.started_at)!, finishedAt: isoTime(r.finished_at), status: r.status,
      rolledBackMessages: (JSON.parse(r.stats) as { rolledBackMessages?: number }).rolledBackMessages ?? 0,
    }));
  return { sources, otherRuns };
}

/** The files read inside a source (zip entries, backup files), each with its size and SHA-256. */
export function sourceFiles(db: DB, args: { sourceId: number; offset: number; limit: number }): { total: number; files: SourceFileDTO[] } {
  if (!db.prepare('SELECT 1 FROM sources WHERE id = ?').get(args.sourceId)) throw new HoldfastError('NOT_FOUND', `No source with id ${args.sourceId} in this case.`, { sourceId: args.sourceId });
  const total = db.prepare('SELECT count(*) FROM source_files WHERE source_id = ?').pluck().get(args.sourceId) as number;
  const files = db
    .prepare('SELECT inner_path AS path, size, sha256 FROM source_files WHERE source_id = ? ORDER BY inner_path LIMIT ? OFFSET ?')
    .all(args.sourceId, args.limit, args.offset) as SourceFileDTO[];
  return { total, files };
}
