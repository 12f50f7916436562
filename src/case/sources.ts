/**
 * Chain of custody: every source in the case with its SHA-256, the importer and version that read
 * it, the time-zone decision, its run's counts and warnings, and the import report (kept in the
 * signed audit entry of the import); runs that did not complete are listed beside them.
 */
import type { ImportReportDTO, ImportWarningDTO, SourceFileDTO, SourcesDTO } from '../api/dto.ts';
import { isoTime } from '../api/dto.ts';
import { HoldfastError } from '../api/errors.ts';
import type { CaseData } from './data/interface.ts';

interface RunStats { messages?: number; conversations?: number; attachments?: number; duplicatesSkipped?: number; warnings?: number; held?: number }

/** `formatName` names an importer id for people (the app layer knows the importers). */
export function listSources(data: CaseData, formatName: (format: string) => string): SourcesDTO {
  const read = data.read.sources;
  const rows = read.list();
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
  const otherRuns = read
    .unfinishedRuns()
    .map((r) => ({
      runId: r.id, path: r.source_path, sha256: r.source_sha256, format: r.importer, importerVersion: r.importer_version,
      startedAt: isoTime(r.started_at)!, finishedAt: isoTime(r.finished_at), status: r.status,
      rolledBackMessages: (JSON.parse(r.stats) as { rolledBackMessages?: number }).rolledBackMessages ?? 0,
    }));
  return { sources, otherRuns };
}

/** The files read inside a source (zip entries, backup files), each with its size and SHA-256. */
export function sourceFiles(data: CaseData, args: { sourceId: number; offset: number; limit: number }): { total: number; files: SourceFileDTO[] } {
  const read = data.read.sources;
  if (!read.exists(args.sourceId)) throw new HoldfastError('NOT_FOUND', `No source with id ${args.sourceId} in this case.`, { sourceId: args.sourceId });
  const total = read.fileCount(args.sourceId);
  const files: SourceFileDTO[] = read.files(args.sourceId, args.limit, args.offset);
  return { total, files };
}
