/**
 * Productions: define what leaves the building (query and/or tags; privileged and personal
 * withheld unless chosen), the format, the work-product fields (none unless picked, with a
 * warning) and Bates numbering (continuing the prefix unless a first number is given); see what
 * it will hold — messages, conversations, attachments, withheld, the first Bates number — before
 * pressing the button; run it as a job with progress and cancel, then read its manifest: every
 * file with its SHA-256 and Bates range.
 */
import { useState } from 'react';
import type { ProductionFormat, ProductionResultDTO } from '../../../src/api/dto.ts';
import { api } from '../../lib/api.ts';
import { useAction, useApi } from '../../lib/hooks.ts';
import { useJob } from '../../lib/jobs.ts';
import { bytes, count, dateTime, useTimeZone } from '../../lib/format.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { PathInput } from '../../components/PathInput.tsx';
import { Progress } from '../../components/Progress.tsx';

/** Work product: off by default; picking any shows a warning. */
type Field = 'tags' | 'notes' | 'basis' | 'coding';
const FIELDS: { id: Field; label: string }[] = [
  { id: 'tags', label: 'Reviewer tags' },
  { id: 'notes', label: 'Reviewer notes' },
  { id: 'basis', label: 'Recorded privilege bases' },
  { id: 'coding', label: 'Custom coding fields' },
];

const FORMATS: { id: ProductionFormat; label: string }[] = [
  { id: 'pdf', label: 'PDF transcripts (Bates-stamped)' },
  { id: 'xlsx', label: 'Spreadsheet (XLSX)' },
  { id: 'rsmf', label: 'RSMF 2.0' },
  { id: 'dat', label: 'Concordance load file (DAT)' },
  { id: 'privlog', label: 'Privilege log' },
];

export function ProductionsScreen({ canPickPaths }: { canPickPaths: boolean }) {
  const tz = useTimeZone();
  const tags = useApi('tags.list', {}, ['tags']);
  const list = useApi('productions.list', {}, ['productions']);
  const [format, setFormat] = useState<ProductionFormat>('pdf');
  const [name, setName] = useState('');
  const [query, setQuery] = useState('');
  const [chosenTags, setChosenTags] = useState<string[]>([]);
  const [includePrivileged, setIncludePrivileged] = useState(false);
  const [includePersonal, setIncludePersonal] = useState(false);
  const [prefix, setPrefix] = useState('HF');
  const [start, setStart] = useState('');
  const [fields, setFields] = useState<Field[]>([]);
  const [width, setWidth] = useState(7);
  const [per, setPer] = useState<'unit' | 'conversation' | 'message'>('unit');
  const [context, setContext] = useState(0);
  const [legend, setLegend] = useState('CONFIDENTIAL');
  const [pageSize, setPageSize] = useState<'A4' | 'LETTER'>('A4');
  const [out, setOut] = useState('');
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useJob(jobId);
  const definition = {
    format,
    ...(name.trim() ? { name: name.trim() } : {}),
    ...(query.trim() ? { query: query.trim() } : {}),
    ...(chosenTags.length ? { tags: chosenTags } : {}),
    includePrivileged,
    includePersonal,
    batesPrefix: prefix,
    ...(start.trim() ? { batesStart: Number(start) } : {}),
    batesWidth: width,
    ...(format === 'pdf' || format === 'privlog' ? { per } : {}),
    ...(context > 0 ? { context } : {}),
    ...(format === 'pdf' ? { legend, pageSize } : {}),
    ...(fields.length ? { fields } : {}),
  };
  const chosen = query.trim() !== '' || chosenTags.length > 0;
  // Counted by the engine as the production would select: refreshed when the case changes (a production takes numbers).
  const preview = useApi('productions.preview', chosen ? definition : null, ['productions', 'tags']);
  const startJob = useAction(async () => {
    const r = await api.call('productions.start', { ...definition, out });
    setJobId(r.jobId);
    return r;
  });
  const result = job?.kind === 'produce' && job.state === 'succeeded' ? job.result : null;
  const running = job?.state === 'running';
  return (
    <div className="page">
      <div className="page-head">
        <h1>Productions</h1>
      </div>
      <div className="cards" style={{ gridTemplateColumns: 'minmax(360px, 520px) 1fr' }}>
        <form
          className="card stack"
          aria-label="New production"
          onSubmit={(e) => {
            e.preventDefault();
            void startJob.run();
          }}
        >
          <h2>New production</h2>
          <label className="field">
            Format
            <select value={format} onChange={(e) => setFormat(e.target.value as ProductionFormat)}>
              {FORMATS.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.label}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            Name
            <input type="text" value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. First production to opposing counsel" />
          </label>
          <fieldset className="stack">
            <legend>Selection</legend>
            <label className="field">
              Query
              <input type="text" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="e.g. tag:Responsive -tag:Privileged" spellCheck={false} />
            </label>
            <div role="group" aria-label="Tags to produce" className="row wrap">
              {tags.data?.map((t) => (
                <label key={t.id} className="check">
                  <input type="checkbox" checked={chosenTags.includes(t.name)} onChange={(e) => setChosenTags(e.target.checked ? [...chosenTags, t.name] : chosenTags.filter((n) => n !== t.name))} />
                  {t.name}
                </label>
              ))}
            </div>
            <label className="check">
              <input type="checkbox" checked={includePrivileged} onChange={(e) => setIncludePrivileged(e.target.checked)} /> Include privileged messages
            </label>
            <label className="check">
              <input type="checkbox" checked={includePersonal} onChange={(e) => setIncludePersonal(e.target.checked)} /> Include personal conversations
            </label>
            <label className="field">
              Context messages around each
              <input type="number" min={0} max={100} value={context} onChange={(e) => setContext(Number(e.target.value))} style={{ width: 100 }} />
            </label>
          </fieldset>
          <fieldset className="row wrap">
            <legend>Bates numbering</legend>
            <label className="field">
              Prefix
              <input type="text" value={prefix} onChange={(e) => setPrefix(e.target.value)} style={{ width: 110 }} />
            </label>
            <label className="field">
              First number
              <input type="number" min={1} value={start} onChange={(e) => setStart(e.target.value)} style={{ width: 120 }} placeholder="continue" aria-label="First number" />
            </label>
            <label className="field">
              Digits
              <input type="number" min={1} max={12} value={width} onChange={(e) => setWidth(Number(e.target.value))} style={{ width: 80 }} />
            </label>
            <span className="small muted" style={{ alignSelf: 'end', paddingBottom: 8 }}>
              {start.trim() ? 'Starts at' : 'Continues the prefix at'}{' '}
              <strong className="mono" data-testid="next-bates">{preview.data?.nextBates ?? `${prefix}${(start.trim() || '1').padStart(width, '0')}`}</strong>
            </span>
          </fieldset>
          <fieldset className="stack">
            <legend>Work product</legend>
            <div role="group" aria-label="Work-product fields" className="row wrap">
              {FIELDS.map((f) => (
                <label key={f.id} className="check">
                  <input type="checkbox" checked={fields.includes(f.id)} onChange={(e) => setFields(e.target.checked ? [...fields, f.id] : fields.filter((x) => x !== f.id))} />
                  {f.label}
                </label>
              ))}
            </div>
            {fields.length === 0 ? (
              <span className="hint">None is produced: tags, notes and privilege bases stay in the case.</span>
            ) : (
              <div className="notice warn" role="alert">
                Work product will leave the firm with this production ({fields.map((f) => FIELDS.find((x) => x.id === f)!.label.toLowerCase()).join(', ')}). Produce it only if that is intended.
              </div>
            )}
          </fieldset>
          {(format === 'pdf' || format === 'privlog') && (
            <fieldset className="row wrap">
              <legend>{format === 'pdf' ? 'PDF' : 'Privilege log'}</legend>
              <label className="field">
                One {format === 'pdf' ? 'transcript' : 'row'} per
                <select value={per} onChange={(e) => setPer(e.target.value as typeof per)}>
                  <option value="unit">conversation-day</option>
                  <option value="conversation">conversation</option>
                  {format === 'privlog' && <option value="message">message</option>}
                </select>
              </label>
              {format === 'pdf' && (
                <>
                  <label className="field">
                    Page size
                    <select value={pageSize} onChange={(e) => setPageSize(e.target.value as typeof pageSize)}>
                      <option value="A4">A4</option>
                      <option value="LETTER">Letter</option>
                    </select>
                  </label>
                  <label className="field grow">
                    Legend on every page
                    <input type="text" value={legend} onChange={(e) => setLegend(e.target.value)} />
                  </label>
                </>
              )}
            </fieldset>
          )}
          {chosen && (
            <section aria-label="What will be produced" className="notice" role="status">
              <strong>Will be produced</strong>
              <ErrorNotice error={preview.error} />
              {preview.data && (
                <dl className="facts small" data-testid="production-counts">
                  <dt>Messages</dt>
                  <dd>{count(preview.data.messages)}{preview.data.contextMessages ? ` (${count(preview.data.contextMessages)} as context)` : ''}</dd>
                  <dt>Conversations</dt>
                  <dd>{count(preview.data.conversations)}</dd>
                  <dt>Attachments</dt>
                  <dd>{count(preview.data.attachments)}</dd>
                  <dt>Withheld</dt>
                  <dd>{count(preview.data.withheld)}{preview.data.withheld ? ' (slip sheets and a privilege log)' : ''}</dd>
                  <dt>First Bates</dt>
                  <dd className="mono">{preview.data.nextBates}</dd>
                </dl>
              )}
              {preview.data?.messages === 0 && <div className="notice warn">Nothing would be produced: the production would be refused.</div>}
            </section>
          )}
          <PathInput label="Output folder" value={out} onChange={setOut} mode="open-folder" canPick={canPickPaths} hint="A new or empty folder; the production and its manifest are written there." placeholder="/productions/HF-001" />
          <ErrorNotice error={startJob.error} onDismiss={startJob.clear} />
          <div className="row">
            <button type="submit" className="primary" disabled={!out || running || startJob.busy || !chosen || preview.data?.messages === 0}>
              Produce
            </button>
            {running && jobId && (
              <button type="button" className="danger" onClick={() => void api.call('jobs.cancel', { jobId })}>
                Cancel
              </button>
            )}
          </div>
          {running && <Progress progress={job.progress} label="Production progress" />}
          {job?.state === 'failed' && job.error && (
            <div className="notice error" role="alert">
              <span className="code">{job.error.code}</span>
              {job.error.message}
            </div>
          )}
          {job?.state === 'cancelled' && <div className="notice warn">Cancelled: nothing was written.</div>}
        </form>
        <div className="stack">
          {result && <Manifest result={result} tz={tz} />}
          <section className="card" aria-label="Past productions">
            <h2>Past productions</h2>
            <ErrorNotice error={list.error} />
            {list.data?.length === 0 && <p className="muted">None yet.</p>}
            {list.data && list.data.length > 0 && (
              <table className="plain">
                <thead>
                  <tr>
                    <th scope="col">Production</th>
                    <th scope="col">Format</th>
                    <th scope="col">Bates</th>
                    <th scope="col">Messages</th>
                    <th scope="col">Folder</th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.map((p) => (
                    <tr key={p.id}>
                      <td>
                        {p.name}
                        <div className="small muted">
                          {p.createdBy}, {dateTime(p.createdAt, tz)}
                        </div>
                      </td>
                      <td>{p.format}</td>
                      <td className="mono small">
                        {p.batesFirst}
                        {p.batesLast && p.batesLast !== p.batesFirst ? ` – ${p.batesLast}` : ''}
                      </td>
                      <td className="mono">{count(p.messages)}</td>
                      <td className="mono small" style={{ overflowWrap: 'anywhere' }}>{p.outDir}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </div>
      </div>
    </div>
  );
}

function Manifest({ result, tz }: { result: ProductionResultDTO; tz: string }) {
  const verify = useAction(() => api.call('productions.verify', { productionId: result.productionId }));
  const [verified, setVerified] = useState<{ ok: boolean; checked: number; problems: string[] } | null>(null);
  return (
    <section className="card stack" aria-label="Production result">
      <h2>Produced: {result.name}</h2>
      <div className="notice ok" role="status">
        {count(result.messages)} messages{result.contextMessages ? ` (${count(result.contextMessages)} as context)` : ''}
        {result.withheld ? `, ${count(result.withheld)} withheld (slip sheets, privilege log)` : ''}
        {result.attachments ? `, ${count(result.attachments)} attachments` : ''} in {result.files.length} files, Bates {result.batesFirst} – {result.batesLast}.
      </div>
      {result.warnings.map((w) => (
        <div key={w} className="notice warn">
          {w}
        </div>
      ))}
      <dl className="facts small">
        <dt>Folder</dt>
        <dd className="mono">{result.outDir}</dd>
        <dt>Document date</dt>
        <dd>{dateTime(result.documentDate, tz)}{result.documentDateFixed ? ' (fixed)' : ' (time of production)'}</dd>
        <dt>Manifest SHA-256</dt>
        <dd className="mono" style={{ overflowWrap: 'anywhere' }}>{result.manifestSha256}</dd>
      </dl>
      <div style={{ maxHeight: 320, overflow: 'auto' }}>
        <table className="plain">
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Bates</th>
              <th scope="col">Size</th>
              <th scope="col">SHA-256</th>
            </tr>
          </thead>
          <tbody>
            {result.files.map((f) => (
              <tr key={f.path}>
                <td className="mono small" style={{ overflowWrap: 'anywhere' }}>{f.path.slice(result.outDir.length + 1)}</td>
                <td className="mono small nowrap">
                  {f.firstBates}
                  {f.lastBates && f.lastBates !== f.firstBates ? ` – ${f.lastBates}` : ''}
                </td>
                <td className="small nowrap">{bytes(f.size)}{f.pages ? `, ${f.pages} p.` : ''}</td>
                <td className="mono small" title={f.sha256}>{f.sha256.slice(0, 16)}…</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="row">
        <button type="button" onClick={() => void verify.run().then((r) => r && setVerified(r))} disabled={verify.busy}>
          Verify the files against the manifest
        </button>
        {verified && <span className={`badge ${verified.ok ? 'ok' : 'danger'}`}>{verified.ok ? `verified: ${verified.checked} files` : `${verified.problems.length} problems`}</span>}
      </div>
      <ErrorNotice error={verify.error} />
    </section>
  );
}
