/** The matter at a glance: volume over time, the most active people, who writes to whom. */
import { useState } from 'react';
import type { DashboardDTO } from '../../../src/api/dto.ts';
import { useApi } from '../../lib/hooks.ts';
import { count, dateOnly, useTimeZone } from '../../lib/format.ts';
import { href } from '../../lib/router.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';

export function Dashboard() {
  const tz = useTimeZone();
  const [bucket, setBucket] = useState<DashboardDTO['bucket']>('week');
  const d = useApi('stats.dashboard', { bucket, top: 10 }, ['imported', 'retention', 'conversations', 'identities']);
  const info = useApi('cases.info', {}, ['imported', 'retention', 'conversations']);
  return (
    <div className="page">
      <div className="page-head">
        <h1>Dashboard</h1>
      </div>
      <ErrorNotice error={d.error ?? info.error} />
      {d.data && info.data && (
        <div className="stack" style={{ gap: 16 }}>
          <div className="cards" style={{ gridTemplateColumns: 'repeat(auto-fit, minmax(170px, 1fr))' }}>
            <Stat label="Messages" value={count(d.data.totals.messages)} />
            <Stat label="Conversations" value={count(d.data.totals.conversations)} />
            <Stat label="Participants" value={count(d.data.totals.participants)} />
            <Stat label="Sources" value={count(info.data.sources)} />
            <Stat label="Attachments" value={count(info.data.attachments)} />
            <Stat label="Period" value={d.data.totals.firstAt ? `${dateOnly(d.data.totals.firstAt, tz)} – ${dateOnly(d.data.totals.lastAt, tz)}` : '—'} small />
          </div>
          <section className="card">
            <div className="row" style={{ marginBottom: 8 }}>
              <h2 style={{ margin: 0 }}>Messages over time</h2>
              <span className="spacer" />
              <div role="group" aria-label="Period" className="row" style={{ gap: 4 }}>
                {(['day', 'week', 'month'] as const).map((b) => (
                  <button key={b} type="button" className="small" aria-pressed={bucket === b} onClick={() => setBucket(b)}>
                    {b}
                  </button>
                ))}
              </div>
            </div>
            <VolumeChart volume={d.data.volume} bucket={bucket} />
          </section>
          <div className="cards">
            <section className="card">
              <h2>Most active participants</h2>
              <HBars rows={d.data.topParticipants.map((p) => ({ label: p.name, sub: p.handle && p.handle !== p.name ? p.handle : null, value: p.messages }))} />
            </section>
            <section className="card">
              <h2>Who writes to whom</h2>
              <PairsTable pairs={d.data.pairs} />
            </section>
          </div>
        </div>
      )}
    </div>
  );
}

function Stat({ label, value, small }: { label: string; value: string; small?: boolean }) {
  return (
    <div className="card">
      <div className="muted small">{label}</div>
      <div className="stat" style={small ? { fontSize: 15, marginTop: 6 } : undefined}>{value}</div>
    </div>
  );
}

/** The day after the period that starts on `start` (YYYY-MM-DD), for the search's "until before". */
function periodEnd(start: string, bucket: DashboardDTO['bucket']): string {
  const [y, m, d] = start.split('-').map(Number) as [number, number, number];
  const next = bucket === 'month' ? new Date(Date.UTC(y, m, 1)) : new Date(Date.UTC(y, m - 1, d + (bucket === 'week' ? 7 : 1)));
  return next.toISOString().slice(0, 10);
}

export function VolumeChart({ volume, bucket }: { volume: DashboardDTO['volume']; bucket: DashboardDTO['bucket'] }) {
  if (volume.length === 0) return <p className="muted">No messages yet.</p>;
  const W = 900;
  const H = 220;
  const pad = { l: 44, r: 8, t: 8, b: 28 };
  const max = Math.max(...volume.map((v) => v.messages), 1);
  const slot = (W - pad.l - pad.r) / volume.length;
  // Few periods: slim bars centred in their slots rather than slabs.
  const bw = Math.min(slot, 56);
  const ticks = [0, 0.5, 1].map((f) => Math.round(max * f));
  const labelEvery = Math.max(1, Math.ceil(volume.length / 12));
  return (
    <svg className="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Messages per ${bucket}, ${volume[0]!.period} to ${volume[volume.length - 1]!.period}; highest ${count(max)}`}>
      {ticks.map((t) => {
        const y = pad.t + (H - pad.t - pad.b) * (1 - t / max);
        return (
          <g key={t}>
            <line className="gridline" x1={pad.l} x2={W - pad.r} y1={y} y2={y} />
            <text className="axis" x={pad.l - 6} y={y + 3} textAnchor="end">{count(t)}</text>
          </g>
        );
      })}
      {volume.map((v, i) => {
        const h = ((H - pad.t - pad.b) * v.messages) / max;
        return (
 <a key={v.period} href={href('search', [], { after: v.period, before: periodEnd(v.period, bucket), sort: 'time-asc' })} aria-label={`${v.period}: ${count(v.messages)} messages — show them`}>
            <rect className="bar" x={pad.l + i * slot + (slot - bw) / 2 + 0.5} y={H - pad.b - h} width={Math.max(1, bw - 1)} height={h} rx={bw > 8 ? 2 : 0}>
              <title>{`${v.period}: ${count(v.messages)}`}</title>
            </rect>
            {i % labelEvery === 0 && (
              <text className="axis" x={pad.l + i * slot + slot / 2} y={H - pad.b + 14} textAnchor="middle">
                {bucket === 'month' ? v.period.slice(0, 7) : v.period}
              </text>
            )}
          </a>
        );
      })}
    </svg>
  );
}

function HBars({ rows }: { rows: { label: string; sub: string | null; value: number }[] }) {
  const max = Math.max(...rows.map((r) => r.value), 1);
  return (
    <div className="stack" style={{ gap: 6 }}>
      {rows.map((r) => (
        <div className="hbar" key={`${r.label}${r.sub}`}>
          <div className="nowrap" style={{ overflow: 'hidden', textOverflow: 'ellipsis' }} title={r.sub ?? r.label}>
            {r.label}
          </div>
          <div className="track" aria-hidden="true">
            <div style={{ width: `${(100 * r.value) / max}%` }} />
          </div>
          <div className="mono">{count(r.value)}</div>
        </div>
      ))}
    </div>
  );
}

function PairsTable({ pairs }: { pairs: DashboardDTO['pairs'] }) {
  if (pairs.length === 0) return <p className="muted">No exchanges yet.</p>;
  const max = Math.max(...pairs.map((p) => p.messages));
  return (
    <table className="plain">
      <thead>
        <tr>
          <th scope="col">From</th>
          <th scope="col">To</th>
          <th scope="col">Messages</th>
        </tr>
      </thead>
      <tbody>
        {pairs.slice(0, 15).map((p) => (
          <tr key={`${p.from}→${p.to}`}>
            <td>{p.from}</td>
            <td>{p.to}</td>
            <td>
              <div className="row">
                <div className="hbar" style={{ gridTemplateColumns: '80px' }}>
                  <div className="track" aria-hidden="true">
                    <div style={{ width: `${(100 * p.messages) / max}%` }} />
                  </div>
                </div>
                <span className="mono">{count(p.messages)}</span>
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
