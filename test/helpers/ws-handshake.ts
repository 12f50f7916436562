/** A raw WebSocket handshake, for tests of what a server answers an upgrade request with. */
import type { Duplex } from 'node:stream';

/**
 * Writes a handshake for `pathname` on the socket `connect` opens (plain or TLS; it calls `ready` once connected)
 * and resolves with the status line of the answer. `headers` override the defaults, `Host` included.
 */
export function upgradeStatus(
  connect: (ready: () => void) => Duplex, host: string, pathname: string, headers: Record<string, string>,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(() => {
      const lines = [
        `GET ${pathname} HTTP/1.1`,
        'Connection: Upgrade',
        'Upgrade: websocket',
        'Sec-WebSocket-Version: 13',
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
        ...Object.entries({ Host: host, ...headers }).map(([k, v]) => `${k}: ${v}`),
        '',
        '',
      ];
      socket.write(lines.join('\r\n'));
    });
    let data = '';
    socket.on('data', (c) => {
      data += String(c);
      if (data.includes('\r\n')) {
        socket.destroy();
        resolve(data.split('\r\n')[0]!);
      }
    });
    socket.on('error', reject);
  });
}
