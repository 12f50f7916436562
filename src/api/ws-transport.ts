/**
 * The loopback transport's client side over the platform's WebSocket (the browser's, or Node's
 * global one in tests): calls carry an id and resolve when their result frame arrives; event
 * frames go to the subscribers. Reconnects are the caller's business (a new transport).
 */
import type { Envelope } from './contract.ts';
import type { Transport } from './client.ts';
import type { ClientFrame, ServerFrame } from './wire.ts';

export interface WebSocketTransport extends Transport {
  /** Resolves once connected; rejects when the server refused the connection. */
  ready: Promise<void>;
  close(): void;
}

export function createWebSocketTransport(url: string, opts: { onClose?: (reason: string) => void } = {}): WebSocketTransport {
  const socket = new WebSocket(url);
  const pending = new Map<number, { resolve: (e: Envelope) => void; reject: (err: Error) => void }>();
  const listeners = new Set<(event: string, payload: unknown) => void>();
  let nextId = 1;
  let closedError: Error | null = null;

  const ready = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve());
    socket.addEventListener('error', () => reject(new Error(`Cannot connect to ${url.replace(/token=[^&]*/, 'token=…')}`)));
  });
  ready.catch(() => {});

  socket.addEventListener('message', (ev: MessageEvent) => {
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
  socket.addEventListener('close', (ev: CloseEvent) => {
    closedError = new Error(`The connection to Holdfast closed (${ev.code}${ev.reason ? `: ${ev.reason}` : ''}).`);
    for (const p of pending.values()) p.reject(closedError);
    pending.clear();
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
      socket.close(1000, 'closed by client');
    },
  };
}
