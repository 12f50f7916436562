/** Tag names per message for result rows, asked for in batches as rows appear, refreshed when tags change. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from './api.ts';

export function useTagsOf(): (messageId: number) => string[] | undefined {
  const known = useRef(new Map<number, string[]>());
  const wanted = useRef(new Set<number>());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [version, setVersion] = useState(0);

  const flush = useCallback(() => {
    timer.current = null;
    const ids = [...wanted.current];
    wanted.current.clear();
    for (let i = 0; i < ids.length; i += 1000) {
      const slice = ids.slice(i, i + 1000);
      void api.call('messages.tags', { ids: slice }).then((r) => {
        for (const [id, names] of Object.entries(r)) known.current.set(Number(id), names);
        setVersion((v) => v + 1);
      }, () => {});
    }
  }, []);

  useEffect(
    () =>
      api.on('case.changed', (e) => {
        if (e.what !== 'tags') return;
        // Re-ask for everything shown: keep the old names until the new ones arrive.
        for (const id of known.current.keys()) wanted.current.add(id);
        timer.current ??= setTimeout(flush, 0);
      }),
    [flush],
  );

  return useCallback(
    (messageId: number) => {
      const names = known.current.get(messageId);
      if (!names && !wanted.current.has(messageId)) {
        wanted.current.add(messageId);
        timer.current ??= setTimeout(flush, 30);
      }
      return names;
    },
    [flush, version],
  );
}
