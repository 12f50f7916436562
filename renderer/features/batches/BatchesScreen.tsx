/**
 * Review batches: batch sets cut from a saved search or from conversations, each batch with its
 * assignee, state and progress; checking one out opens its units (BatchView). Per set, progress per
 * reviewer with QC overturn rates, and the QC queue (sample X%, then Confirm or Overturn each unit).
 */
import { useState } from 'react';
import type { BatchDTO } from '../../../src/api/dto.ts';
import { api } from '../../lib/api.ts';
import { useAction, useApi } from '../../lib/hooks.ts';
import { count } from '../../lib/format.ts';
import { href, navigate } from '../../lib/router.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Meter } from './Meter.tsx';
import { QcQueue } from './QcQueue.tsx';
import { Conflicts } from './Conflicts.tsx';

const STATE = { open: 'Open', 'checked-out': 'Checked out', 'checked-in': 'Checked in' } as const;

function NewSet({ onMade }: { onMade: () => void }) {
  const saved = useApi('search.saved', {}, ['searches']);
  const conversations = useApi('conversations.list', {}, ['imported']);
  const [name, setName] = useState('');
  const [source, setSource] = useState('all');
  const [size, setSize] = useState('10');
  const create = useAction(async () => {
    const unitSize = Number(size);
    await api.call('batches.create', {
      name: name.trim(), unitSize,
      ...(source === 'all' ? { conversationIds: (conversations.data ?? []).map((c) => c.id) } : { savedSearchId: Number(source) }),
    });
    setName('');
    onMade();
  });
  return (
    <form className="card row wrap" aria-label="New batch set" onSubmit={(e) => { e.preventDefault(); void create.run(); }}>
      <input type="text" aria-label="Batch set name" placeholder="Name, e.g. First-level review" value={name} onChange={(e) => setName(e.target.value)} />
      <select aria-label="Units from" value={source} onChange={(e) => setSource(e.target.value)}>
        <option value="all">Every conversation</option>
        {saved.data?.map((s) => (
          <option key={s.id} value={String(s.id)}>
            Saved search: {s.name}
          </option>
        ))}
      </select>
      <label className="small">
        Units a batch <input type="number" aria-label="Units a batch" min={1} max={10000} value={size} onChange={(e) => setSize(e.target.value)} style={{ width: 80 }} />
      </label>
      <button type="submit" className="primary" disabled={!name.trim() || !(Number(size) >= 1) || create.busy}>
        Cut into batches
      </button>
      <ErrorNotice error={create.error ?? saved.error ?? conversations.error} />
    </form>
  );
}

function BatchRow({ b, onChange }: { b: BatchDTO; onChange: () => void }) {
  const [assignee, setAssignee] = useState(b.assignee ?? '');
  const assign = useAction(async () => {
    await api.call('batches.assign', { batchId: b.batchId, assignee: assignee.trim() || null });
    onChange();
  });
  const checkOut = useAction(async () => {
    await api.call('batches.checkout', { batchId: b.batchId });
    navigate(href('batches', [b.batchId]));
  });
  return (
    <tr aria-label={`Batch ${b.number}`}>
      <td>{b.number}</td>
      <td>
        {b.state === 'checked-in' ? (
          b.assignee ?? '–'
        ) : (
          <form className="row" onSubmit={(e) => { e.preventDefault(); void assign.run(); }}>
            <input type="text" aria-label={`Assignee of batch ${b.number}`} value={assignee} placeholder="Reviewer" onChange={(e) => setAssignee(e.target.value)} style={{ width: 120 }} />
            <button type="submit" disabled={assign.busy || assignee.trim() === (b.assignee ?? '')}>
              Assign
            </button>
          </form>
        )}
      </td>
      <td>
        {STATE[b.state]}
        {b.state === 'checked-out' && <span className="small muted"> by {b.holder}</span>}
        {b.state === 'checked-in' && <span className="small muted"> by {b.checkedInBy}</span>}
      </td>
      <td>
        <Meter done={b.reviewedUnits} total={b.units} label={`Batch ${b.number} units reviewed`} />
      </td>
      <td className="small muted">
        {count(b.reviewedMessages)}/{count(b.messages)} messages, {count(b.codedMessages)} coded
      </td>
      <td>
        {b.state === 'open' && (
          <button type="button" onClick={() => void checkOut.run()} disabled={checkOut.busy}>
            Check out
          </button>
        )}
        {b.state !== 'open' && <a href={href('batches', [b.batchId])}>Open</a>}
        <ErrorNotice error={assign.error ?? checkOut.error} />
      </td>
    </tr>
  );
}

function SetCard({ setId }: { setId: number }) {
  const progress = useApi('batches.progress', { setId }, ['batches', 'tags']);
  const p = progress.data;
  if (!p) return <ErrorNotice error={progress.error} />;
  return (
    <section className="card" aria-label={`Batch set ${p.name}`} style={{ marginTop: 12 }}>
      <div className="row">
        <h2>{p.name}</h2>
        <span className="spacer" />
        <Meter done={p.reviewedUnits} total={p.units} label={`${p.name} units reviewed`} />
      </div>
      <table className="plain">
        <thead>
          <tr>
            <th scope="col">Batch</th>
            <th scope="col">Assignee</th>
            <th scope="col">State</th>
            <th scope="col">Units reviewed</th>
            <th scope="col">Messages</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {p.batches.map((b) => (
            <BatchRow key={`${b.batchId}:${b.assignee ?? ''}`} b={b} onChange={progress.reload} />
          ))}
        </tbody>
      </table>
      {p.reviewers.length > 0 && (
        <table className="plain" aria-label={`Reviewers of ${p.name}`} style={{ marginTop: 8 }}>
          <thead>
            <tr>
              <th scope="col">Reviewer</th>
              <th scope="col">Batches checked in</th>
              <th scope="col">Units reviewed</th>
              <th scope="col">Messages coded</th>
              <th scope="col">QC decided</th>
              <th scope="col">Overturn rate</th>
            </tr>
          </thead>
          <tbody>
            {p.reviewers.map((r) => (
              <tr key={r.reviewer}>
                <td>{r.reviewer}</td>
                <td>
                  {r.checkedIn}/{r.batches}
                </td>
                <td>
                  {count(r.reviewedUnits)}/{count(r.units)}
                </td>
                <td>{count(r.codedMessages)}</td>
                <td>
                  {r.qcDecided}/{r.qcSampled}
                </td>
                <td>{r.overturnRate === null ? '–' : `${Math.round(r.overturnRate * 100)}%`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <QcQueue setId={setId} />
      <Conflicts setId={setId} />
    </section>
  );
}

export function BatchesScreen() {
  const sets = useApi('batches.list', {}, ['batches']);
  return (
    <div className="page">
      <div className="page-head">
        <h1>Batches</h1>
      </div>
      <NewSet onMade={sets.reload} />
      <ErrorNotice error={sets.error} />
      {sets.data?.length === 0 && <p className="muted">No batch set yet: cut one from a saved search or from every conversation.</p>}
      {sets.data?.map((s) => <SetCard key={s.setId} setId={s.setId} />)}
    </div>
  );
}
