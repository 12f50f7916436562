/** A progress bar of done out of total, labelled for assistive technology and with the numbers beside it. */
import { count } from '../../lib/format.ts';

export function Meter({ done, total, label }: { done: number; total: number; label: string }) {
  const pct = total > 0 ? Math.round((100 * done) / total) : 0;
  return (
    <div className="row" style={{ gap: 6, minWidth: 180 }}>
      <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} style={{ flex: 1 }}>
        <div style={{ width: `${pct}%` }} />
      </div>
      <span className="small muted">
        {count(done)}/{count(total)}
      </span>
    </div>
  );
}
