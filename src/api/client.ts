/**
 * The typed client over any transport (Electron IPC, the loopback WebSocket, or dispatch in-process).
 * Platform-neutral: the renderer uses it as is.
 */
import type { Envelope } from './contract.ts';
import type { ErrorCode, ErrorDTO, ErrorDetails } from './errors.ts';
import type { EventName, Events } from './events.ts';
import type { Args, MethodName, Result } from './methods/index.ts';

export interface Transport {
  /** Sends one call; resolves with the envelope (transport failures reject). */
  invoke(method: string, args: unknown): Promise<Envelope>;
  /** Delivers every event; returns an unsubscribe function. */
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
}

/** A failed call, as the UI sees it: the code from the closed set, a message for the user, details. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails | undefined;
  constructor(dto: ErrorDTO) {
    super(dto.message);
    this.name = 'ApiError';
    this.code = dto.code;
    this.details = dto.details;
  }
}

export interface Client {
  call<M extends MethodName>(method: M, args: Args<M>): Promise<Result<M>>;
  on<E extends EventName>(event: E, fn: (payload: Events[E]) => void): () => void;
}

export function createClient(transport: Transport): Client {
  const listeners = new Map<string, Set<(payload: never) => void>>();
  let unsubscribe: (() => void) | null = null;
  const deliver = (event: string, payload: unknown) => {
    for (const fn of listeners.get(event) ?? []) (fn as (p: unknown) => void)(payload);
  };
  return {
    async call(method, args) {
      const envelope = await transport.invoke(method, args);
      if (envelope.ok) return envelope.result as never;
      throw new ApiError(envelope.error);
    },
    on(event, fn) {
      unsubscribe ??= transport.subscribe(deliver);
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(fn as (payload: never) => void);
      return () => {
        set.delete(fn as (payload: never) => void);
      };
    },
  };
}
