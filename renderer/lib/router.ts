/**
 * Hash routes (#/search?q=…): back/forward work, and nothing is fetched by navigation. In a browser
 * (`holdfast serve`) the query part never enters the address: the browser's history would keep every
 * search. There the address carries an opaque reference (#/search?ref=3) to the query kept in this
 * page's memory; a reload keeps the screen and forgets the query.
 */
import { useEffect, useState } from 'react';

const inBrowser = typeof window !== 'undefined' && !window.holdfast;
const remembered = new Map<string, string>();
const refOf = new Map<string, string>();

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
  const ref = new URLSearchParams(search).get('ref');
  const query = ref !== null && remembered.has(ref) ? remembered.get(ref)! : ref !== null ? '' : search;
  return { screen, params, query: new URLSearchParams(query) };
}

export function href(screen: string, params: (string | number)[] = [], query: Record<string, string | number | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, String(v));
  let qs = q.toString();
  if (qs && inBrowser) {
    let ref = refOf.get(qs);
    if (ref === undefined) {
      ref = String(refOf.size + 1);
      refOf.set(qs, ref);
      remembered.set(ref, qs);
    }
    qs = `ref=${ref}`;
  }
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
