/**
 * A matter server's sign-in page for browsers (/signin): the account, its password and the matter.
 * The server answers with an HttpOnly session cookie, so this page never holds the session token.
 */
import { useState } from 'react';
import { ApiError } from '../../../src/api/client.ts';
import type { ErrorDTO } from '../../../src/api/errors.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Hero } from '../../components/Hero.tsx';

export function SignInPage() {
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [matter, setMatter] = useState(new URLSearchParams(location.search).get('matter') ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const signIn = async () => {
    setBusy(true);
    setError(null);
    try {
      const res = await fetch('/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ user, password, matter, cookie: true }),
      });
      const body = (await res.json()) as { matter?: string; error?: ErrorDTO };
      if (!res.ok || !body.matter) throw new ApiError(body.error ?? { code: 'INTERNAL', message: `The server answered ${res.status}.` });
      location.assign(`/matters/${body.matter}/`);
    } catch (err) {
      setPassword('');
      setError(err instanceof ApiError ? err : new ApiError({ code: 'INTERNAL', message: `Cannot reach the server: ${(err as Error).message}` }));
      setBusy(false);
    }
  };

  return (
    <div className="welcome">
      <Hero tagline="Sign in to review a matter on this server." />
      <section className="card stack signin" aria-labelledby="signin-title">
        <h2 id="signin-title">Sign in</h2>
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void signIn();
          }}
        >
          <label className="field">
            Account
            <input type="text" value={user} onChange={(e) => setUser(e.target.value)} autoComplete="username" autoFocus spellCheck={false} />
          </label>
          <label className="field">
            Password
            <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" />
          </label>
          <label className="field">
            Matter
            <input type="text" value={matter} onChange={(e) => setMatter(e.target.value.trim())} spellCheck={false} placeholder="acme" />
          </label>
          <ErrorNotice error={error} onDismiss={() => setError(null)} />
          <div className="row">
            <button type="submit" className="primary" disabled={!user || !password || !matter || busy}>
              {busy ? 'Signing in…' : 'Sign in'}
            </button>
          </div>
        </form>
      </section>
    </div>
  );
}
