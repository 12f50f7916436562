/** The shell: the case gate (open/create first), the top bar with jobs and theme, the sidebar, the screen. */
import { useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { AppInfoDTO, CaseStateDTO } from '../../src/api/dto.ts';
import { api, onConnectionProblem, servedMatter } from '../lib/api.ts';
import { AccountContext, mayIn } from '../lib/account.ts';
import { useApi, useEvent } from '../lib/hooks.ts';
import { href, navigate, useRoute } from '../lib/router.ts';
import { TimeZoneContext, useClock } from '../lib/format.ts';
import { TagColorsContext } from '../lib/tag-colors.ts';
import { useTheme } from './theme.ts';
import type { ThemeChoice } from './theme.ts';
import { SCREENS } from './screens.tsx';
import { CasesScreen } from '../features/cases/CasesScreen.tsx';
import { JobsTray } from '../features/jobs/JobsTray.tsx';
import { UndoToast } from '../components/UndoToast.tsx';
import { ShortcutSheet } from './ShortcutSheet.tsx';
import { clearUndo } from '../lib/undo.ts';
import { WhoIsWorking } from '../features/matter/WhoIsWorking.tsx';

export function App() {
  const [theme, setTheme] = useTheme();
  const [state, setState] = useState<CaseStateDTO | null>(null);
  const [connection, setConnection] = useState<string | null>(null);
  // Who is signed in and who else is working change with a connection and as others come and go.
  const info = useApi('app.info', {}, ['opened', 'closed']);
  useEvent('presence.changed', () => info.reload());
  const route = useRoute();

  useEffect(() => {
    void api.call('cases.current', {}).then(setState, () => setState(null));
    return onConnectionProblem(setConnection);
  }, []);
  useEvent('case.changed', (e) => {
    if (e.what === 'opened' || e.what === 'created' || e.what === 'closed' || e.what === 'rekeyed' || e.what === 'settings') {
      void api.call('cases.current', {}).then((s) => {
        setState(s);
        // Undo is for this session's own actions in this case.
        if (e.what === 'closed' || e.what === 'opened' || e.what === 'created') clearUndo();
        if (e.what === 'closed') navigate('#/', { replace: true });
        if (e.what === 'opened' || e.what === 'created') navigate(href('search'), { replace: true });
      });
    }
  });

  if (connection) {
    const matter = servedMatter();
    return (
      <div className="welcome">
        <div className="notice error" role="alert">
          {matter ? (
            <>
              The connection to the matter server ended ({connection}). <a href={`/signin?matter=${matter}`}>Sign in again</a>.
            </>
          ) : (
            <>
              The connection to Holdfast was lost ({connection}). Start <code>holdfast serve</code> again and open its new address.
            </>
          )}
        </div>
      </div>
    );
  }
  if (!state) return <div className="welcome muted" aria-busy="true">Loading…</div>;

  const account = info.data?.account ?? null;
  const screens = SCREENS.filter((s) => !s.needs || mayIn(account, s.needs));
  const screen = screens.find((s) => s.id === route.screen) ?? screens[0]!;
  return (
    <TimeZoneContext.Provider value={state.displayTz ?? 'UTC'}>
      <AccountContext.Provider value={account}>
        {!state.open ? (
          <Frame theme={theme} setTheme={setTheme} matter={null} nav={false} info={info.data}>
            <CasesScreen canPickPaths={info.data?.canPickPaths ?? false} launchCase={info.data?.launchCase ?? null} />
          </Frame>
        ) : (
          <TagColors>
            <Frame theme={theme} setTheme={setTheme} matter={state.matter} nav screens={screens} currentScreen={screen.id} info={info.data}>
              {screen.render(route, { canPickPaths: info.data?.canPickPaths ?? false, state })}
            </Frame>
          </TagColors>
        )}
      </AccountContext.Provider>
    </TimeZoneContext.Provider>
  );
}

function TagColors({ children }: { children: ReactNode }) {
  const tags = useApi('tags.list', {}, ['tags', 'opened', 'created']);
  const colors = useMemo(() => new Map((tags.data ?? []).filter((t) => t.color).map((t) => [t.name.toLowerCase(), t.color!])), [tags.data]);
  return <TagColorsContext.Provider value={colors}>{children}</TagColorsContext.Provider>;
}

function Frame(props: { theme: ThemeChoice; setTheme: (t: ThemeChoice) => void; matter: string | null; nav: boolean; screens?: typeof SCREENS; currentScreen?: string; info: AppInfoDTO | undefined; children: ReactNode }) {
  const clock = useClock();
  const next: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' };
  return (
    <div className="shell" style={props.nav ? undefined : { gridTemplateColumns: '1fr' }}>
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">H</span>
          Holdfast
        </div>
        {props.matter && <span className="matter" title="Matter">/ {props.matter}</span>}
        <div className="spacer" />
        {props.info?.account && <WhoIsWorking info={props.info} />}
        <JobsTray />
        <button type="button" className="ghost" onClick={() => props.setTheme(next[props.theme])} aria-label={`Theme: ${props.theme}. Switch to ${next[props.theme]}`} title="Theme">
          {props.theme === 'dark' ? '☾' : props.theme === 'light' ? '☀' : '◐'} <span className="small">{props.theme}</span>
        </button>
      </header>
      {props.nav && (
        <nav className="sidebar" aria-label="Sections">
          <ul>
            {(props.screens ?? SCREENS).filter((s) => s.nav).map((s) => (
              <li key={s.id}>
                {s.section && <div className="section">{s.section}</div>}
                <a href={href(s.id)} aria-current={props.currentScreen === s.id ? 'page' : undefined}>
                  <span className="icon" aria-hidden="true">{s.icon}</span>
                  {s.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      {/* Keyed by the clock setting: a change redraws every time shown. */}
      <main key={clock} className="main" style={props.nav ? undefined : { gridColumn: '1 / 3' }}>{props.children}</main>
      {props.nav && <UndoToast />}
      <ShortcutSheet />
    </div>
  );
}
