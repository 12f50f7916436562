/**
 * A `verify` check that no message row was removed (or added) behind the application's back.
 * Each completed import's audit entry says how many messages its run added; every delete and
 * retention purge lists, in its audit entry, each message it removed with its run. So for every
 * run: rows present + rows removed with an audit entry = rows imported. The audit chain itself
 * is verified separately, so these entries can be trusted once it is green.
 */
import type { VerifyProblemDTO } from '../api/dto.ts';
import type { CaseData } from '../case/data/interface.ts';
import { COPY_ACTION } from './batches/offline/copy.ts';

const REMOVALS = ['messages.delete', 'conversation.delete', 'retention.purge'];

export function messageCountCheck(data: CaseData): { checked: number; problems: VerifyProblemDTO[] } {
  const imported = new Map<number, number>();
  const removed = new Map<number, number>();
  const { read } = data;
  const rows = read.audit.ofActions(['import', COPY_ACTION, ...REMOVALS]);
  for (const [action, json] of rows) {
    const details = JSON.parse(json) as { runId?: number; messages?: number; runs?: Record<string, number>; before?: { columns?: string[]; messages?: unknown[][] } };
    // An offline check-out's file holds a batch's messages of each run, as its manifest counts them.
    if (action === COPY_ACTION) {
      for (const [run, n] of Object.entries(details.runs ?? {})) imported.set(Number(run), n);
      continue;
    }
    if (action === 'import') {
      if (typeof details.runId === 'number' && typeof details.messages === 'number') imported.set(details.runId, details.messages);
      continue;
    }
    const col = details.before?.columns?.indexOf('runId') ?? -1;
    if (col < 0) continue;
    for (const rec of details.before?.messages ?? []) {
      const run = rec[col] as number;
      removed.set(run, (removed.get(run) ?? 0) + 1);
    }
  }
  const present = new Map(read.messages.countByRun());
  const problems: VerifyProblemDTO[] = [];
  for (const run of new Set([...imported.keys(), ...present.keys()])) {
    const want = imported.get(run);
    const have = present.get(run) ?? 0;
    const gone = removed.get(run) ?? 0;
    if (want === undefined) {
      problems.push({ table: 'messages', id: `run ${run}`, field: 'run_id', message: `${have} messages belong to import run ${run}, which no completed import recorded` });
    } else if (have + gone !== want) {
      const diff = want - gone - have;
      problems.push({
        table: 'messages', id: `run ${run}`, field: 'rows',
        message: diff > 0
          ? `import run ${run} added ${want} messages; ${gone} were deleted with an audit entry, ${have} are present: ${diff} removed without one`
          : `import run ${run} added ${want} messages but ${have} are present (${gone} deleted with an audit entry): ${-diff} added behind the application's back`,
      });
    }
  }
  return { checked: imported.size, problems };
}
