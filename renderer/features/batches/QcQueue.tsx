/** A set's QC queue: draw a seeded sample of each reviewer's reviewed units, then Confirm or Overturn each (overturn recodes the unit). */
import { useState } from 'react';
import type { QcSampleDTO } from '../../../src/api/dto.ts';
import { api } from '../../lib/api.ts';
import { useAction, useApi } from '../../lib/hooks.ts';
import { href } from '../../lib/router.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';

function Sample({ s, tags, onDone }: { s: QcSampleDTO; tags: string[]; onDone: () => void }) {
  const [overturning, setOverturning] = useState(false);
  const [apply, setApply] = useState('');
  const [reason, setReason] = useState('');
  const decide = useAction(async (decision: 'confirm' | 'overturn') => {
    await api.call('batches.qcDecide', { sampleId: s.sampleId, decision, ...(decision === 'overturn' ? { apply: [apply] } : {}), ...(reason.trim() ? { reason: reason.trim() } : {}) });
    onDone();
  });
  return (
    <li aria-label={`QC sample ${s.unit}`} className="row wrap" style={{ marginTop: 4 }}>
      <a className="mono" href={href('conversation', [Number(s.unit.split(':')[0])], { m: s.messageIds[0] })}>
        {s.unit}
      </a>
      <span className="small muted">
        batch {s.batchNumber} · {s.reviewer}
      </span>
      {s.decision !== null ? (
        <span className={s.decision === 'overturned' ? 'badge warn' : 'badge ok'}>
          {s.decision === 'overturned' ? 'Overturned' : 'Confirmed'} by {s.decidedBy}
        </span>
      ) : overturning ? (
        <>
          <select aria-label={`Code ${s.unit} as`} value={apply} onChange={(e) => setApply(e.target.value)}>
            <option value="">Code as…</option>
            {tags.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
          <input type="text" aria-label={`Reason to overturn ${s.unit}`} placeholder="Reason" value={reason} onChange={(e) => setReason(e.target.value)} />
          <button type="button" className="primary" disabled={!apply || decide.busy} onClick={() => void decide.run('overturn')}>
            Overturn
          </button>
        </>
      ) : (
        <>
          <button type="button" onClick={() => void decide.run('confirm')} disabled={decide.busy}>
            Confirm
          </button>
          <button type="button" onClick={() => setOverturning(true)}>
            Overturn…
          </button>
        </>
      )}
      <ErrorNotice error={decide.error} />
    </li>
  );
}

export function QcQueue({ setId }: { setId: number }) {
  const queue = useApi('batches.qcQueue', { setId }, ['batches']);
  const tags = useApi('tags.list', {}, ['tags']);
  const [percent, setPercent] = useState('10');
  const [seed, setSeed] = useState('');
  const sample = useAction(async () => {
    const r = await api.call('batches.qcSample', { setId, percent: Number(percent), ...(seed.trim() ? { seed: seed.trim() } : {}) });
    setSeed(r.seed);
    queue.reload();
  });
  const codingTags = (tags.data ?? []).filter((t) => t.kind !== 'issue').map((t) => t.name);
  return (
    <div aria-label="QC queue" role="region" style={{ marginTop: 8 }}>
      <form className="row wrap" onSubmit={(e) => { e.preventDefault(); void sample.run(); }}>
        <h3 style={{ margin: 0 }}>QC</h3>
        <label className="small">
          Sample % <input type="number" aria-label="QC sample percent" min={1} max={100} value={percent} onChange={(e) => setPercent(e.target.value)} style={{ width: 64 }} />
        </label>
        <input type="text" aria-label="QC seed" placeholder="Seed (drawn if empty)" value={seed} onChange={(e) => setSeed(e.target.value)} style={{ width: 160 }} />
        <button type="submit" disabled={sample.busy || !(Number(percent) > 0 && Number(percent) <= 100)}>
          Sample for QC
        </button>
      </form>
      <ErrorNotice error={queue.error ?? sample.error ?? tags.error} />
      <ul style={{ listStyle: 'none', paddingLeft: 0 }}>
        {queue.data?.map((s) => <Sample key={s.sampleId} s={s} tags={codingTags} onDone={queue.reload} />)}
      </ul>
    </div>
  );
}
