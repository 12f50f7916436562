/**
 * The renderer's one way to the core: the typed client over the desktop app's bridge when it is
 * there, otherwise the WebSocket of the server that served the page (same origin, the session in a
 * cookie): `holdfast serve` at /ws, or a matter server at /matters/<matter>/ws. The socket opens on
 * the first call, so the matter server's sign-in page opens none.
 */
import { createClient } from '../../src/api/client.ts';
import type { Client, Transport } from '../../src/api/client.ts';
import type { Envelope } from '../../src/api/contract.ts';
import { createWebSocketTransport } from '../../src/api/ws-transport.ts';
import { WS_PATH } from '../../src/api/wire.ts';

/** What the Electron preload exposes (exactly these two functions). */
interface Bridge {
  invoke(method: string, args: unknown): Promise<Envelope>;
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    holdfast?: Bridge;
  }
}

type ConnectionListener = (problem: string | null) => void;
const connectionListeners = new Set<ConnectionListener>();

/** Told when the server's connection drops (the server stopped, or the session ended). */
export function onConnectionProblem(fn: ConnectionListener): () => void {
  connectionListeners.add(fn);
  return () => connectionListeners.delete(fn);
}

/** The matter this page was served for by a matter server (a browser signed in to it), or null. */
export function servedMatter(): string | null {
  if (window.holdfast) return null;
  return /^\/matters\/([a-z0-9_]{1,50})\/$/.exec(location.pathname)?.[1] ?? null;
}

let opened: Transport | null = null;

function transport(): Transport {
  if (window.holdfast) return window.holdfast;
  if (!opened) {
    // Relative to the page: /ws from holdfast serve's /, /matters/<m>/ws from a matter's page.
    const url = new URL(WS_PATH.slice(1), location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    url.search = url.hash = '';
    opened = createWebSocketTransport(url.href, { onClose: (reason) => connectionListeners.forEach((l) => l(reason)) });
  }
  return opened;
}

export const api: Client = createClient({
  async invoke(method, args) {
    const envelope = await transport().invoke(method, args);
    // Signed in to a matter server, a call refused for want of a session means the session ended.
    if (!envelope.ok && envelope.error.code === 'UNAUTHENTICATED' && servedMatter()) connectionListeners.forEach((l) => l(envelope.error.message));
    return envelope;
  },
  subscribe: (listener) => transport().subscribe(listener),
});
