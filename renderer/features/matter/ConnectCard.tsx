/** The open screen's "Connect to a matter server": address, account, password, and a CA file for a self-signed certificate. */
import { useRef, useState } from 'react';
import { api } from '../../lib/api.ts';
import { useAction, useApi } from '../../lib/hooks.ts';
import { dateTime } from '../../lib/format.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { PathInput } from '../../components/PathInput.tsx';

const CA_FILTERS = [{ name: 'Certificate (PEM)', extensions: ['pem', 'crt', 'cer'] }];

export function ConnectCard({ canPickPaths }: { canPickPaths: boolean }) {
  const recent = useApi('matters.recent', {});
  const [url, setUrl] = useState('');
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [caFile, setCaFile] = useState('');
  const passRef = useRef<HTMLInputElement>(null);
  const connect = useAction(() => api.call('matters.connect', { url: url.trim(), user: user.trim(), password, ...(caFile ? { caFile } : {}) }));
  const previous = useApi('matters.current', {});

  return (
    <section className="card stack" aria-labelledby="connect-title">
      <h2 id="connect-title">Connect to a matter server</h2>
      <span className="small muted">Review a matter with your team: the matter stays on the server, and everyone sees who else is working.</span>
      {previous.data?.problem && <div className="notice warn" role="status">The last connection ended: {previous.data.problem}</div>}
      {recent.data && recent.data.length > 0 && (
        <ul className="recent" aria-label="Recent matter servers">
          {recent.data.map((r) => (
            <li key={`${r.url} ${r.user}`}>
              <div className="grow">
                {/* The matter first: a long host name must not hide which matter it was. */}
                <div>{r.url.slice(r.url.lastIndexOf('/') + 1)}</div>
                <div className="path" title={r.url}>{r.url.slice(0, r.url.lastIndexOf('/'))}</div>
                <div className="small muted">as {r.user} · {dateTime(r.lastConnectedAt, Intl.DateTimeFormat().resolvedOptions().timeZone)}</div>
              </div>
              <button
                type="button"
                className="small"
                onClick={() => {
                  setUrl(r.url);
                  setUser(r.user);
                  passRef.current?.focus();
                }}
                aria-label={`Connect to ${r.url} as ${r.user}`}
              >
                Use
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          // The password is sent once to sign in and kept nowhere.
          void connect.run().then(() => setPassword(''));
        }}
      >
        <label className="field">
          Server address
          <input type="text" className="mono" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="holdfasts://review.example:8443/acme" spellCheck={false} autoComplete="url" />
          <span className="hint">holdfasts://HOST:PORT/MATTER, or https://HOST:PORT/matters/MATTER.</span>
        </label>
        <div className="row wrap">
          <label className="field grow">
            Account
            <input type="text" value={user} onChange={(e) => setUser(e.target.value)} autoComplete="username" spellCheck={false} />
          </label>
          <label className="field grow">
            Password
            <input ref={passRef} type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" />
          </label>
        </div>
        <PathInput label="CA certificate (optional)" value={caFile} onChange={setCaFile} mode="open-file" canPick={canPickPaths} filters={CA_FILTERS} placeholder="/path/to/ca.pem" hint="Only for a server whose certificate your organisation signed itself." />
        <ErrorNotice error={connect.error} onDismiss={connect.clear} />
        <div className="row">
          <button type="submit" className="primary" disabled={!url.trim() || !user.trim() || !password || connect.busy}>
            {connect.busy ? 'Connecting…' : 'Connect'}
          </button>
        </div>
      </form>
    </section>
  );
}
