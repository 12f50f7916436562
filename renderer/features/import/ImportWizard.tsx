/**
 * Import: choose the source, see what Holdfast detected in it, set custodian, time zone and date
 * order (and the password or key of an encrypted backup), follow the job (cancel any time: nothing
 * half-imported stays), read the report.
 */
import { useState } from 'react';
import type { DetectResultDTO, ImportResultDTO } from '../../../src/api/dto.ts';
import { api } from '../../lib/api.ts';
import { useAction, useApi } from '../../lib/hooks.ts';
import { useJob } from '../../lib/jobs.ts';
import { count, plural } from '../../lib/format.ts';
import { href } from '../../lib/router.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { PathInput } from '../../components/PathInput.tsx';
import { Progress } from '../../components/Progress.tsx';

type Step = 'source' | 'options' | 'running' | 'report';
const STEPS: { id: Step; label: string }[] = [
  { id: 'source', label: '1 Source' },
  { id: 'options', label: '2 Details' },
  { id: 'running', label: '3 Import' },
  { id: 'report', label: '4 Report' },
];

export function ImportWizard({ canPickPaths }: { canPickPaths: boolean }) {
  const [step, setStep] = useState<Step>('source');
  const [source, setSource] = useState('');
  const [detected, setDetected] = useState<DetectResultDTO | null>(null);
  const [format, setFormat] = useState('');
  const [custodian, setCustodian] = useState('');
  // Empty: the case's matter time zone (the detected source says which, and why).
  const [tz, setTz] = useState('');
  const [dateOrder, setDateOrder] = useState<'' | 'dmy' | 'mdy' | 'ymd'>('');
  const [conversation, setConversation] = useState('');
  const [owner, setOwner] = useState('');
  const [password, setPassword] = useState('');
  const [askPassword, setAskPassword] = useState(false);
  const [backupKey, setBackupKey] = useState('');
  const [backupKeyFile, setBackupKeyFile] = useState('');
  const [region, setRegion] = useState('');
  const [jobId, setJobId] = useState<string | null>(null);
  const formats = useApi('imports.formats', {});
  const job = useJob(jobId);
  const detect = useAction(async () => {
    const d = await api.call('imports.detect', { path: source, ...(format ? { format } : {}) });
    setDetected(d);
    setFormat(d.format);
    setStep('options');
    return d;
  });
  const start = useAction(async () => {
    const r = await api.call('imports.start', {
      source,
      ...(format ? { format } : {}),
      ...(custodian ? { custodian } : {}),
      ...(tz ? { tz } : {}),
      ...(dateOrder ? { dateOrder } : {}),
      ...(conversation ? { conversation } : {}),
      ...(owner.trim() ? { owner: owner.trim() } : {}),
      ...(password ? { password } : {}),
      // One key: the typed 64 digits win over a key file.
      ...(backupKey.trim() ? { backupKey: backupKey.trim() } : backupKeyFile ? { backupKeyFile } : {}),
      ...(/^[A-Z]{2}$/.test(region) ? { region } : {}),
    });
    setJobId(r.jobId);
    setStep('running');
    return r;
  });
  const finished = job && job.state !== 'running' ? job : null;
  const current: Step = step === 'running' && finished ? 'report' : step;
  const result = finished?.kind === 'import' ? finished.result : null;
  // WhatsApp for Android backups (.crypt12/14/15) open with a key, not a password.
  const keyed = detected?.format === 'whatsapp-android-db';
  const askSecret = !!detected && (detected.probe.encrypted === true || askPassword);

  return (
    <div className="page narrow">
      <div className="page-head">
        <h1>Import</h1>
      </div>
      <ol className="steps" aria-label="Import steps">
        {STEPS.map((s, i) => (
          <li key={s.id} aria-current={current === s.id ? 'step' : undefined} className={STEPS.findIndex((x) => x.id === current) > i ? 'done' : undefined}>
            {s.label}
          </li>
        ))}
      </ol>

      {current === 'source' && (
        <form
          className="card stack"
          onSubmit={(e) => {
            e.preventDefault();
            void detect.run();
          }}
        >
          <PathInput
            label="Source"
            value={source}
            onChange={setSource}
            mode="open-file"
            canPick={canPickPaths}
            autoFocus
            placeholder="/evidence/WhatsApp Chat with Dana.zip"
            hint={canPickPaths ? 'A chat export, a backup folder or a database file. You can also drop it here.' : 'Type the full path of the export, backup folder or database on this computer.'}
          />
          <label className="field">
            Format
            <select value={format} onChange={(e) => setFormat(e.target.value)}>
              <option value="">Detect automatically</option>
              {formats.data?.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.name}
                </option>
              ))}
            </select>
          </label>
          <ErrorNotice error={detect.error} onDismiss={detect.clear} />
          <div className="row">
            <button type="submit" className="primary" disabled={!source || detect.busy}>
              {detect.busy ? 'Looking…' : 'Next'}
            </button>
          </div>
        </form>
      )}

      {current === 'options' && detected && (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void start.run();
          }}
        >
          <section className="card" aria-label="Detected source">
            <h2>{detected.name}</h2>
            <p className="muted">{detected.description}</p>
            <dl className="facts">
              <dt>File</dt>
              <dd className="mono">{detected.path}</dd>
              <dt>Certainty</dt>
              <dd>{Math.round(detected.confidence * 100)}%</dd>
              {detected.probe.variant && (
                <>
                  <dt>Variant</dt>
                  <dd>{detected.probe.variant}</dd>
                </>
              )}
              {detected.probe.conversations !== null && (
                <>
                  <dt>Conversations</dt>
                  <dd>{count(detected.probe.conversations)}</dd>
                </>
              )}
              {detected.probe.messages !== null && (
                <>
                  <dt>Messages</dt>
                  <dd>{count(detected.probe.messages)}</dd>
                </>
              )}
              <dt>Time zone</dt>
              <dd data-testid="import-zone">
                {tz || detected.timeZone.zone} — {tz ? 'named for this import' : detected.timeZone.reason}
              </dd>
              <dt>Contains</dt>
              <dd>
                {[
                  detected.probe.hasAttachments ? 'attachments' : null,
                  detected.probe.hasReactions ? 'reactions' : null,
                  detected.probe.hasEdits ? 'edits' : null,
                  detected.probe.encrypted ? (keyed ? 'encryption (backup key needed)' : 'encryption (password needed)') : null,
                ]
                  .filter(Boolean)
                  .join(', ') || 'messages'}
              </dd>
            </dl>
          </section>
          <section className="card stack" aria-label="Import details">
            <label className="field">
              Custodian
              <input type="text" value={custodian} onChange={(e) => setCustodian(e.target.value)} placeholder="Whose device or account this came from" />
            </label>
            <div className="row wrap">
              <label className="field grow">
                Time zone of the source
                <input type="text" value={tz} onChange={(e) => setTz(e.target.value)} spellCheck={false} placeholder={detected.timeZone.zone} />
                <span className="hint">Used where the source's times carry no zone (WhatsApp text exports). Empty: the case's matter time zone, {detected.timeZone.zone}.</span>
              </label>
              <label className="field">
                Date order
                <select value={dateOrder} onChange={(e) => setDateOrder(e.target.value as typeof dateOrder)}>
                  <option value="">Infer from the dates</option>
                  <option value="dmy">Day/Month/Year</option>
                  <option value="mdy">Month/Day/Year</option>
                  <option value="ymd">Year/Month/Day</option>
                </select>
              </label>
            </div>
            <label className="field">
              Conversation name
              <input type="text" value={conversation} onChange={(e) => setConversation(e.target.value)} placeholder="From the file name when left empty" />
            </label>
            <label className="field">
              Device owner
              <input type="text" value={owner} onChange={(e) => setOwner(e.target.value)} placeholder="The owner's name as the chat shows it" aria-label="Device owner" />
              <span className="hint">Their messages are outgoing, everyone else's incoming (WhatsApp text exports do not say who sent what from the phone).</span>
            </label>
            {format === 'android-mmssms-db' && (
              <label className="field">
                Phone region
                <input type="text" value={region} maxLength={2} onChange={(e) => setRegion(e.target.value.toUpperCase())} placeholder="GB, US…: for numbers saved without a country code" />
              </label>
            )}
            {askSecret && !keyed && (
              <label className="field">
                Backup password
                <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="off" />
              </label>
            )}
            {askSecret && keyed && (
              <>
                <label className="field">
                  WhatsApp backup key
                  <input type="password" value={backupKey} onChange={(e) => setBackupKey(e.target.value)} autoComplete="off" spellCheck={false} />
                  <span className="hint">
                    The 64-digit key of an end-to-end encrypted backup (.crypt15), as written down when it was turned on (Settings → Chats → Chat
                    backup → End-to-end encrypted backup). Or give a key file below.
                  </span>
                </label>
                <PathInput
                  label="WhatsApp key file"
                  value={backupKeyFile}
                  onChange={setBackupKeyFile}
                  mode="open-file"
                  canPick={canPickPaths}
                  hint="encrypted_backup.key for .crypt15, or key for .crypt12/.crypt14: in the phone's /data/data/com.whatsapp/files/ (a rooted phone or a full file-system extraction)."
                />
              </>
            )}
          </section>
          <ErrorNotice error={start.error} onDismiss={start.clear} />
          <div className="row">
            <button type="button" onClick={() => setStep('source')}>
              Back
            </button>
            <button type="submit" className="primary" disabled={start.busy}>
              Import
            </button>
          </div>
        </form>
      )}

      {current === 'running' && (
        <section className="card stack" aria-label="Import progress">
          <h2>Importing {source.split(/[\\/]/).pop()}</h2>
          <Progress progress={job?.progress ?? null} label="Import progress" />
          <p className="small muted">You can keep working in other sections; the import runs in the background.</p>
          <div className="row">
            <button type="button" className="danger" onClick={() => jobId && void api.call('jobs.cancel', { jobId })}>
              Cancel import
            </button>
          </div>
        </section>
      )}

      {current === 'report' && finished && (
        <section className="card stack" aria-label="Import report">
          {finished.state === 'succeeded' && result ? <Report result={result} /> : null}
          {finished.state === 'cancelled' && <div className="notice warn">The import was cancelled. Nothing from it was kept.</div>}
          {finished.state === 'failed' && finished.error && (
            <div className="notice error" role="alert">
              <span className="code">{finished.error.code}</span>
              {finished.error.message}
            </div>
          )}
          <div className="row">
            {finished.state !== 'succeeded' && (
              <button
                type="button"
                onClick={() => {
                  if (finished.error?.code === 'IMPORT_NEEDS_PASSWORD') setAskPassword(true);
                  setJobId(null);
                  setStep('options');
                }}
              >
                Change the details and try again
              </button>
            )}
            <button
              type="button"
              onClick={() => {
                setStep('source');
                setJobId(null);
                setDetected(null);
                setSource('');
              }}
            >
              Import another source
            </button>
            {finished.state === 'succeeded' && (
              <a className="button primary" href={href('conversations')}>
                Review conversations
              </a>
            )}
          </div>
        </section>
      )}
    </div>
  );
}

function Report({ result }: { result: ImportResultDTO }) {
  return (
    <>
      <h2>{result.alreadyImported ? 'Already imported' : 'Imported'}</h2>
      {result.alreadyImported ? (
        <div className="notice ok">This exact file (same SHA-256) was imported before as source {result.sourceId}; nothing was added.</div>
      ) : (
        <div className="notice ok" role="status">
          {plural(result.messages, 'message')} in {plural(result.conversations, 'new conversation')}, {plural(result.attachments, 'attachment')};{' '}
          {plural(result.duplicatesSkipped, 'duplicate')} skipped.
        </div>
      )}
      <dl className="facts">
        <dt>Source</dt>
        <dd>{result.sourceId}</dd>
        <dt>Format</dt>
        <dd>{result.format}</dd>
        <dt>SHA-256</dt>
        <dd className="mono" style={{ overflowWrap: 'anywhere' }}>{result.sha256}</dd>
        <dt>Time zone</dt>
        <dd>
          {result.report.timeZone.zone} — {result.report.timeZone.reason}
        </dd>
        <dt>Messages read</dt>
        <dd>{count(result.report.read)}</dd>
        <dt>Imported</dt>
        <dd>{count(result.report.imported)}</dd>
        <dt>Duplicates</dt>
        <dd>{count(result.report.duplicates)}</dd>
        <dt>Flagged</dt>
        <dd>
          time unknown {count(result.report.flagged.timeUnknown)}, author unknown {count(result.report.flagged.authorUnknown)}
        </dd>
        <dt>Skipped</dt>
        <dd>
          {count(result.report.skipped.count)}
          {result.report.skipped.reasons.map((r) => ` — ${count(r.count)}: ${r.reason}`).join('')}
        </dd>
        <dt>Warnings</dt>
        <dd>{count(result.warningCount)}</dd>
      </dl>
      {result.warnings.length > 0 && (
        <div>
          <h3>Warnings{result.warningCount > result.warnings.length ? ` (first ${count(result.warnings.length)} of ${count(result.warningCount)})` : ''}</h3>
          <div style={{ maxHeight: 320, overflow: 'auto' }}>
            <table className="plain">
              <thead>
                <tr>
                  <th scope="col">Code</th>
                  <th scope="col">Where</th>
                  <th scope="col">What</th>
                </tr>
              </thead>
              <tbody>
                {result.warnings.map((w, i) => (
                  <tr key={i}>
                    <td className="mono nowrap">{w.code}</td>
                    <td className="mono nowrap">{w.locator}</td>
                    <td>{w.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </>
  );
}
