/**
 * Search term report: a list of terms (one query per line, pasted or loaded from a file) run at
 * once — hits, unique hits, conversations and custodians per term — exported as CSV; a term opens
 * its results.
 */
import { useState } from 'react';
import type { TermReportDTO } from '../../../src/api/dto.ts';
import { api } from '../../lib/api.ts';
import { useAction } from '../../lib/hooks.ts';
import { count, plural } from '../../lib/format.ts';
import { href } from '../../lib/router.ts';
import { download, toCsv } from '../../lib/csv.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';

export function TermReportScreen() {
  const [terms, setTerms] = useState('');
  const [includePersonal, setIncludePersonal] = useState(false);
  const [report, setReport] = useState<TermReportDTO | null>(null);
  const run = useAction(async () => setReport(await api.call('search.terms', { terms, includePersonal })));
  const exportCsv = () => {
    if (!report) return;
    download(
      'search-term-report.csv',
      toCsv([
        ['Line', 'Term', 'Hits', 'Unique hits', 'Conversations', 'Custodians', 'Error'],
        ...report.terms.map((t) => [t.line, t.query, t.hits, t.uniqueHits, t.byConversation.length, t.byCustodian.map((c) => `${c.custodian} (${c.hits})`).join('; '), t.error ? `${t.error.code}: ${t.error.message}` : '']),
        ['', 'Any term', report.unionTotal, '', '', '', ''],
      ]),
    );
  };
  return (
    <div className="page">
      <div className="page-head">
        <h1>Search term report</h1>
      </div>
      <p className="muted">One query per line (blank lines and lines starting with # are skipped). Each term shows how many messages it finds, how many no other term finds, and where they are.</p>
      <form
        className="card stack"
        aria-label="Term list"
        onSubmit={(e) => {
          e.preventDefault();
          if (terms.trim()) void run.run();
        }}
      >
        <label className="field">
          Terms
          <textarea rows={8} value={terms} onChange={(e) => setTerms(e.target.value)} placeholder={'settlement\n"price fixing"\nfrom:Dana invoice'} spellCheck={false} />
        </label>
        <div className="row wrap">
          <label className="small">
            Load a list{' '}
            <input
              type="file"
              accept=".txt,.csv,text/plain"
              aria-label="Load a term list"
              onChange={(e) => {
                const f = e.target.files?.[0];
                if (f) void f.text().then(setTerms);
              }}
            />
          </label>
          <label className="check">
            <input type="checkbox" checked={includePersonal} onChange={(e) => setIncludePersonal(e.target.checked)} /> Include personal conversations
          </label>
          <span className="spacer" />
          <button type="submit" className="primary" disabled={!terms.trim() || run.busy}>
            {run.busy ? 'Running…' : 'Run report'}
          </button>
        </div>
        <ErrorNotice error={run.error} onDismiss={run.clear} />
      </form>
      {report && (
        <section className="card" aria-label="Term report" style={{ marginTop: 16 }}>
          <div className="row" style={{ marginBottom: 8 }}>
            <h2 style={{ margin: 0 }}>
              {plural(report.terms.length, 'term')}: {plural(report.unionTotal, 'message')} found by any
            </h2>
            <span className="muted small">in {report.tookMs} ms</span>
            <span className="spacer" />
            <button type="button" className="small" onClick={exportCsv}>
              Export CSV
            </button>
          </div>
          <table className="plain">
            <thead>
              <tr>
                <th scope="col">Term</th>
                <th scope="col">Hits</th>
                <th scope="col">Unique hits</th>
                <th scope="col">Conversations</th>
                <th scope="col">Custodians</th>
              </tr>
            </thead>
            <tbody>
              {report.terms.map((t) => (
                <tr key={t.line}>
                  <td>
                    {t.error ? (
                      <>
                        <code>{t.query}</code>
                        <div className="small notice error">{t.error.message}</div>
                      </>
                    ) : (
                      <a href={href('search', [], { q: t.query, ...(includePersonal ? { personal: 1 } : {}) })} title="Open the results">
                        <code>{t.query}</code>
                      </a>
                    )}
                  </td>
                  <td className="mono">{count(t.hits)}</td>
                  <td className="mono">{count(t.uniqueHits)}</td>
                  <td className="mono" title={t.byConversation.map((c) => `${c.conversation}: ${c.hits}`).join('\n')}>
                    {count(t.byConversation.length)}
                  </td>
                  <td className="small">{t.byCustodian.map((c) => `${c.custodian} (${count(c.hits)})`).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
