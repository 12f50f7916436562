/** Events the core pushes to the UI over the transport's event channel. */
import type { JobDTO, JobProgressDTO, JobKind, PresenceDTO } from './dto.ts';

export interface Events {
  /** About ten times a second while a job runs. */
  'job.progress': { jobId: string; kind: JobKind; progress: JobProgressDTO };
  /** Once per job, whatever the outcome. */
  'job.finished': JobDTO;
  /** While a search reads messages for a /regular expression/ (about ten times a second): messages checked of those to check. */
  'search.progress': { searchId: string; done: number; total: number };
  /** Something the UI shows may have changed: refetch what depends on `what`. */
  'case.changed': { what: CaseChange; path: string | null };
  /** On a matter: someone connected or disconnected; who is connected now. */
  'presence.changed': { presence: PresenceDTO[] };
}

export type CaseChange = 'opened' | 'closed' | 'created' | 'rekeyed' | 'settings' | 'imported' | 'tags' | 'notes' | 'fields' | 'holds' | 'retention' | 'productions' | 'identities' | 'conversations' | 'searches' | 'batches' | 'recognised';

export type EventName = keyof Events;


