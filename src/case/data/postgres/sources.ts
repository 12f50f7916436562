import type { Bridge } from './bridge.ts';
import type { SourceListRow, SourceReader, UnfinishedRunRow } from '../interface.ts';

export function sourceReader(b: Bridge): SourceReader {
  return {
    list: () =>
      b.all<SourceListRow>(
        `SELECT s.*, c.name AS custodian, r.started_at, r.finished_at, r.status, r.stats,
           (SELECT count(*) FROM message_occurrences o WHERE o.source_id = s.id) AS messages,
           (SELECT count(*) FROM source_files f WHERE f.source_id = s.id) AS files,
           a.seq AS audit_seq, a.details AS audit_details
         FROM sources s LEFT JOIN custodians c ON c.id = s.custodian_id LEFT JOIN import_runs r ON r.id = s.run_id
         LEFT JOIN audit_log a ON a.seq = (SELECT max(seq) FROM audit_log WHERE action = 'import' AND details::jsonb -> 'sourceId' = to_jsonb(s.id))
         ORDER BY s.imported_at, s.id`,
      ),
    unfinishedRuns: () =>
      b.all<UnfinishedRunRow>(
        "SELECT id, source_path, source_sha256, importer, importer_version, started_at, finished_at, status, stats FROM import_runs WHERE status <> 'complete' ORDER BY started_at, id",
      ),
    exists: (sourceId) => b.get('SELECT 1 FROM sources WHERE id = $1', [sourceId]) !== undefined,
    fileCount: (sourceId) => b.value<number>('SELECT count(*) FROM source_files WHERE source_id = $1', [sourceId]) ?? 0,
    files: (sourceId, limit, offset) =>
      b.all('SELECT inner_path AS path, size, sha256 FROM source_files WHERE source_id = $1 ORDER BY inner_path LIMIT $2 OFFSET $3', [sourceId, limit, offset]),
  };
}
