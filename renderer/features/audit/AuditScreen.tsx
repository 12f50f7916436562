/** The hash-chained audit log, newest first, with a check of the whole chain and every hash. */
import { useState } from 'react';
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
  const page = useApi('audit.list', { offset, limit: PAGE, ...(action ? { action } : {}) }, ['tags', 'notes', 'holds', 'retention', 'imported', 'conversations', 'identities', 'productions', 'rekeyed']);
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useJob(jobId);
  const verify = useAction(async () => setJobId((await api.call('verify.run', {})).jobId));
  const result = job?.kind === 'verify' ? job.result : null;
  return (
    <div className="page">
      <div className="page-head">
        <h1>Audit log</h1>
        <span className="spacer" />
        <input type="text" aria-label="Filter by action" placeholder="Action (e.g. tag.apply)" value={action} onChange={(e) => (setAction(e.target.value.trim()), setOffset(0))} />
        <button type="button" onClick={() => void verify.run()} disabled={job?.state === 'running'}>
          Verify the case
        </button>
      </div>
      <ErrorNotice error={page.error ?? verify.error} />
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
                <th scope="col">Time</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Details</th>
                <th scope="col">Hash</th>
              </tr>
            </thead>
            <tbody>
              {page.data.items.map((e) => (
                <tr key={e.seq}>
                  <td className="mono">{e.seq}</td>
                  <td className="nowrap small">{dateTime(e.at, tz)}</td>
                  <td>{e.actor}</td>
                  <td className="mono nowrap">{e.action}</td>
                  <td className="small" style={{ maxWidth: 560, overflowWrap: 'anywhere' }}>
                    <Details details={e.details} />
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

/** Top-level fields as "name value" lines; nested values as compact JSON, long ones cut. */
function Details({ details }: { details: unknown }) {
  if (!details || typeof details !== 'object' || Array.isArray(details)) return <span className="mono">{JSON.stringify(details)}</span>;
  const entries = Object.entries(details as Record<string, unknown>).filter(([, v]) => v !== null && v !== undefined);
  return (
    <dl className="facts" style={{ gap: '0 10px' }}>
      {entries.map(([k, v]) => {
        const text = typeof v === 'string' ? v : JSON.stringify(v);
        return (
          <div key={k} style={{ display: 'contents' }}>
            <dt>{k}</dt>
            <dd className={typeof v === 'string' ? undefined : 'mono'}>{text.length > 240 ? `${text.slice(0, 240)}…` : text}</dd>
          </div>
        );
      })}
    </dl>
  );
}
