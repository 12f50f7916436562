/**
 * Sources and chain of custody: every source the case was built from, with its SHA-256, the
 * importer and version that read it, who it came from, the time zone its times were read in and
 * why, its counts and warnings, the import report and the files read inside it (each hashed);
 * imports that did not complete are listed too (rolled back, nothing of them kept). Above them, text
 * recognition (OCR) over the images the sources brought.
 */
import { useState } from 'react';
import type { SourceDTO } from '../../../src/api/dto.ts';
import { useApi } from '../../lib/hooks.ts';
import { bytes, count, dateTime, plural, useTimeZone } from '../../lib/format.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { OcrCard } from './OcrCard.tsx';

export function SourcesScreen() {
  const list = useApi('sources.list', {}, ['imported', 'opened']);
  const runs = list.data?.otherRuns ?? [];
  return (
    <div className="page">
      <div className="page-head">
        <h1>Sources and chain of custody</h1>
        <span className="spacer" />
        {list.data && <span className="muted">{plural(list.data.sources.length, 'source')}</span>}
      </div>
      <ErrorNotice error={list.error} />
      {list.data && list.data.sources.length > 0 && <OcrCard />}
      {list.data?.sources.length === 0 && (
        <div className="empty" role="note">
          <p>
            <strong>Nothing imported yet.</strong>
          </p>
          <p className="small muted">Each source you import is listed here with its SHA-256, the importer that read it and its import report.</p>
        </div>
      )}
      <div className="stack">
        {list.data?.sources.map((s) => <SourceCard key={s.id} source={s} />)}
      </div>
      {runs.length > 0 && (
        <section className="card" aria-label="Imports that did not complete" style={{ marginTop: 12 }}>
          <h2>Imports that did not complete</h2>
          <p className="small muted">Rolled back: none of their messages are in the case.</p>
          <table className="plain">
            <thead>
              <tr>
                <th>Run</th>
                <th>Source</th>
                <th>SHA-256</th>
                <th>Importer</th>
                <th>Outcome</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.runId}>
                  <td>{r.runId}</td>
                  <td className="mono small" style={{ overflowWrap: 'anywhere' }}>{r.path}</td>
                  <td className="mono small" style={{ overflowWrap: 'anywhere' }}>{r.sha256}</td>
                  <td>
                    {r.format} {r.importerVersion}
                  </td>
                  <td>
                    {r.status}
                    {r.rolledBackMessages > 0 ? `, ${plural(r.rolledBackMessages, 'message')} rolled back` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}

function SourceCard({ source: s }: { source: SourceDTO }) {
  const tz = useTimeZone();
  const [showFiles, setShowFiles] = useState(false);
  const files = useApi('sources.files', showFiles ? { sourceId: s.id, offset: 0, limit: 200 } : null);
  const r = s.report;
  return (
    <section className="card" aria-label={`Source ${s.name}`}>
      <div className="row">
        <h2 className="grow" style={{ margin: 0 }}>
          {s.name}
        </h2>
        <span className={`badge ${s.stats.warnings ? 'warn' : 'ok'}`}>{s.stats.warnings ? plural(s.stats.warnings, 'warning') : 'no warnings'}</span>
      </div>
      <dl className="facts small" style={{ marginTop: 8 }}>
        <dt>SHA-256</dt>
        <dd className="mono" style={{ overflowWrap: 'anywhere' }}>{s.sha256}</dd>
        <dt>File</dt>
        <dd>
          <span className="mono">{s.path}</span> ({bytes(s.size)})
        </dd>
        <dt>Importer</dt>
        <dd>
          {s.formatName} (<span className="mono">{s.format}</span>), version {s.importerVersion}
        </dd>
        <dt>Custodian</dt>
        <dd>{s.custodian ?? '—'}</dd>
        <dt>Time zone</dt>
        <dd>
          {s.timeZone}
          {s.timeZoneReason && <span className="muted"> — {s.timeZoneReason}</span>}
          {s.dateOrder && <span className="muted"> · dates read {s.dateOrder.toUpperCase()}</span>}
        </dd>
        <dt>Imported</dt>
        <dd>
          {dateTime(s.importedAt, tz)} · run {s.runId} ({s.runStatus}){s.auditSeq !== null && <> · audit entry {s.auditSeq}</>}
        </dd>
        <dt>Contents</dt>
        <dd>
          {plural(s.messages, 'message')}, {plural(s.stats.conversations, 'new conversation')}, {plural(s.stats.attachments, 'attachment')}
          {s.stats.duplicatesSkipped > 0 && <>, {plural(s.stats.duplicatesSkipped, 'duplicate')} already in the case</>}
          {s.stats.held > 0 && <>, {plural(s.stats.held, 'message')} put under an existing hold</>}
        </dd>
      </dl>
      {r ? (
        <div className="small" aria-label="Import report" role="group" style={{ marginTop: 8 }}>
          <strong>Import report:</strong> {count(r.read)} read, {count(r.imported)} imported, {count(r.duplicates)} duplicates
          {r.flagged.timeUnknown > 0 && <>, {count(r.flagged.timeUnknown)} with time unknown</>}
          {r.flagged.authorUnknown > 0 && <>, {count(r.flagged.authorUnknown)} with author unknown</>}
          {r.skipped.count > 0 ? (
            <>
              ; {count(r.skipped.count)} skipped: {r.skipped.reasons.map((x) => `${x.reason} (${count(x.count)})`).join(', ')}
            </>
          ) : (
            <>; nothing skipped</>
          )}
          .
        </div>
      ) : (
        <div className="small muted" style={{ marginTop: 8 }}>
          No import report: this source was imported before reports were recorded.
        </div>
      )}
      {s.stats.warnings > 0 && (
        <details style={{ marginTop: 8 }}>
          <summary>{plural(s.stats.warnings, 'warning')}</summary>
          {s.warningsListed ? (
            <ul className="small" aria-label={`Warnings of ${s.name}`}>
              {s.warningsListed.map((w, i) => (
                <li key={i}>
                  <code>{w.code}</code> at {w.locator}: {w.message}
                </li>
              ))}
              {s.warningsListed.length < s.stats.warnings && <li className="muted">… the first {count(s.warningsListed.length)} are kept in the case.</li>}
            </ul>
          ) : (
            <p className="small muted">This source was imported before warnings were kept in the case; its import showed them.</p>
          )}
        </details>
      )}
      {s.files > 0 && (
        <details style={{ marginTop: 8 }} onToggle={(e) => setShowFiles((e.target as HTMLDetailsElement).open)}>
          <summary>{plural(s.files, 'file')} read inside it, each hashed</summary>
          <ErrorNotice error={files.error} />
          {files.data && (
            <table className="plain small" aria-label={`Files in ${s.name}`}>
              <thead>
                <tr>
                  <th>Path inside the source</th>
                  <th>Size</th>
                  <th>SHA-256</th>
                </tr>
              </thead>
              <tbody>
                {files.data.files.map((f) => (
                  <tr key={f.path}>
                    <td className="mono">{f.path}</td>
                    <td className="nowrap">{bytes(f.size)}</td>
                    <td className="mono" style={{ overflowWrap: 'anywhere' }}>{f.sha256}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {files.data && files.data.total > files.data.files.length && <p className="small muted">The first {count(files.data.files.length)} of {count(files.data.total)} are listed.</p>}
        </details>
      )}
    </section>
  );
}
