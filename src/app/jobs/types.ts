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

/**
 * Where a job's case is: a case file (opened with its passphrase) or a matter on the matter server's
 * PostgreSQL (its address without a password: the password travels beside the request, never in it).
 */
export type JobCase = { file: string } | { databaseUrl: string; matter: string };

export interface JobRequest {
  kind: string;
  case: JobCase;
  params: unknown;
  actor: string;
}
