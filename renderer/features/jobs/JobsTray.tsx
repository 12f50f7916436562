/** Running jobs in the top bar: what, how far, and a way to cancel. */
import { api } from '../../lib/api.ts';
import { useJobs } from '../../lib/jobs.ts';

export function JobsTray() {
  const running = useJobs().filter((j) => j.state === 'running');
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
            <button type="button" className="ghost small" onClick={() => void api.call('jobs.cancel', { jobId: j.id })} aria-label={`Cancel ${j.label}`}>
              ✕
            </button>
          </div>
        );
      })}
    </div>
  );
}
