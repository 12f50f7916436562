/** The open case: what it holds, its passphrase, closing it. */
import { useState } from 'react';
import type { CaseStateDTO } from '../../../src/api/dto.ts';
import { api } from '../../lib/api.ts';
import { useAction, useApi } from '../../lib/hooks.ts';
import { count, setClock, useClock } from '../../lib/format.ts';
import type { Clock } from '../../lib/format.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { MIN_PASSPHRASE } from '../cases/CasesScreen.tsx';

export function CaseScreen({ state }: { state: CaseStateDTO }) {
  const info = useApi('cases.info', {}, ['imported', 'retention', 'conversations']);
  const clock = useClock();
  const [current, setCurrent] = useState('');
  const [next1, setNext1] = useState('');
  const [next2, setNext2] = useState('');
  const [changed, setChanged] = useState(false);
  const rekey = useAction(async () => {
    await api.call('cases.rekey', { passphrase: current, newPassphrase: next1 });
    setCurrent('');
    setNext1('');
    setNext2('');
    setChanged(true);
  });
  const close = useAction(() => api.call('cases.close', {}));
  const [tz, setTz] = useState(state.displayTz ?? 'UTC');
  const saveTz = useAction(() => api.call('cases.setDisplayTz', { tz: tz.trim() }));
  const problem = next1 && next1.length < MIN_PASSPHRASE ? `Use at least ${MIN_PASSPHRASE} characters.` : next2 && next1 !== next2 ? 'The new passphrases differ.' : null;
  return (
    <div className="page narrow">
      <div className="page-head">
        <h1>Case</h1>
        <span className="spacer" />
        <button type="button" onClick={() => void close.run()} disabled={close.busy}>
          Close case
        </button>
      </div>
      <ErrorNotice error={info.error ?? close.error} />
      <section className="card" style={{ marginBottom: 16 }}>
        <dl className="facts">
          <dt>Matter</dt>
          <dd>{state.matter}</dd>
          <dt>File</dt>
          <dd className="mono">{state.path}</dd>
          <dt>Examiner</dt>
          <dd>{state.examiner}</dd>
          <dt>Display time zone</dt>
          <dd>
            <form
              className="row"
              onSubmit={(e) => {
                e.preventDefault();
                void saveTz.run();
              }}
            >
              <input type="text" aria-label="Display time zone" value={tz} onChange={(e) => setTz(e.target.value)} spellCheck={false} />
              <button type="submit" className="small" disabled={saveTz.busy || tz.trim() === state.displayTz}>
                Change
              </button>
            </form>
            <span className="small muted">Review days, date filters and the times shown use this zone.</span>
            <ErrorNotice error={saveTz.error} onDismiss={saveTz.clear} />
          </dd>
          <dt>Clock</dt>
          <dd>
            <select aria-label="Clock" value={clock} onChange={(e) => setClock(e.target.value as Clock)}>
              <option value="24">24-hour (14:05)</option>
              <option value="12">12-hour (2:05 PM)</option>
            </select>
            <div className="small muted">Every time in the app follows this setting (remembered on this computer).</div>
          </dd>
          <dt>Case id</dt>
          <dd className="mono">{state.caseId}</dd>
          {info.data && (
            <>
              <dt>Schema</dt>
              <dd>{info.data.schemaVersion}</dd>
              <dt>Holds</dt>
              <dd>
                {count(info.data.sources)} sources, {count(info.data.custodians)} custodians, {count(info.data.conversations)} conversations, {count(info.data.messages)} messages, {count(info.data.events)} events, {count(info.data.attachments)} attachments
              </dd>
            </>
          )}
        </dl>
      </section>
      <form
        className="card stack"
        aria-label="Change the passphrase"
        onSubmit={(e) => {
          e.preventDefault();
          if (!problem) void rekey.run();
        }}
      >
        <h2>Change the passphrase</h2>
        <p className="muted small">The whole file is re-encrypted with the new passphrase. Keep it safe: a case cannot be opened without it.</p>
        <label className="field">
          Current passphrase
          <input type="password" value={current} onChange={(e) => setCurrent(e.target.value)} autoComplete="current-password" />
        </label>
        <div className="row wrap">
          <label className="field grow">
            New passphrase
            <input type="password" value={next1} onChange={(e) => setNext1(e.target.value)} autoComplete="new-password" />
          </label>
          <label className="field grow">
            Repeat new passphrase
            <input type="password" value={next2} onChange={(e) => setNext2(e.target.value)} autoComplete="new-password" />
          </label>
        </div>
        {problem && <div className="notice warn">{problem}</div>}
        {changed && <div className="notice ok" role="status">The passphrase was changed.</div>}
        <ErrorNotice error={rekey.error} onDismiss={rekey.clear} />
        <div>
          <button type="submit" className="primary" disabled={!current || !next1 || next1 !== next2 || !!problem || rekey.busy}>
            Change passphrase
          </button>
        </div>
      </form>
    </div>
  );
}
