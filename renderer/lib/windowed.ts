/**
 * Rows of a very long list fetched lazily in pages as they scroll into view: only what is visible
 * (plus a margin) is ever asked for; pages already asked for are not asked again; the cache is
 * bounded so a million-row list does not keep a million rows in memory.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

const MAX_PAGES = 200;

export interface Windowed<T> {
  get(index: number): T | undefined;
  /** Asks for the pages covering [from, to]. */
  ensure(from: number, to: number): void;
  /** Puts rows already at hand (from a first call that also gave the total) into the cache. */
  seed(offset: number, rows: readonly T[]): void;
  /** Fetches the cached pages again in place (rows changed, positions did not). */
  refresh(): void;
  version: number;
}

export function useWindowed<T>(key: string, pageSize: number, fetchPage: (offset: number, limit: number) => Promise<T[]>): Windowed<T> {
  const pages = useRef(new Map<number, T[]>());
  const inflight = useRef(new Set<number>());
  const [version, setVersion] = useState(0);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;
  const keyRef = useRef(key);

  useEffect(() => {
    keyRef.current = key;
    pages.current = new Map();
    inflight.current = new Set();
    setVersion((v) => v + 1);
  }, [key]);

  const ensure = useCallback(
    (from: number, to: number) => {
      const first = Math.floor(Math.max(0, from) / pageSize);
      const last = Math.floor(Math.max(0, to) / pageSize);
      for (let p = first; p <= last; p++) {
        if (pages.current.has(p) || inflight.current.has(p)) continue;
        inflight.current.add(p);
        const forKey = keyRef.current;
        fetchRef.current(p * pageSize, pageSize).then(
          (rows) => {
            if (keyRef.current !== forKey) return;
            inflight.current.delete(p);
            pages.current.set(p, rows);
            if (pages.current.size > MAX_PAGES) {
              // Forget the pages farthest from what was just shown.
              const far = [...pages.current.keys()].sort((a, b) => Math.abs(b - p) - Math.abs(a - p)).slice(0, pages.current.size - MAX_PAGES);
              for (const k of far) pages.current.delete(k);
            }
            setVersion((v) => v + 1);
          },
          () => {
            inflight.current.delete(p);
          },
        );
      }
    },
    [pageSize],
  );

  const seed = useCallback(
    (offset: number, rows: readonly T[]) => {
      // Only whole pages are cached; partial ones are fetched again when needed.
      for (let p = Math.ceil(offset / pageSize); (p + 1) * pageSize <= offset + rows.length; p++) {
        pages.current.set(p, rows.slice(p * pageSize - offset, (p + 1) * pageSize - offset));
      }
      setVersion((v) => v + 1);
    },
    [pageSize],
  );

  const refresh = useCallback(() => {
    const forKey = keyRef.current;
    for (const p of [...pages.current.keys()]) {
      fetchRef.current(p * pageSize, pageSize).then(
        (rows) => {
          if (keyRef.current !== forKey) return;
          pages.current.set(p, rows);
          setVersion((v) => v + 1);
        },
        () => {},
      );
    }
  }, [pageSize]);

  const get = useCallback((index: number) => pages.current.get(Math.floor(index / pageSize))?.[index % pageSize], [pageSize, version]);
  return { get, ensure, seed, refresh, version };
}
