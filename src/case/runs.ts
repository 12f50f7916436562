/**
 * Import runs: every row an import writes carries its run id, so a run that failed, was cancelled
 * or was killed is removed completely, and the next import of the same source starts clean.
 */
import type { DB } from './store.ts';
import { appendAudit } from './audit.ts';

export type RunStatus = 'running' | 'complete' | 'failed' | 'interrupted' | 'cancelled';

/** Removes everything run `runId` wrote. Call inside a transaction. */
export function deleteRunRows(db: DB, runId: number): { messages: number } {
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
}

export function finishRun(db: DB, runId: number, status: Exclude<RunStatus, 'running'>, stats: unknown): void {
  db.prepare('UPDATE import_runs SET status = ?, finished_at = ?, stats = ? WHERE id = ?').run(status, Date.now(), JSON.stringify(stats ?? {}), runId);
}

/** Runs left 'running' by a process that died: roll back and mark interrupted. Caller holds the write lock. */
export function recoverInterruptedRuns(db: DB): number[] {
  const runs = db.prepare("SELECT id FROM import_runs WHERE status = 'running'").pluck().all() as number[];
  for (const runId of runs) {
    db.transaction(() => {
      const { messages } = deleteRunRows(db, runId);
      finishRun(db, runId, 'interrupted', { rolledBackMessages: messages });
      appendAudit(db, 'holdfast', 'import.rollback', { runId, reason: 'interrupted', rolledBackMessages: messages });
    })();
  }
  return runs;
}
