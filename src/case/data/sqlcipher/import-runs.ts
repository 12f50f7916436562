import type { DB } from './connection.ts';
import type { ImportRunReader, ImportRunWriter } from '../interface.ts';
import { ingestWriter } from './ingest-writer.ts';

export function importRunReader(db: DB): ImportRunReader {
  return {
    sourceBySha256: (sha256) => db.prepare('SELECT id, format FROM sources WHERE sha256 = ?').get(sha256) as { id: number; format: string } | undefined,
    occurrenceCount: (sourceId) => db.prepare('SELECT count(*) FROM message_occurrences WHERE source_id = ?').pluck().get(sourceId) as number,
    running: () => db.prepare("SELECT id FROM import_runs WHERE status = 'running'").pluck().all() as number[],
    anyRunning: () => db.prepare("SELECT 1 FROM import_runs WHERE status = 'running' LIMIT 1").get() !== undefined,
  };
}

export function importRunWriter(db: DB): ImportRunWriter {
  return {
    start: (run) =>
      db.transaction(() => {
        const runId = Number(
          db.prepare(
            `INSERT INTO import_runs(source_path, source_sha256, importer, importer_version, started_at, status, pid, messages_after)
             VALUES (?, ?, ?, ?, ?, 'running', ?, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'messages'), 0))`,
          ).run(run.path, run.sha256, run.importer, run.importerVersion, run.at, run.pid).lastInsertRowid,
        );
        let custodianId: number | null = null;
        if (run.custodian) {
          db.prepare('INSERT OR IGNORE INTO custodians(name, created_at) VALUES (?, ?)').run(run.custodian, run.at);
          custodianId = db.prepare('SELECT id FROM custodians WHERE name = ?').pluck().get(run.custodian) as number;
        }
        const sourceId = Number(
          db.prepare(
            `INSERT INTO sources(path, name, size, sha256, format, importer_version, custodian_id, tz, tz_reason, date_order, options, imported_at, run_id)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          ).run(
            run.path, run.name, run.size, run.sha256, run.importer, run.importerVersion, custodianId,
            run.tz, run.tzReason, run.dateOrder, run.options, run.at, runId,
          ).lastInsertRowid,
        );
        return { runId, custodianId, sourceId };
      })(),
    ingest: (ids) => ingestWriter(db, ids),
    deleteRows: (runId) => {
      const after = (db.prepare('SELECT messages_after FROM import_runs WHERE id = ?').pluck().get(runId) as number | undefined) ?? 0;
      const msgs = `SELECT id FROM messages WHERE id > ${Number(after)} AND run_id = ${Number(runId)}`;
      db.prepare(`DELETE FROM hold_items WHERE message_id IN (${msgs})`).run();
      db.prepare(`DELETE FROM message_tags WHERE message_id IN (${msgs})`).run();
      db.prepare(`DELETE FROM notes WHERE message_id IN (${msgs})`).run();
      db.prepare(`DELETE FROM reactions WHERE run_id = ? OR message_id IN (${msgs})`).run(runId);
      db.prepare(`DELETE FROM message_edits WHERE run_id = ? OR message_id IN (${msgs})`).run(runId);
      db.prepare(`DELETE FROM attachments WHERE run_id = ? OR message_id IN (${msgs})`).run(runId);
      db.prepare(`DELETE FROM message_recipients WHERE run_id = ? OR message_id IN (${msgs})`).run(runId);
      db.prepare('DELETE FROM message_occurrences WHERE source_id IN (SELECT id FROM sources WHERE run_id = ?)').run(runId);
      db.prepare(`UPDATE messages SET reply_to_id = NULL WHERE reply_to_id IN (${msgs})`).run();
      const { changes } = db.prepare('DELETE FROM messages WHERE id > ? AND run_id = ?').run(after, runId);
      db.prepare('DELETE FROM conversation_members WHERE run_id = ?').run(runId);
      db.prepare('DELETE FROM conversation_names WHERE run_id = ?').run(runId);
      db.prepare('DELETE FROM conversation_aliases WHERE run_id = ?').run(runId);
      db.prepare('DELETE FROM handle_names WHERE run_id = ?').run(runId);
      db.prepare('DELETE FROM conversations WHERE run_id = ? AND id NOT IN (SELECT conversation_id FROM messages)').run(runId);
      db.prepare(
        `DELETE FROM handles WHERE run_id = ? AND id NOT IN (SELECT sender_handle_id FROM messages WHERE sender_handle_id IS NOT NULL)
           AND id NOT IN (SELECT handle_id FROM reactions WHERE handle_id IS NOT NULL) AND id NOT IN (SELECT handle_id FROM conversation_members)
           AND id NOT IN (SELECT handle_id FROM message_recipients)`,
      ).run(runId);
      db.prepare('DELETE FROM participants WHERE id NOT IN (SELECT participant_id FROM handles WHERE participant_id IS NOT NULL)').run();
      db.prepare("DELETE FROM blob_chunks WHERE sha256 IN (SELECT sha256 FROM blobs WHERE run_id = ? AND sha256 NOT IN (SELECT sha256 FROM attachments WHERE sha256 IS NOT NULL))").run(runId);
      db.prepare('DELETE FROM blobs WHERE run_id = ? AND sha256 NOT IN (SELECT sha256 FROM attachments WHERE sha256 IS NOT NULL)').run(runId);
      // Chunks staged by a killed blob write were never renamed to their hash.
      db.prepare("DELETE FROM blob_chunks WHERE sha256 LIKE 'staging:%'").run();
      db.prepare('DELETE FROM source_files WHERE run_id = ?').run(runId);
      db.prepare('DELETE FROM sources WHERE run_id = ?').run(runId);
      return { messages: changes };
    },
    finish: (runId, status, at, stats) => {
      db.prepare('UPDATE import_runs SET status = ?, finished_at = ?, stats = ? WHERE id = ?').run(status, at, stats, runId);
    },
  };
}
