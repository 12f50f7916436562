/**
 * What the Gaps screen does with its findings: tag a finding's messages (and those around them) with
 * a chosen tag, and write the findings report for counsel (XLSX or PDF) with its SHA-256.
 */
import { useState } from 'react';
import type { FindingTagResultDTO, GapReportFileDTO } from '../../../src/api/analysis-dto.ts';
import { api } from '../../lib/api.ts';
import { useAction, useApi } from '../../lib/hooks.ts';
import { plural } from '../../lib/format.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { PathInput } from '../../components/PathInput.tsx';

export interface FindingRef {
  /** Names the finding in the audit entry. */
  finding: string;
  conversationId: number;
  messageIds: number[];
}

export interface Tagging {
  tag: string;
  around: number;
  run: (f: FindingRef) => Promise<FindingTagResultDTO | undefined>;
  busy: boolean;
}

export function useTagging(): { tagging: Tagging; bar: React.ReactNode } {
  const tags = useApi('tags.list', {}, ['tags']);
  const [tag, setTag] = useState('');
  const [around, setAround] = useState(3);
  const [done, setDone] = useState<string | null>(null);
  const action = useAction(async (f: FindingRef) => {
    const r = await api.call('analysis.tagFinding', { tag, finding: f.finding, conversationId: f.conversationId, messageIds: f.messageIds, around });
    setDone(`Tagged ${plural(r.changed, 'message')} “${r.tag}”: ${f.finding}, with ${around} either side (${plural(r.messageIds.length, 'message')}).`);
    return r;
  });
  const bar = (
    <div className="row small" style={{ gap: 8, alignItems: 'center', marginBottom: 12, flexWrap: 'wrap' }}>
      <label>
        Tag findings with{' '}
        <select aria-label="Tag for findings" value={tag} onChange={(e) => setTag(e.target.value)}>
          <option value="">choose a tag…</option>
          {(tags.data ?? []).map((t) => (
            <option key={t.id} value={t.name}>
              {t.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        and{' '}
        <input type="number" aria-label="Messages around each finding" min={0} max={50} value={around} style={{ width: 56 }} onChange={(e) => setAround(Math.max(0, Math.min(50, Number(e.target.value) || 0)))} />{' '}
        messages either side
      </label>
      {done && <span role="status">{done}</span>}
      <ErrorNotice error={action.error} />
    </div>
  );
  return { tagging: { tag, around, run: action.run, busy: action.busy }, bar };
}

export function TagButton({ tagging, finding }: { tagging: Tagging; finding: FindingRef }) {
  return (
    <button type="button" className="small" disabled={!tagging.tag || tagging.busy} title={tagging.tag ? `Tag with “${tagging.tag}”` : 'Choose a tag first'} onClick={() => void tagging.run(finding)}>
      Tag
    </button>
  );
}

/** The report for counsel: a path ending .xlsx or .pdf, written by the core, its SHA-256 shown. */
export function ReportExport({ canPickPaths, range }: { canPickPaths: boolean; range: { from?: string; to?: string } }) {
  const [out, setOut] = useState('');
  const [written, setWritten] = useState<GapReportFileDTO | null>(null);
  const action = useAction(async () => setWritten(await api.call('analysis.gapsReport', { ...range, path: out })));
  return (
    <section className="card" aria-label="Report for counsel" style={{ marginBottom: 12 }}>
      <h2>Report for counsel</h2>
      <p className="muted small">Every finding with the messages around it (time, sender, custodian and source, text), as XLSX or PDF. An internal, privileged report, not a production: texts appear unredacted.</p>
      <PathInput label="Report file" value={out} onChange={setOut} mode="save-file" canPick={canPickPaths} placeholder="/reports/gap-findings.pdf" hint="Ends in .xlsx or .pdf; an existing file is not overwritten." filters={[{ name: 'Report', extensions: ['pdf', 'xlsx'] }]} />
      <button type="button" className="primary" disabled={!/\.(xlsx|pdf)$/i.test(out) || action.busy} onClick={() => void action.run()}>
        Export report
      </button>
      {written && (
        <p role="status" className="small">
          Wrote {written.path}: {plural(written.findings, 'finding')}, {plural(written.evidence, 'message')} of evidence. SHA-256 <span className="mono">{written.sha256}</span>
        </p>
      )}
      <ErrorNotice error={action.error} />
    </section>
  );
}
