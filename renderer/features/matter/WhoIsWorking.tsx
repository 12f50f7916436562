/** The top bar on a matter: the signed-in account and role, who else is working on it now, and signing out. */
import type { AppInfoDTO } from '../../../src/api/dto.ts';
import { api, servedMatter } from '../../lib/api.ts';
import { useAction } from '../../lib/hooks.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';

export function WhoIsWorking({ info }: { info: AppInfoDTO }) {
  const signOut = useAction(async () => {
    const matter = servedMatter();
    if (!matter) return api.call('matters.disconnect', {});
    // A browser signed in to the server itself: the server ends the session and clears its cookie.
    await fetch('/logout', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    location.assign(`/signin?matter=${matter}`);
    return null;
  });
  const me = info.account;
  if (!me) return null;
  const others = info.presence.filter((p) => p.name !== me.name);
  return (
    <div className="who" data-testid="who-is-working">
      <span className="me" title="Signed in as">
        <span className="dot" aria-hidden="true" />
        {me.name} <span className="muted small">· {me.role}</span>
      </span>
      <ul className="present" aria-label="Also working on this matter">
        {others.length === 0 ? (
          <li className="muted small">nobody else here</li>
        ) : (
          others.map((p) => (
            <li key={p.name} title={`${p.name} (${p.role}), connected since ${new Date(p.since).toLocaleTimeString()}`}>
              <span className="avatar" aria-hidden="true">{p.name.slice(0, 1).toUpperCase()}</span>
              {p.name} <span className="muted small">{p.role}</span>
            </li>
          ))
        )}
      </ul>
      <button type="button" className="small" onClick={() => void signOut.run()} disabled={signOut.busy}>
        {servedMatter() ? 'Sign out' : 'Disconnect'}
      </button>
      {signOut.error && <ErrorNotice error={signOut.error} onDismiss={signOut.clear} />}
    </div>
  );
}
