/** Hash routes (#/search?q=…): back/forward work, and nothing is fetched by navigation. */
import { useEffect, useState } from 'react';

export interface Route {
  screen: string;
  /** Path segments after the screen: #/conversation/12 → ['12']. */
  params: string[];
  query: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const [pathPart = '', search = ''] = raw.split('?', 2);
  const [screen = '', ...params] = pathPart.split('/').filter(Boolean).map(decodeURIComponent);
  return { screen, params, query: new URLSearchParams(search) };
}

export function href(screen: string, params: (string | number)[] = [], query: Record<string, string | number | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, String(v));
  const qs = q.toString();
  return `#/${[screen, ...params.map((p) => encodeURIComponent(String(p)))].join('/')}${qs ? `?${qs}` : ''}`;
}

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

export function useRoute(): Route {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    window.addEventListener('hashchange', on);
    window.addEventListener('popstate', on);
    return () => {
      window.removeEventListener('hashchange', on);
      window.removeEventListener('popstate', on);
    };
  }, []);
  return parseRoute(hash);
}
