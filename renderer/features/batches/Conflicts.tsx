/** What offline check-ins of a set's batches found both sides changing, for the project manager: both values, who, when, which was kept. */
import type { BatchConflictDTO } from '../../../src/api/offline-dto.ts';
import { useApi } from '../../lib/hooks.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';

const shown = (v: BatchConflictDTO['base']) => (Array.isArray(v) ? v.join(', ') || '(none)' : v === null ? '(none)' : v === true ? 'yes' : v === false ? 'no' : v);

export function Conflicts({ setId }: { setId: number }) {
  const conflicts = useApi('batches.conflicts', { setId }, ['batches', 'tags']);
  // A reviewer on a matter server may not list them: nothing to show then.
  if (conflicts.error?.code === 'FORBIDDEN') return null;
  if (!conflicts.error && !conflicts.data?.length) return null;
  return (
    <div aria-label="Offline conflicts" role="region" style={{ marginTop: 8 }}>
      <h3 style={{ margin: 0 }}>Offline conflicts</h3>
      <ErrorNotice error={conflicts.error} />
      <table className="small">
        <thead>
          <tr>
            <th scope="col">Message</th>
            <th scope="col">Coding</th>
            <th scope="col">At check-out</th>
            <th scope="col">Offline</th>
            <th scope="col">On the matter</th>
            <th scope="col">Kept</th>
          </tr>
        </thead>
        <tbody>
          {conflicts.data?.map((c) => (
            <tr key={c.conflictId}>
              <td className="mono">{c.messageId}</td>
              <td>{c.label}</td>
              <td>{shown(c.base)}</td>
              <td>
                {shown(c.offline)} <span className="muted">({c.offlineBy}, {c.offlineAt})</span>
              </td>
              <td>
                {shown(c.server)} <span className="muted">({c.serverBy}, {c.serverAt})</span>
              </td>
              <td>{c.winner === 'offline' ? 'Offline' : 'Matter'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
