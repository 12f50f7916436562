/**
 * Text in images (OCR) for the whole case: the languages to read with (the case's suggestion
 * ticked; the first ticked is the main one), the images not read yet, a button that starts the
 * job, its progress with Cancel, and what it did. The text it finds is derived: shown beside each
 * image in the conversation, searchable with ocr:, never produced as the sender's.
 */
import { useState } from 'react';
import { api } from '../../lib/api.ts';
import { useAction, useApi } from '../../lib/hooks.ts';
import { useJob } from '../../lib/jobs.ts';
import { plural } from '../../lib/format.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Progress } from '../../components/Progress.tsx';

export function OcrCard() {
  const options = useApi('enrich.ocrOptions', {}, ['imported', 'recognised']);
  // null until the examiner changes the choice: the case's suggestion, as the server last gave it.
  const [langs, setLangs] = useState<string[] | null>(null);
  const [redo, setRedo] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useJob(jobId);
  const chosen = langs ?? options.data?.suggested ?? [];
  const start = useAction(async () => setJobId((await api.call('enrich.ocr', { langs: chosen, ...(redo ? { redo } : {}) })).jobId));
  const cancel = useAction(async () => jobId && api.call('jobs.cancel', { jobId }));
  const running = job?.state === 'running';
  const toggle = (code: string, on: boolean) => setLangs(on ? [...chosen, code] : chosen.filter((c) => c !== code));
  const result = job?.kind === 'ocr' ? job.result : null;
  return (
    <section className="card" aria-label="Text in images" style={{ marginBottom: 12 }}>
      <div className="row">
        <h2 className="grow" style={{ margin: 0 }}>
          Text in images (OCR)
        </h2>
        {options.data && <span className="muted small">{plural(options.data.pendingImages, 'image')} not read yet</span>}
      </div>
      <p className="small muted">
        Recognised offline with tesseract.js and the language data installed with Holdfast. The text is derived: shown beside each image in the conversation, found with{' '}
        <code>ocr:</code>, never produced as what the sender wrote.
      </p>
      <ErrorNotice error={options.error ?? start.error ?? cancel.error} />
      {options.data && (
        <fieldset disabled={running}>
          <legend>Languages {chosen.length > 0 && <span className="muted small">({chosen.join('+')}; the first is the main one)</span>}</legend>
          <div role="group" aria-label="Languages to read with" className="row wrap">
            {options.data.languages.map((l) => (
              <label key={l.code} className="check">
                <input type="checkbox" checked={chosen.includes(l.code)} onChange={(e) => toggle(l.code, e.target.checked)} />
                {l.name} <span className="muted mono small">{l.code}</span>
              </label>
            ))}
          </div>
          <p className="small muted" style={{ margin: '6px 0' }}>
            Ticked for this case: {options.data.suggested.join(', ')} (its messages' languages, then English). Each language read with slows every image down.
          </p>
          <div className="row wrap">
            <label className="check">
              <input type="checkbox" checked={redo} onChange={(e) => setRedo(e.target.checked)} /> Also read again images read with other languages
            </label>
            <span className="spacer" />
            <button type="button" className="primary" onClick={() => void start.run()} disabled={running || start.busy || chosen.length === 0}>
              Recognise text in images
            </button>
          </div>
        </fieldset>
      )}
      {running && (
        <div className="row" style={{ marginTop: 12 }}>
          <div className="grow">
            <Progress progress={job.progress} label="Text recognition progress" />
          </div>
          <button type="button" onClick={() => void cancel.run()} disabled={cancel.busy}>
            Cancel
          </button>
        </div>
      )}
      {job?.state === 'succeeded' && result && (
        <div className={`notice ${result.failed.length ? 'warn' : 'ok'}`} role="status" style={{ marginTop: 12 }}>
          Recognised text in {result.recognised} of {plural(result.images, 'image')} ({result.lang}).
          {result.failed.length > 0 && (
            <ul>
              {result.failed.map((f) => (
                <li key={f.attachmentId}>
                  Attachment {f.attachmentId}: {f.error}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {job?.state === 'cancelled' && (
        <div className="notice warn" role="status" style={{ marginTop: 12 }}>
          Cancelled: the text recognised before is kept.
        </div>
      )}
      {job?.state === 'failed' && job.error && (
        <div className="notice error" role="status" style={{ marginTop: 12 }}>
          {job.error.message}
        </div>
      )}
    </section>
  );
}
