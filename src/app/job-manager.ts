/**
 * The app's long work: starts jobs in worker threads (src/app/jobs), forwards their progress as
 * `job.progress` events at most ten times a second, and keeps each job's outcome for `jobs.list`.
 */
import { randomUUID } from 'node:crypto';
import type { JobDTO, JobKind, JobProgressDTO } from '../api/dto.ts';
import { HoldfastError, toErrorDTO } from '../api/errors.ts';
import { startJob } from './jobs/runner.ts';
import type { RunningJob } from './jobs/runner.ts';
import type { JobCase } from './jobs/types.ts';
import type { EventHub } from './events.ts';

const PROGRESS_INTERVAL_MS = 100;
const FINISHED_KEPT = 50;

type ResultFor<K extends JobKind> = Extract<JobDTO, { kind: K }>['result'];

export interface JobTarget {
  case: JobCase;
  /** The case file's passphrase, or the matter's database password ('' when the environment has it). */
  secret: string;
  actor: string;
}

interface Tracked {
  dto: JobDTO;
  running: RunningJob<unknown> | null;
  /** The user asked to stop it: however the worker then ends, the job was cancelled. */
  cancelRequested: boolean;
  timer: NodeJS.Timeout | null;
  pending: JobProgressDTO | null;
}

export class JobManager {
  readonly #events: EventHub;
  readonly #jobs = new Map<string, Tracked>();

  constructor(events: EventHub) {
    this.#events = events;
  }

  /**
   * Starts `kind` on the case; `onSuccess` runs in this thread once the worker's result is in, `onEnd`
   * once the job has ended however it ended (for a job that keeps its work when cancelled or failing).
   */
  start<K extends JobKind>(
    kind: K, label: string, params: unknown, target: JobTarget, onSuccess?: (result: NonNullable<ResultFor<K>>) => void, onEnd?: () => void,
  ): JobDTO {
    const id = randomUUID();
    const dto = { id, kind, label, state: 'running', progress: null, startedAt: new Date().toISOString(), finishedAt: null, error: null, result: null } as JobDTO;
    const tracked: Tracked = { dto, running: null, cancelRequested: false, timer: null, pending: null };
    this.#jobs.set(id, tracked);
    const flush = () => {
      if (!tracked.pending) return;
      tracked.dto.progress = tracked.pending;
      tracked.pending = null;
      this.#events.emit('job.progress', { jobId: id, kind, progress: tracked.dto.progress });
    };
    tracked.timer = setInterval(flush, PROGRESS_INTERVAL_MS);
    tracked.timer.unref();
    const running = startJob<NonNullable<ResultFor<K>>>({ kind, case: target.case, params, actor: target.actor }, target.secret, (p) => {
      tracked.pending = { phase: p.phase, done: p.done, total: p.total, items: p.items };
    });
    tracked.running = running as RunningJob<unknown>;
    running.result.then(
      (result) => {
        flush();
        (tracked.dto as { result: unknown }).result = result;
        this.#finish(tracked, 'succeeded', null);
        try {
          onSuccess?.(result);
        } catch {
          // The job itself succeeded; a failing follow-up (an index reload) is not its failure.
        }
        onEnd?.();
      },
      (err: unknown) => {
        flush();
        const error = toErrorDTO(err);
        if (error.code === 'CANCELLED' || !tracked.cancelRequested) this.#finish(tracked, error.code === 'CANCELLED' ? 'cancelled' : 'failed', error);
        else this.#finish(tracked, 'cancelled', { code: 'CANCELLED', message: `The ${kind} job was cancelled; nothing it did was kept.`, details: { stoppedWith: error } });
        onEnd?.();
      },
    );
    return { ...dto };
  }

  get(id: string): JobDTO {
    const t = this.#jobs.get(id);
    if (!t) throw new HoldfastError('NOT_FOUND', `There is no job ${id}; it may have finished before the app was restarted.`, { jobId: id });
    return { ...t.dto };
  }

  list(): JobDTO[] {
    return [...this.#jobs.values()].map((t) => ({ ...t.dto })).reverse();
  }

  cancel(id: string): JobDTO {
    const t = this.#jobs.get(id);
    if (!t) return this.get(id);
    if (t.dto.state === 'running') {
      t.cancelRequested = true;
      t.running?.cancel();
    }
    return { ...t.dto };
  }

  running(): JobDTO[] {
    return this.list().filter((j) => j.state === 'running');
  }

  /** Waits for every running job to settle (closing a case, shutting down). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.#jobs.values()].map((t) => t.running?.result));
  }

  cancelAll(): void {
    for (const t of this.#jobs.values()) if (t.dto.state === 'running') this.cancel(t.dto.id);
  }

  #finish(t: Tracked, state: JobDTO['state'], error: JobDTO['error']): void {
    if (t.timer) clearInterval(t.timer);
    t.timer = null;
    t.running = null;
    t.dto.state = state;
    t.dto.error = error;
    t.dto.finishedAt = new Date().toISOString();
    this.#events.emit('job.finished', { ...t.dto });
    this.#prune();
  }

  #prune(): void {
    const finished = [...this.#jobs.entries()].filter(([, t]) => t.dto.state !== 'running');
    for (const [id] of finished.slice(0, Math.max(0, finished.length - FINISHED_KEPT))) this.#jobs.delete(id);
  }
}
