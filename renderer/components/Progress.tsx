import type { JobProgressDTO } from '../../src/api/dto.ts';
import { count } from '../lib/format.ts';

export function Progress({ progress, label }: { progress: JobProgressDTO | null; label: string }) {
  const pct = progress && progress.total > 0 ? Math.min(100, Math.round((100 * progress.done) / progress.total)) : null;
  return (
    <div className="stack" style={{ gap: 6 }}>
      <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} {...(pct !== null ? { 'aria-valuenow': pct } : {})}>
        <div style={{ width: `${pct ?? 2}%` }} />
      </div>
      <div className="small muted">
        {progress ? `${progress.phase}${pct !== null ? ` · ${pct}%` : ''} · ${count(progress.items)} items` : 'Starting…'}
      </div>
    </div>
  );
}
