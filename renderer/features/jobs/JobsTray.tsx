/** Running jobs in the top bar: what, how far, and a way to cancel (after a confirmation). */
import { useState } from 'react';
import { api } from '../../lib/api.ts';
import { useJobs } from '../../lib/jobs.ts';
import { Dialog } from '../../components/Dialog.tsx';

export function JobsTray() {
  const running = useJobs().filter((j) => j.state === 'running');
  const [cancelling, setCancelling] = useState<{ id: string; label: string } | null>(null);
  if (running.length === 0) return null;
  return (
    <div className="jobs" role="status" aria-label="Running jobs">
      {running.map((j) => {
        const pct = j.progress && j.progress.total > 0 ? Math.round((100 * j.progress.done) / j.progress.total) : 0;
        return (
          <div className="job-pill" key={j.id}>
            <span className="nowrap" title={j.label}>{j.kind}</span>
            <div className="progress" role="progressbar" aria-label={j.label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
              <div style={{ width: `${pct}%` }} />
            </div>
            <button type="button" className="ghost small" onClick={() => setCancelling({ id: j.id, label: j.label })} aria-label={`Cancel ${j.label}`}>
              ✕
            </button>
          </div>
        );
      })}
      {cancelling && (
        <Dialog
          title="Cancel this job?"
          onClose={() => setCancelling(null)}
          actions={
            <>
              <button type="button" onClick={() => setCancelling(null)}>
                Keep it running
              </button>
              <button
                type="button"
                className="danger"
                onClick={() => {
                  void api.call('jobs.cancel', { jobId: cancelling.id });
                  setCancelling(null);
                }}
              >
                Cancel the job
              </button>
            </>
          }
        >
          <p>
            “{cancelling.label}” stops; nothing half-done stays in the case (an import is rolled back completely).
          </p>
        </Dialog>
      )}
    </div>
  );
}
