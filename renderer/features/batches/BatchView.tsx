/**
 * One batch: its units in cut order, each opening in its conversation (the review flow: coding keys,
 * `r` to mark), marked reviewed from here too; checked in once every unit is reviewed, or with a
 * reason. Keys: j/k move, Enter opens, r marks the unit reviewed.
 */
import { useEffect, useState } from 'react';
import { api } from '../../lib/api.ts';
import { useAction, useApi } from '../../lib/hooks.ts';
import { count, plural } from '../../lib/format.ts';
import { href, navigate } from '../../lib/router.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Meter } from './Meter.tsx';

const STATUS = { reviewed: 'Reviewed', partial: 'Partly reviewed', unreviewed: 'Not reviewed' } as const;

export function BatchView({ batchId }: { batchId: number }) {
  const batch = useApi('batches.get', { batchId }, ['batches', 'tags']);
  const [current, setCurrent] = useState(0);
  const [forcing, setForcing] = useState(false);
  const [reason, setReason] = useState('');
  const units = batch.data?.unitList ?? [];
  const mark = useAction(async (i: number) => {
    const u = units[i];
    if (!u || u.messageIds.length === 0 || batch.data?.state !== 'checked-out') return;
    await api.call('review.mark', { target: { messageIds: u.messageIds }, reviewed: true });
    batch.reload();
  });
  const checkIn = useAction(async (why?: string) => {
    await api.call('batches.checkin', { batchId, ...(why ? { force: true, reason: why } : {}) });
    navigate(href('batches'));
  });
  const open = (i: number) => {
    const u = units[i];
    if (u?.messageIds[0] !== undefined) navigate(href('conversation', [u.conversationId], { m: u.messageIds[0] }));
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === 'j' || e.key === 'ArrowDown') setCurrent((c) => Math.min(c + 1, Math.max(units.length - 1, 0)));
      else if (e.key === 'k' || e.key === 'ArrowUp') setCurrent((c) => Math.max(c - 1, 0));
      else if (e.key === 'Enter') open(current);
      else if (e.key === 'r') void mark.run(current);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });
  const b = batch.data;
  return (
    <div className="page">
      <div className="page-head">
        <a href={href('batches')}>← Batches</a>
        <h1>{b ? `${b.setName} · batch ${b.number}` : 'Batch'}</h1>
        <span className="spacer" />
        {b && <Meter done={b.reviewedUnits} total={b.units} label={`Batch ${b.number} units reviewed`} />}
      </div>
      <ErrorNotice error={batch.error ?? mark.error ?? checkIn.error} />
      {b && (
        <p className="small muted">
          {b.state === 'checked-out' ? `Checked out by ${b.holder}` : b.state === 'checked-in' ? `Checked in by ${b.checkedInBy}` : 'Open'} · {plural(b.units, 'unit')},{' '}
          {count(b.reviewedMessages)} of {count(b.messages)} messages reviewed, {count(b.codedMessages)} coded · j/k to move, Enter to open, r to mark the unit reviewed
        </p>
      )}
      <section className="card" aria-label="Units">
        <table className="plain">
          <thead>
            <tr>
              <th scope="col">Unit</th>
              <th scope="col">Messages</th>
              <th scope="col">Status</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {units.map((u, i) => (
              <tr key={u.unitId} aria-current={i === current ? 'true' : undefined} aria-label={`Unit ${u.key}`} className={i === current ? 'current' : undefined} onClick={() => setCurrent(i)}>
                <td className="mono">
                  <a href={href('conversation', [u.conversationId], { m: u.messageIds[0] })}>{u.key}</a>
                </td>
                <td>{count(u.messageIds.length)}</td>
                <td>
                  <span className={u.status === 'reviewed' ? 'badge ok' : 'badge'}>{STATUS[u.status]}</span> <span className="small muted">{count(u.reviewed)} reviewed, {count(u.coded)} coded</span>
                </td>
                <td>
                  <button type="button" disabled={u.status === 'reviewed' || mark.busy || b?.state !== 'checked-out'} onClick={() => void mark.run(i)}>
                    Mark unit reviewed
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {b?.state === 'checked-out' && (
        <div className="row" style={{ marginTop: 12 }}>
          <button type="button" className="primary" disabled={checkIn.busy || b.reviewedUnits < b.units} onClick={() => void checkIn.run()}>
            Check in
          </button>
          {forcing ? (
            <>
              <input type="text" aria-label="Reason to check in unreviewed units" placeholder="Why check in with units unreviewed" value={reason} onChange={(e) => setReason(e.target.value)} />
              <button type="button" disabled={!reason.trim() || checkIn.busy} onClick={() => void checkIn.run(reason.trim())}>
                Check in anyway
              </button>
            </>
          ) : (
            b.reviewedUnits < b.units && (
              <button type="button" onClick={() => setForcing(true)}>
                Check in unfinished…
              </button>
            )
          )}
        </div>
      )}
    </div>
  );
}
