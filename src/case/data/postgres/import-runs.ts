import type { Bridge } from './bridge.ts';
import type { ImportRunReader, ImportRunWriter, TransactionWriter } from '../interface.ts';
import { ingestWriter } from './ingest-writer.ts';

export function importRunReader(b: Bridge): ImportRunReader {
  return {
    sourceBySha256: (sha256) => b.get<{ id: number; format: string }>('SELECT id, format FROM sources WHERE sha256 = $1', [sha256]),
    occurrenceCount: (sourceId) => b.value<number>('SELECT count(*) FROM message_occurrences WHERE source_id = $1', [sourceId]) ?? 0,
    running: () => b.column<number>("SELECT id FROM import_runs WHERE status = 'running' ORDER BY id"),
    anyRunning: () => b.get("SELECT 1 FROM import_runs WHERE status = 'running' LIMIT 1") !== undefined,
  };
}

/** Run-id rollback: every row an import writes carries its run's id, so removing a run is a DELETE per table. */
export function importRunWriter(b: Bridge, transaction: TransactionWriter): ImportRunWriter {
  return {
    start: (run) =>
      transaction.run(() => {
        // The messages sequence's last value: ids are never handed out twice, so the run's messages are above it.
        const runId = b.value<number>(
          `INSERT INTO import_runs(source_path, source_sha256, importer, importer_version, started_at, status, pid, messages_after)
           VALUES ($1, $2, $3, $4, $5, 'running', $6, coalesce(pg_sequence_last_value(pg_get_serial_sequence('messages', 'id')::regclass), 0)) RETURNING id`,
          [run.path, run.sha256, run.importer, run.importerVersion, run.at, run.pid],
        )!;
        let custodianId: number | null = null;
        if (run.custodian) {
          b.run('INSERT INTO custodians(name, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING', [run.custodian, run.at]);
          custodianId = b.value<number>('SELECT id FROM custodians WHERE name = $1', [run.custodian])!;
        }
        const sourceId = b.value<number>(
          `INSERT INTO sources(path, name, size, sha256, format, importer_version, custodian_id, tz, tz_reason, date_order, options, imported_at, run_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
          [run.path, run.name, run.size, run.sha256, run.importer, run.importerVersion, custodianId, run.tz, run.tzReason, run.dateOrder, run.options, run.at, runId],
        )!;
        return { runId, custodianId, sourceId };
      }),
    ingest: (ids) => ingestWriter(b, ids),
    deleteRows: (runId) => {
      const after = b.value<number>('SELECT messages_after FROM import_runs WHERE id = $1', [runId]) ?? 0;
      // The run's messages: $1 is the run, $2 the id they are all above.
      const msgs = 'SELECT id FROM messages WHERE id > $2 AND run_id = $1';
      const withMessages = (sql: string) => b.run(sql, [runId, after]);
      const ofRun = (sql: string) => b.run(sql, [runId]);
      withMessages(`DELETE FROM hold_items WHERE message_id IN (${msgs})`);
      withMessages(`DELETE FROM message_tags WHERE message_id IN (${msgs})`);
      withMessages(`DELETE FROM notes WHERE message_id IN (${msgs})`);
      withMessages(`DELETE FROM reactions WHERE run_id = $1 OR message_id IN (${msgs})`);
      withMessages(`DELETE FROM message_edits WHERE run_id = $1 OR message_id IN (${msgs})`);
      withMessages(`DELETE FROM attachments WHERE run_id = $1 OR message_id IN (${msgs})`);
      withMessages(`DELETE FROM message_recipients WHERE run_id = $1 OR message_id IN (${msgs})`);
      ofRun('DELETE FROM message_occurrences WHERE source_id IN (SELECT id FROM sources WHERE run_id = $1)');
      withMessages(`UPDATE messages SET reply_to_id = NULL WHERE reply_to_id IN (${msgs})`);
      const messages = withMessages('DELETE FROM messages WHERE id > $2 AND run_id = $1');
      ofRun('DELETE FROM conversation_members WHERE run_id = $1');
      ofRun('DELETE FROM conversation_names WHERE run_id = $1');
      ofRun('DELETE FROM conversation_aliases WHERE run_id = $1');
      ofRun('DELETE FROM handle_names WHERE run_id = $1');
      ofRun('DELETE FROM conversations WHERE run_id = $1 AND id NOT IN (SELECT conversation_id FROM messages)');
      ofRun(
        `DELETE FROM handles WHERE run_id = $1 AND id NOT IN (SELECT sender_handle_id FROM messages WHERE sender_handle_id IS NOT NULL)
           AND id NOT IN (SELECT handle_id FROM reactions WHERE handle_id IS NOT NULL) AND id NOT IN (SELECT handle_id FROM conversation_members)
           AND id NOT IN (SELECT handle_id FROM message_recipients)`,
      );
      b.run('DELETE FROM participants WHERE id NOT IN (SELECT participant_id FROM handles WHERE participant_id IS NOT NULL)');
      const unused = 'run_id = $1 AND sha256 NOT IN (SELECT sha256 FROM attachments WHERE sha256 IS NOT NULL)';
      ofRun(`DELETE FROM blob_chunks WHERE sha256 IN (SELECT sha256 FROM blobs WHERE ${unused})`);
      ofRun(`DELETE FROM blobs WHERE ${unused}`);
      // Chunks staged by a killed blob write were never renamed to their hash.
      b.run("DELETE FROM blob_chunks WHERE sha256 LIKE 'staging:%'");
      ofRun('DELETE FROM source_files WHERE run_id = $1');
      ofRun('DELETE FROM sources WHERE run_id = $1');
      return { messages };
    },
    finish: (runId, status, at, stats) => {
      b.run('UPDATE import_runs SET status = $1, finished_at = $2, stats = $3 WHERE id = $4', [status, at, stats, runId]);
    },
  };
}
