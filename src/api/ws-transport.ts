/**
 * The WebSocket transport's client side, one implementation for every platform: the browser's
 * WebSocket (the renderer), Node's global one (tests), or a socket the caller makes (the `ws`
 * package with a session header and a CA, for the matter server's Node client). Calls carry an id
 * and resolve when their result frame arrives; event frames go to the subscribers. Reconnects are
 * the caller's business (a new transport).
 */
import type { Envelope } from './contract.ts';
import type { Transport } from './client.ts';
import { HoldfastError } from './errors.ts';
import type { ClientFrame, ServerFrame } from './wire.ts';

export interface WebSocketTransport extends Transport {
  /** Resolves once connected; rejects when the server refused the connection. */
  ready: Promise<void>;
  /** Closes the socket; resolves once it has closed (at once when it already had). */
  close(): Promise<void>;
}

/** What the transport needs of a socket: the WHATWG WebSocket's events, send and close. */
export interface SocketLike {
  addEventListener(type: 'open', fn: () => void): void;
  addEventListener(type: 'error', fn: (ev: { message?: string }) => void): void;
  addEventListener(type: 'message', fn: (ev: { data: unknown }) => void): void;
  addEventListener(type: 'close', fn: (ev: { code: number; reason: string }) => void): void;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** `target` is a ws:// or wss:// address, or a function making the socket (named by `label` in errors). */
export function createWebSocketTransport(target: string | { open: () => SocketLike; label: string }, opts: { onClose?: (reason: string) => void } = {}): WebSocketTransport {
  const socket: SocketLike = typeof target === 'string' ? new WebSocket(target) : target.open();
  const label = typeof target === 'string' ? target.replace(/token=[^&]*/, 'token=…') : target.label;
  const pending = new Map<number, { resolve: (e: Envelope) => void; reject: (err: Error) => void }>();
  const listeners = new Set<(event: string, payload: unknown) => void>();
  let nextId = 1;
  let closedError: Error | null = null;
  let markClosed!: () => void;
  const closed = new Promise<void>((resolve) => (markClosed = resolve));

  const ready = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve());
    socket.addEventListener('error', (ev) => reject(new HoldfastError('CASE_NOT_OPEN', `Cannot connect to ${label}${ev.message ? `: ${ev.message}` : ''}`)));
  });
  ready.catch(() => {});

  socket.addEventListener('message', (ev) => {
    let frame: ServerFrame;
    try {
      frame = JSON.parse(String(ev.data)) as ServerFrame;
    } catch {
      return;
    }
    if (frame.type === 'result') {
      const p = pending.get(frame.id);
      pending.delete(frame.id);
      p?.resolve(frame.envelope);
    } else if (frame.type === 'event') {
      for (const l of listeners) l(frame.event, frame.payload);
    }
  });
  socket.addEventListener('close', (ev) => {
    closedError = new HoldfastError('CASE_NOT_OPEN', `The connection to ${typeof target === 'string' ? 'Holdfast' : label} closed (${ev.code}${ev.reason ? `: ${ev.reason}` : ''}).`);
    for (const p of pending.values()) p.reject(closedError);
    pending.clear();
    markClosed();
    opts.onClose?.(closedError.message);
  });

  return {
    ready,
    async invoke(method, args) {
      await ready;
      if (closedError) throw closedError;
      const id = nextId++;
      const frame: ClientFrame = { type: 'call', id, method, args };
      return new Promise<Envelope>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        socket.send(JSON.stringify(frame));
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      if (!closedError) socket.close(1000, 'closed by client');
      return closed;
    },
  };
}
