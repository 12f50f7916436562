/**
 * Surveillance: the policies with their metrics, and the alert queue — each alert with its policy,
 * the message (linked to its conversation) and the messages around it; escalate, or close as a
 * false positive with a reason (both audited).
 */
import { useState } from 'react';
import type { AlertContextDTO, AlertDTO, AlertStatus } from '../../../src/api/surveillance-dto.ts';
import { api } from '../../lib/api.ts';
import { useAction, useApi } from '../../lib/hooks.ts';
import { count, dateTime, useTimeZone } from '../../lib/format.ts';
import { href } from '../../lib/router.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';

const STATUS_LABEL: Record<AlertStatus, string> = { open: 'Open', escalated: 'Escalated', 'false-positive': 'False positive' };

/** The alert's message among its context, in conversation order (time, then id, as the context was read). */
function inOrder(a: AlertDTO): AlertContextDTO[] {
  const self: AlertContextDTO = { messageId: a.messageId, sender: a.sender, sentAt: a.sentAt, text: a.text };
  const before = (c: AlertContextDTO) => c.sentAt < a.sentAt || (c.sentAt === a.sentAt && c.messageId < a.messageId);
  return [...a.context.filter(before), self, ...a.context.filter((c) => !before(c))];
}

export function AlertsScreen() {
  const tz = useTimeZone();
  const [status, setStatus] = useState<AlertStatus | ''>('open');
  const policies = useApi('surveillance.policies', {}, ['imported']);
  const alerts = useApi('surveillance.alerts', { offset: 0, limit: 200, ...(status ? { status } : {}) }, ['imported']);
  const [closing, setClosing] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  const dispose = useAction(async (alert: AlertDTO, to: 'escalated' | 'false-positive', why?: string) => {
    await api.call('surveillance.disposition', { alertId: alert.id, status: to, ...(why ? { reason: why } : {}) });
    setClosing(null);
    setReason('');
    alerts.reload();
    policies.reload();
  });
  const run = useAction(async () => {
    await api.call('surveillance.run', {});
    alerts.reload();
    policies.reload();
  });
  return (
    <div className="page">
      <div className="page-head">
        <h1>Surveillance</h1>
        <span className="spacer" />
        <button type="button" onClick={() => void run.run()} disabled={run.busy}>
          Run policies now
        </button>
      </div>
      <ErrorNotice error={policies.error ?? alerts.error ?? dispose.error ?? run.error} />
      <section className="card" aria-label="Policies" style={{ marginBottom: 12 }}>
        <h2>Policies</h2>
        {policies.data?.length === 0 && <p className="muted">No policy yet: add one with “holdfast policy CASE add”, or the starter examples with “--starter”.</p>}
        {policies.data && policies.data.length > 0 && (
          <table className="plain">
            <thead>
              <tr>
                <th scope="col">Policy</th>
                <th scope="col">Terms</th>
                <th scope="col">Alerts</th>
                <th scope="col">Open</th>
                <th scope="col">Escalation rate</th>
                <th scope="col">Median to disposition</th>
              </tr>
            </thead>
            <tbody>
              {policies.data.map((p) => (
                <tr key={p.id}>
                  <td>
                    {p.name} {p.example && <span className="badge warn">example</span>} {!p.enabled && <span className="badge">disabled</span>}
                  </td>
                  <td className="small mono">{p.terms.join(' · ')}</td>
                  <td>{count(p.metrics.alerts)}</td>
                  <td>{count(p.metrics.open)}</td>
                  <td>{p.metrics.escalationRate === null ? '–' : `${Math.round(p.metrics.escalationRate * 100)}%`}</td>
                  <td>{p.metrics.medianHoursToDisposition === null ? '–' : `${p.metrics.medianHoursToDisposition} h`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="card" aria-label="Alerts">
        <div className="row">
          <h2>Alerts {alerts.data ? `(${count(alerts.data.total)})` : ''}</h2>
          <span className="spacer" />
          <select aria-label="Show alerts" value={status} onChange={(e) => setStatus(e.target.value as AlertStatus | '')}>
            <option value="open">Open</option>
            <option value="escalated">Escalated</option>
            <option value="false-positive">False positives</option>
            <option value="">All</option>
          </select>
        </div>
        {alerts.data?.items.length === 0 && <p className="muted">No alerts here.</p>}
        {alerts.data?.items.map((a) => (
          <article key={a.id} className="card" aria-label={`Alert ${a.id}`} style={{ marginTop: 8 }}>
            <div className="row wrap">
              <strong>{a.policy}</strong>
              <span className="badge">{STATUS_LABEL[a.status]}</span>
              <span className="small muted">matched {a.term}</span>
              <span className="spacer" />
              <a href={href('conversation', [a.conversationId], { m: a.messageId })}>{a.conversation}</a>
            </div>
            <ol className="small" style={{ listStyle: 'none', paddingLeft: 0 }}>
              {inOrder(a).map((c) => (
                <li key={c.messageId} className={c.messageId === a.messageId ? '' : 'muted'}>
                  {dateTime(c.sentAt, tz)} · {c.sender ?? 'unknown'}: {c.messageId === a.messageId ? <mark>{c.text}</mark> : c.text}
                </li>
              ))}
            </ol>
            {a.status !== 'open' && (
              <p className="small muted">
                {STATUS_LABEL[a.status]} by {a.disposedBy} {dateTime(a.disposedAt, tz)}{a.reason ? `: ${a.reason}` : ''}
              </p>
            )}
            <div className="row">
              <button type="button" onClick={() => void dispose.run(a, 'escalated')} disabled={dispose.busy || a.status === 'escalated'}>
                Escalate
              </button>
              {closing === a.id ? (
                <>
                  <input type="text" aria-label="Reason it is a false positive" placeholder="Why it is a false positive" value={reason} onChange={(e) => setReason(e.target.value)} />
                  <button type="button" className="primary" disabled={!reason.trim() || dispose.busy} onClick={() => void dispose.run(a, 'false-positive', reason.trim())}>
                    Close as false positive
                  </button>
                </>
              ) : (
                <button type="button" onClick={() => setClosing(a.id)} disabled={a.status === 'false-positive'}>
                  False positive…
                </button>
              )}
            </div>
          </article>
        ))}
      </section>
    </div>
  );
}
