/** Small data hooks over the typed client: calls, events, and refetching when the case changes. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Args, MethodName, Result } from '../../src/api/methods/index.ts';
import type { CaseChange, EventName, Events } from '../../src/api/events.ts';
import { ApiError } from '../../src/api/client.ts';
import { api } from './api.ts';

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | null;
  loading: boolean;
  reload(): void;
}

export function toApiError(err: unknown): ApiError {
  return err instanceof ApiError ? err : new ApiError({ code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) });
}

/** Calls `method` whenever its arguments change (by value) and when the case changes in one of `refreshOn`. */
export function useApi<M extends MethodName>(method: M, args: Args<M> | null, refreshOn: readonly CaseChange[] = []): Loaded<Result<M>> {
  const [data, setData] = useState<Result<M> | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(args !== null);
  const [tick, setTick] = useState(0);
  const key = args === null ? null : JSON.stringify(args);
  useEffect(() => {
    if (key === null) return;
    let live = true;
    setLoading(true);
    api.call(method, JSON.parse(key) as Args<M>).then(
      (r) => {
        if (!live) return;
        setData(r);
        setError(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (!live) return;
        setError(toApiError(err));
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [method, key, tick]);
  const refresh = refreshOn.join(',');
  useEffect(() => {
    if (!refresh) return;
    const wanted = refresh.split(',');
    return api.on('case.changed', (e) => {
      if (wanted.includes(e.what)) setTick((t) => t + 1);
    });
  }, [refresh]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}

export function useEvent<E extends EventName>(event: E, fn: (payload: Events[E]) => void): void {
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => api.on(event, (p) => ref.current(p)), [event]);
}

/** Runs an action, tracking whether it is busy and its last error. */
export function useAction<A extends unknown[], R>(fn: (...args: A) => Promise<R>): { run: (...args: A) => Promise<R | undefined>; busy: boolean; error: ApiError | null; clear(): void } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const ref = useRef(fn);
  ref.current = fn;
  const run = useCallback(async (...args: A) => {
    setBusy(true);
    setError(null);
    try {
      return await ref.current(...args);
    } catch (err) {
      setError(toApiError(err));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { run, busy, error, clear: () => setError(null) };
}

/** A value that settles `ms` after it stops changing. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}
