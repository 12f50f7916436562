/** Before a case is open: open one (recent cases, or a path) with its passphrase, create one, or connect to a matter server. */
import { useRef, useState } from 'react';
import { api } from '../../lib/api.ts';
import { useAction, useApi } from '../../lib/hooks.ts';
import { dateTime } from '../../lib/format.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Hero } from '../../components/Hero.tsx';
import { PathInput } from '../../components/PathInput.tsx';
import { ConnectCard } from '../matter/ConnectCard.tsx';

const CASE_FILTERS = [{ name: 'Holdfast case', extensions: ['hfcase'] }];
export const MIN_PASSPHRASE = 8;

export function CasesScreen({ canPickPaths, launchCase }: { canPickPaths: boolean; launchCase: string | null }) {
  const recent = useApi('cases.recent', {});
  const [openPath, setOpenPath] = useState(launchCase ?? '');
  const [openPass, setOpenPass] = useState('');
  const passRef = useRef<HTMLInputElement>(null);
  const open = useAction((path: string, passphrase: string) => api.call('cases.open', { path, passphrase }));

  const [createPath, setCreatePath] = useState('');
  const [matter, setMatter] = useState('');
  const [examiner, setExaminer] = useState('');
  const [tz, setTz] = useState(Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  const [pass1, setPass1] = useState('');
  const [pass2, setPass2] = useState('');
  const create = useAction(() =>
    api.call('cases.create', {
      path: createPath,
      passphrase: pass1,
      ...(matter ? { matter } : {}),
      ...(examiner ? { examiner } : {}),
      displayTz: tz,
    }),
  );
  const createProblem =
    pass1 && pass1.length < MIN_PASSPHRASE ? `Use at least ${MIN_PASSPHRASE} characters.` : pass2 && pass1 !== pass2 ? 'The passphrases differ.' : null;

  return (
    <div className="welcome">
      <Hero tagline="Offline review of chat evidence. Every case is one encrypted file on this computer; a team reviews together on a matter server." />
      <div className="cards">
        <section className="card stack" aria-labelledby="open-title">
          <h2 id="open-title">Open a case</h2>
          {recent.data && recent.data.length > 0 && (
            <div>
              <h3>Recent cases</h3>
              <ul className="recent">
                {recent.data.map((r) => (
                  <li key={r.path}>
                    <div className="grow">
                      <div>{r.matter || '(no matter name)'}</div>
                      <div className="path" title={r.path}>{r.path}</div>
                      <div className="small muted">{r.exists ? `Opened ${dateTime(r.lastOpenedAt, Intl.DateTimeFormat().resolvedOptions().timeZone)}` : 'File not found'}</div>
                    </div>
                    <button
                      type="button"
                      className="small"
                      disabled={!r.exists}
                      onClick={() => {
                        setOpenPath(r.path);
                        passRef.current?.focus();
                      }}
                      aria-label={`Open ${r.matter || r.path}`}
                    >
                      Open
                    </button>
                    <button type="button" className="ghost small" onClick={() => void api.call('cases.forget', { path: r.path }).then(() => recent.reload())} aria-label={`Forget ${r.matter || r.path}`}>
                      ✕
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          )}
          <form
            className="stack"
            onSubmit={(e) => {
              e.preventDefault();
              void open.run(openPath, openPass).then((r) => r && setOpenPass(''));
            }}
          >
            <PathInput label="Case file" value={openPath} onChange={setOpenPath} mode="open-file" canPick={canPickPaths} filters={CASE_FILTERS} placeholder="/path/to/matter.hfcase" />
            <label className="field">
              Passphrase
              <input ref={passRef} type="password" value={openPass} onChange={(e) => setOpenPass(e.target.value)} autoComplete="current-password" />
            </label>
            <ErrorNotice error={open.error} onDismiss={open.clear} />
            <div className="row">
              <button type="submit" className="primary" disabled={!openPath || !openPass || open.busy}>
                {open.busy ? 'Opening…' : 'Open case'}
              </button>
            </div>
          </form>
        </section>

        <section className="card" aria-labelledby="create-title">
          <h2 id="create-title">Create a case</h2>
          <form
            className="stack"
            onSubmit={(e) => {
              e.preventDefault();
              if (!createProblem) void create.run();
            }}
          >
            <PathInput label="New case file" value={createPath} onChange={setCreatePath} mode="save-file" canPick={canPickPaths} filters={CASE_FILTERS} placeholder="/path/to/new-matter.hfcase" />
            <div className="row wrap">
              <label className="field grow">
                Matter
                <input type="text" value={matter} onChange={(e) => setMatter(e.target.value)} placeholder="Acme v. Example" />
              </label>
              <label className="field grow">
                Examiner
                <input type="text" value={examiner} onChange={(e) => setExaminer(e.target.value)} placeholder="Your name (recorded in the audit log)" />
              </label>
            </div>
            <label className="field">
              Display time zone
              <input type="text" value={tz} onChange={(e) => setTz(e.target.value)} spellCheck={false} />
              <span className="hint">Review days and the dates you search by are in this zone (an IANA name such as Europe/London or UTC).</span>
            </label>
            <div className="row wrap">
              <label className="field grow">
                Passphrase
                <input type="password" value={pass1} onChange={(e) => setPass1(e.target.value)} autoComplete="new-password" />
              </label>
              <label className="field grow">
                Repeat passphrase
                <input type="password" value={pass2} onChange={(e) => setPass2(e.target.value)} autoComplete="new-password" />
              </label>
            </div>
            <span className="small muted">There is no way to recover a case without its passphrase. Keep it safe.</span>
            {createProblem && <div className="notice warn">{createProblem}</div>}
            <ErrorNotice error={create.error} onDismiss={create.clear} />
            <div className="row">
              <button type="submit" className="primary" disabled={!createPath || !pass1 || pass1 !== pass2 || !!createProblem || create.busy}>
                {create.busy ? 'Creating…' : 'Create case'}
              </button>
            </div>
          </form>
        </section>

        <ConnectCard canPickPaths={canPickPaths} />
      </div>
    </div>
  );
}
