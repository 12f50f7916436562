/** Following jobs: their latest state from the events, seeded by jobs.list. */
import { useEffect, useState } from 'react';
import type { JobDTO } from '../../src/api/dto.ts';
import { api } from './api.ts';

export function useJobs(): JobDTO[] {
  const [jobs, setJobs] = useState<Map<string, JobDTO>>(new Map());
  useEffect(() => {
    let live = true;
    void api.call('jobs.list', {}).then((list) => live && setJobs(new Map(list.map((j) => [j.id, j]))), () => {});
    const asked = new Set<string>();
    const offProgress = api.on('job.progress', (p) => {
      setJobs((m) => {
        const j = m.get(p.jobId);
        const next = new Map(m);
        next.set(p.jobId, j ? { ...j, progress: p.progress } : ({ id: p.jobId, kind: p.kind, label: p.kind, state: 'running', progress: p.progress, startedAt: new Date().toISOString(), finishedAt: null, error: null, result: null } as JobDTO));
        return next;
      });
      // A job started after the list was read (in another window, or by the core): its own label, once.
      if (!asked.has(p.jobId)) {
        asked.add(p.jobId);
        void api.call('jobs.get', { jobId: p.jobId }).then((j) => live && setJobs((m) => (m.get(j.id)?.state === 'running' ? new Map(m).set(j.id, { ...j, progress: m.get(j.id)!.progress }) : m)), () => {});
      }
    });
    const offFinished = api.on('job.finished', (j) => setJobs((m) => new Map(m).set(j.id, j)));
    return () => {
      live = false;
      offProgress();
      offFinished();
    };
  }, []);
  return [...jobs.values()];
}

/** One job by id: its live state, or null until known. */
export function useJob(jobId: string | null): JobDTO | null {
  const [job, setJob] = useState<JobDTO | null>(null);
  useEffect(() => {
    setJob(null);
    if (!jobId) return;
    let live = true;
    const offProgress = api.on('job.progress', (p) => {
      if (p.jobId === jobId) setJob((j) => (j ? { ...j, progress: p.progress } : j));
    });
    const offFinished = api.on('job.finished', (j) => {
      if (j.id === jobId) setJob(j);
    });
    void api.call('jobs.get', { jobId }).then((j) => live && setJob((cur) => (cur && cur.state !== 'running' ? cur : j)), () => {});
    return () => {
      live = false;
      offProgress();
      offFinished();
    };
  }, [jobId]);
  return job;
}
