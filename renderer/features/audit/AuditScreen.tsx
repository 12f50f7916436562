/**
 * The hash-chained audit log, newest first: local time, who, one sentence per entry (its JSON a
 * click away), export as CSV or JSON; the chain's head to copy (an anchor outside the case); the
 * anchors of earlier productions checked automatically; and a check of the whole chain and every hash.
 */
import { useState } from 'react';
import { describeAudit, localAuditTime } from '../../../src/api/audit-text.ts';
import { api } from '../../lib/api.ts';
import { useAction, useApi } from '../../lib/hooks.ts';
import { useJob } from '../../lib/jobs.ts';
import { count, dateTime, useTimeZone } from '../../lib/format.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Progress } from '../../components/Progress.tsx';

const PAGE = 100;

export function AuditScreen() {
  const tz = useTimeZone();
  const [offset, setOffset] = useState(0);
  const [action, setAction] = useState('');
  const page = useApi('audit.list', { offset, limit: PAGE, ...(action ? { action } : {}) }, ['tags', 'notes', 'fields', 'holds', 'retention', 'imported', 'conversations', 'identities', 'productions', 'rekeyed']);
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useJob(jobId);
  const verify = useAction(async () => setJobId((await api.call('verify.run', {})).jobId));
  const result = job?.kind === 'verify' ? job.result : null;
  const refresh = ['tags', 'notes', 'fields', 'holds', 'retention', 'imported', 'conversations', 'identities', 'productions', 'rekeyed', 'searches'] as const;
  const head = useApi('audit.head', {}, refresh);
  const anchors = useApi('audit.anchors', {}, ['productions']);
  const [copied, setCopied] = useState(false);
  const exportLog = useAction(async (format: 'csv' | 'json') => {
    const { text } = await api.call('audit.export', { format });
    const url = URL.createObjectURL(new Blob([text], { type: format === 'csv' ? 'text/csv' : 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `audit-log.${format}`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  });
  const headText = head.data ? `${head.data.seq}:${head.data.hash}` : '';
  const copy = async () => {
    await navigator.clipboard.writeText(headText).catch(() => {});
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  };
  const broken = (anchors.data ?? []).filter((a) => a.status === 'broken');
  const holding = (anchors.data ?? []).filter((a) => a.status === 'holds');
  return (
    <div className="page">
      <div className="page-head">
        <h1>Audit log</h1>
        <span className="spacer" />
        <input type="text" aria-label="Filter by action" placeholder="Action (e.g. tag.apply)" value={action} onChange={(e) => (setAction(e.target.value.trim()), setOffset(0))} />
        <button type="button" onClick={() => void exportLog.run('csv')} disabled={exportLog.busy}>
          Export CSV
        </button>
        <button type="button" onClick={() => void exportLog.run('json')} disabled={exportLog.busy}>
          Export JSON
        </button>
        <button type="button" onClick={() => void verify.run()} disabled={job?.state === 'running'}>
          Verify the case
        </button>
      </div>
      <ErrorNotice error={page.error ?? verify.error ?? exportLog.error ?? head.error ?? anchors.error} />
      {head.data && (
        <section className="card" aria-label="Audit head" style={{ marginBottom: 12 }}>
          <div className="row">
            <strong>Audit head</strong>
            <code className="mono small" style={{ overflowWrap: 'anywhere' }}>{headText}</code>
            <span className="spacer" />
            <button type="button" onClick={() => void copy()}>
              {copied ? 'Copied' : 'Copy'}
            </button>
          </div>
          <p className="muted small">
            Entry {head.data.seq} of {localAuditTime(head.data.at, tz)}. Write it down or send it: <code>holdfast verify CASE --anchor {headText.slice(0, 16)}…</code> later proves the log was not rebuilt since.
          </p>
          {anchors.data && anchors.data.length > 0 && (
            <div className={`notice ${broken.length ? 'error' : 'ok'}`} role="status">
              {broken.length
                ? `${count(broken.length)} earlier production${broken.length === 1 ? '' : 's'} recorded a different log: it was rewritten after them.`
                : `The anchors of ${count(holding.length)} earlier production${holding.length === 1 ? '' : 's'} hold.`}
              <ul>
                {anchors.data.map((a) => (
                  <li key={a.productionId}>
                    {a.name} (production {a.productionId}{a.seq !== null ? `, entry ${a.seq}` : ''}): {a.status === 'holds' ? 'holds' : a.message}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </section>
      )}
      {job?.state === 'running' && (
        <div className="card" style={{ marginBottom: 12 }}>
          <Progress progress={job.progress} label="Verification progress" />
        </div>
      )}
      {result && (
        <div className={`notice ${result.ok ? 'ok' : 'error'}`} role="status" style={{ marginBottom: 12 }}>
          {result.ok ? `Verified: ${count(result.checked)} items checked, nothing altered.` : `${count(result.problems.length)} problems in ${count(result.checked)} items:`}
          {!result.ok && (
            <ul>
              {result.problems.slice(0, 50).map((p, i) => (
                <li key={i}>
                  <code>
                    {p.table} {String(p.id)} {p.field}
                  </code>
                  : {p.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {page.data && (
        <>
          <table className="plain card" style={{ padding: 0 }}>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Time ({tz})</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Hash</th>
              </tr>
            </thead>
            <tbody>
              {page.data.items.map((e) => (
                <tr key={e.seq}>
                  <td className="mono">{e.seq}</td>
                  <td className="nowrap small">{dateTime(e.at, tz)}</td>
                  <td>{e.actor}</td>
                  <td style={{ maxWidth: 640, overflowWrap: 'anywhere' }}>
                    {describeAudit(e.action, e.details)}
                    <details className="small">
                      <summary className="muted">
                        <span className="mono">{e.action}</span> — raw entry
                      </summary>
                      <pre className="mono small" style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{JSON.stringify(e.details, null, 2)}</pre>
                    </details>
                  </td>
                  <td className="mono small muted" title={e.hash}>
                    {e.hash.slice(0, 12)}…
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="row" style={{ marginTop: 10 }}>
            <span className="muted small">
              {count(page.data.total === 0 ? 0 : offset + 1)}–{count(Math.min(offset + PAGE, page.data.total))} of {count(page.data.total)}
            </span>
            <span className="spacer" />
            <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
              Newer
            </button>
            <button type="button" disabled={offset + PAGE >= page.data.total} onClick={() => setOffset(offset + PAGE)}>
              Older
            </button>
          </div>
        </>
      )}
    </div>
  );
}
