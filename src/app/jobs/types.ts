/** Messages between the job runner and its worker thread. */
export interface JobProgress {
  phase: string;
  done: number;
  total: number;
  /** Items produced so far (messages imported, pages written). */
  items: number;
}

export type WorkerMessage =
  | { type: 'progress'; progress: JobProgress }
  | { type: 'done'; result: unknown }
  | { type: 'error'; error: { code: string; message: string; details?: unknown } };

export interface JobRequest {
  kind: string;
  casePath: string;
  params: unknown;
  actor: string;
}
