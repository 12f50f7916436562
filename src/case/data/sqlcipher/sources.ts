import type { DB } from './connection.ts';
import type { SourceListRow, SourceReader, UnfinishedRunRow } from '../interface.ts';

export function sourceReader(db: DB): SourceReader {
  return {
    list: () =>
      db
        .prepare(
          `SELECT s.*, c.name AS custodian, r.started_at, r.finished_at, r.status, r.stats,
             (SELECT count(*) FROM message_occurrences o WHERE o.source_id = s.id) AS messages,
             (SELECT count(*) FROM source_files f WHERE f.source_id = s.id) AS files,
             a.seq AS audit_seq, a.details AS audit_details
           FROM sources s LEFT JOIN custodians c ON c.id = s.custodian_id LEFT JOIN import_runs r ON r.id = s.run_id
           LEFT JOIN audit_log a ON a.seq = (SELECT max(seq) FROM audit_log WHERE action = 'import' AND json_extract(details, '$.sourceId') = s.id)
           ORDER BY s.imported_at, s.id`,
        )
        .all() as SourceListRow[],
    unfinishedRuns: () =>
      db
        .prepare("SELECT id, source_path, source_sha256, importer, importer_version, started_at, finished_at, status, stats FROM import_runs WHERE status <> 'complete' ORDER BY started_at, id")
        .all() as UnfinishedRunRow[],
    exists: (sourceId) => db.prepare('SELECT 1 FROM sources WHERE id = ?').get(sourceId) !== undefined,
    fileCount: (sourceId) => db.prepare('SELECT count(*) FROM source_files WHERE source_id = ?').pluck().get(sourceId) as number,
    files: (sourceId, limit, offset) =>
      db
        .prepare('SELECT inner_path AS path, size, sha256 FROM source_files WHERE source_id = ? ORDER BY inner_path LIMIT ? OFFSET ?')
        .all(sourceId, limit, offset) as { path: string; size: number; sha256: string }[],
  };
}
