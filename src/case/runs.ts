/**
 * Import runs: every row an import writes carries its run id, so a run that failed, was cancelled
 * or was killed is removed completely, and the next import of the same source starts clean.
 */
import type { DB } from './data/sqlcipher/connection.ts';
import { appendAudit } from './audit.ts';
import { dataOfConnection } from './data/index.ts';

export type RunStatus = 'running' | 'complete' | 'failed' | 'interrupted' | 'cancelled';

/** Removes everything run `runId` wrote. Call inside a transaction. */
export function deleteRunRows(db: DB, runId: number): { messages: number } {
  return dataOfConnection(db).write.importRuns.deleteRows(runId);
}

export function finishRun(db: DB, runId: number, status: Exclude<RunStatus, 'running'>, stats: unknown): void {
  dataOfConnection(db).write.importRuns.finish(runId, status, Date.now(), JSON.stringify(stats ?? {}));
}

/** Runs left 'running' by a process that died: roll back and mark interrupted. Caller holds the write lock. */
export function recoverInterruptedRuns(db: DB): number[] {
  const data = dataOfConnection(db);
  const runs = data.read.importRuns.running();
  for (const runId of runs) {
    data.write.transaction.run(() => {
      const { messages } = deleteRunRows(db, runId);
      finishRun(db, runId, 'interrupted', { rolledBackMessages: messages });
      appendAudit(dataOfConnection(db), 'holdfast', 'import.rollback', { runId, reason: 'interrupted', rolledBackMessages: messages });
    });
  }
  return runs;
}
