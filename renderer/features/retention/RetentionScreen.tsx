/** Retention: purge expired messages nobody holds — always a dry run first that says exactly what would go. */
import { useState } from 'react';
import type { RetentionResultDTO } from '../../../src/api/dto.ts';
import { api } from '../../lib/api.ts';
import { useAction, useApi } from '../../lib/hooks.ts';
import { count, dateTime, useTimeZone } from '../../lib/format.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Dialog } from '../../components/Dialog.tsx';

export function RetentionScreen() {
  const tz = useTimeZone();
  const policies = useApi('retention.policies', {}, ['retention']);
  const [olderThan, setOlderThan] = useState('7y');
  const [custodians, setCustodians] = useState('');
  const [preview, setPreview] = useState<RetentionResultDTO | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState<RetentionResultDTO | null>(null);
  const list = () => custodians.split(',').map((c) => c.trim()).filter(Boolean);
  const dry = useAction(async () => {
    setDone(null);
    const r = await api.call('retention.run', { olderThan, dryRun: true, ...(list().length ? { custodians: list() } : {}) });
    setPreview(r);
    return r;
  });
  const purge = useAction(async () => {
    const r = await api.call('retention.run', { olderThan, dryRun: false, ...(list().length ? { custodians: list() } : {}) });
    setDone(r);
    setPreview(null);
    setConfirming(false);
    return r;
  });
  const savePolicy = useAction(() => api.call('retention.createPolicy', { name: `Keep ${olderThan}${list().length ? ` (${list().join(', ')})` : ''}`, keep: olderThan, ...(list().length ? { custodians: list() } : {}) }));
  return (
    <div className="page narrow">
      <div className="page-head">
        <h1>Retention</h1>
      </div>
      <form
        className="card stack"
        onSubmit={(e) => {
          e.preventDefault();
          void dry.run();
        }}
      >
        <div className="row wrap">
          <label className="field">
            Keep messages for
            <input type="text" value={olderThan} onChange={(e) => setOlderThan(e.target.value)} style={{ width: 120 }} />
            <span className="hint">e.g. 3y, 18m, 90d — from the sent date</span>
          </label>
          <label className="field grow">
            Only these custodians
            <input type="text" value={custodians} onChange={(e) => setCustodians(e.target.value)} placeholder="All custodians when empty (comma-separated)" />
          </label>
        </div>
        <ErrorNotice error={dry.error ?? savePolicy.error} />
        <div className="row">
          <button type="submit" className="primary" disabled={dry.busy}>
            Preview (dry run)
          </button>
          <button type="button" onClick={() => void savePolicy.run().then(() => policies.reload())} disabled={savePolicy.busy}>
            Save as policy
          </button>
        </div>
      </form>
      {preview && (
        <section className="card stack" style={{ marginTop: 16 }} aria-label="Dry run">
          <h2>Dry run: messages sent before {dateTime(preview.cutoff, tz)}</h2>
          <dl className="facts">
            <dt>Would be purged</dt>
            <dd><strong>{count(preview.purged)}</strong> messages, {count(preview.attachments)} attachments</dd>
            <dt>Spared by holds</dt>
            <dd>{count(preview.spared)}{preview.sparedByHold.length > 0 && ` (${preview.sparedByHold.map((h) => `${h.name}: ${count(h.messages)}`).join('; ')})`}</dd>
            <dt>Kept for other custodians</dt>
            <dd>{count(preview.keptForOtherCustodians)}</dd>
            <dt>Conversations emptied</dt>
            <dd>{count(preview.conversationsRemoved.length)}</dd>
          </dl>
          <div>
            <button type="button" className="danger" disabled={preview.purged === 0} onClick={() => setConfirming(true)}>
              Purge {count(preview.purged)} messages…
            </button>
          </div>
        </section>
      )}
      {done && (
        <div className="notice ok" role="status" style={{ marginTop: 16 }}>
          Purged {count(done.purged)} messages ({count(done.attachments)} attachments); {count(done.spared)} spared by holds. Recorded in the audit log.
        </div>
      )}
      {policies.data && policies.data.length > 0 && (
        <section className="card" style={{ marginTop: 16 }}>
          <h2>Saved policies</h2>
          <table className="plain">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Keep</th>
                <th scope="col">Scope</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {policies.data.map((p) => (
                <tr key={p.id}>
                  <td>{p.name}</td>
                  <td className="mono">{p.keep}</td>
                  <td className="small">{[...p.custodians, ...p.conversations.map((c) => `#${c}`)].join(', ') || 'everything'}</td>
                  <td className="small">{p.createdBy}, {dateTime(p.createdAt, tz)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {confirming && preview && (
        <Dialog
          title="Purge for good?"
          onClose={() => setConfirming(false)}
          actions={
            <>
              <button type="button" onClick={() => setConfirming(false)}>
                Cancel
              </button>
              <button type="button" className="danger" disabled={purge.busy} onClick={() => void purge.run()}>
                Purge {count(preview.purged)} messages
              </button>
            </>
          }
        >
          <p>These messages and their orphaned attachments are removed from the case. Held messages are spared. This cannot be undone; it is recorded in the audit log.</p>
          <ErrorNotice error={purge.error} onDismiss={purge.clear} />
        </Dialog>
      )}
    </div>
  );
}
