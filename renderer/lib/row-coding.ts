/**
 * Tag names and review status per message for result rows, asked for in batches as rows appear,
 * refreshed when coding changes (a reviewed mark is announced as a tags change too).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api } from './api.ts';

export interface RowCoding {
  tagsOf(messageId: number): string[] | undefined;
  /** undefined until known. */
  reviewedOf(messageId: number): boolean | undefined;
}

export function useRowCoding(): RowCoding {
  const known = useRef(new Map<number, string[]>());
  const reviewed = useRef(new Map<number, boolean>());
  const wanted = useRef(new Set<number>());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [version, setVersion] = useState(0);

  const flush = useCallback(() => {
    timer.current = null;
    const ids = [...wanted.current];
    wanted.current.clear();
    for (let i = 0; i < ids.length; i += 1000) {
      const slice = ids.slice(i, i + 1000);
      void Promise.all([api.call('messages.tags', { ids: slice }), api.call('review.of', { ids: slice })]).then(([tags, done]) => {
        for (const [id, names] of Object.entries(tags)) known.current.set(Number(id), names);
        const yes = new Set(done);
        for (const id of slice) reviewed.current.set(id, yes.has(id));
        setVersion((v) => v + 1);
      }, () => {});
    }
  }, []);

  useEffect(
    () =>
      api.on('case.changed', (e) => {
        if (e.what !== 'tags') return;
        // Re-ask for everything shown: keep the old values until the new ones arrive.
        for (const id of known.current.keys()) wanted.current.add(id);
        timer.current ??= setTimeout(flush, 0);
      }),
    [flush],
  );

  const ask = useCallback(
    (messageId: number) => {
      if (!known.current.has(messageId) && !wanted.current.has(messageId)) {
        wanted.current.add(messageId);
        timer.current ??= setTimeout(flush, 30);
      }
    },
    [flush],
  );
  return useMemo(
    () => ({
      tagsOf: (messageId: number) => (ask(messageId), known.current.get(messageId)),
      reviewedOf: (messageId: number) => (ask(messageId), reviewed.current.get(messageId)),
    }),
    [ask, version],
  );
}
