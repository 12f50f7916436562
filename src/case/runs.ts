/**
 * Import runs: every row an import writes carries its run id, so a run that failed, was cancelled
 * or was killed is removed completely, and the next import of the same source starts clean.
 */
import { appendAudit } from './audit.ts';
import type { CaseData } from './data/interface.ts';

export type RunStatus = 'running' | 'complete' | 'failed' | 'interrupted' | 'cancelled';

/** Removes everything run `runId` wrote. Call inside a transaction. */
export function deleteRunRows(data: CaseData, runId: number): { messages: number } {
  return data.write.importRuns.deleteRows(runId);
}

export function finishRun(data: CaseData, runId: number, status: Exclude<RunStatus, 'running'>, stats: unknown): void {
  data.write.importRuns.finish(runId, status, Date.now(), JSON.stringify(stats ?? {}));
}

/** Runs left 'running' by a process that died: roll back and mark interrupted. Caller holds the write lock. */
export function recoverInterruptedRuns(data: CaseData): number[] {
  const runs = data.read.importRuns.running();
  for (const runId of runs) {
    data.write.transaction.run(() => {
      const { messages } = deleteRunRows(data, runId);
      finishRun(data, runId, 'interrupted', { rolledBackMessages: messages });
      appendAudit(data, 'holdfast', 'import.rollback', { runId, reason: 'interrupted', rolledBackMessages: messages });
    });
  }
  return runs;
}
