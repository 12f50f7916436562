/**
 * The renderer's one way to the core: the typed client over the desktop app's bridge when it is
 * there, otherwise the loopback WebSocket of `holdfast serve` (same origin; the token is a cookie).
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

/** Told when the loopback connection drops (the server stopped). */
export function onConnectionProblem(fn: ConnectionListener): () => void {
  connectionListeners.add(fn);
  return () => connectionListeners.delete(fn);
}

function transport(): Transport {
  if (window.holdfast) return window.holdfast;
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return createWebSocketTransport(`${scheme}://${location.host}${WS_PATH}`, {
    onClose: (reason) => connectionListeners.forEach((l) => l(reason)),
  });
}

export const api: Client = createClient(transport());
