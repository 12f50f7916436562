/**
 * The loopback transport: the same dispatch as the desktop app, over HTTP and a WebSocket bound to
 * 127.0.0.1 only, guarded by a random per-run token (see guard.ts). Serves the built renderer and
 * attachment content; API calls go over the WebSocket (which also carries events) or POST /api/<method>.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { toErrorDTO } from '../api/errors.ts';
import { API_PATH, ATTACHMENT_PATH, WS_PATH } from '../api/wire.ts';
import type { ServerFrame } from '../api/wire.ts';
import type { AppContext } from '../app/app-context.ts';
import { dispatch } from '../app/dispatch.ts';
import { Guard, cookieName, newToken } from './guard.ts';
import { COMMON_HEADERS, callFrame, json, requestUrl, send, statusOf } from './http.ts';
import { resolveStatic, sendStatic } from './static.ts';

export const LOOPBACK = '127.0.0.1';
const MAX_BODY = 1024 * 1024;


export interface ServerOptions {
  ctx: AppContext;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The built renderer (index.html and its bundle); without it only the API is served. */
  rendererDir?: string;
  /** Tests may fix the token; by default a fresh random one per run. */
  token?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  /** `<random>.localhost:PORT`: where the browser ends up, and the only host its cookie works for. */
  appHost: string;
  close(): Promise<void>;
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const guard = new Guard(opts.token ?? newToken());
  const wss = new WebSocketServer({ noServer: true, maxPayload: 8 * 1024 * 1024 });
  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'Internal error');
      else res.destroy(err instanceof Error ? err : undefined);
    });
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = requestUrl(req);
    if (!url) return send(res, 400, 'text/plain; charset=utf-8', 'Bad request.');
    const verdict = guard.check(req, url);
    if (!verdict.ok) {
      send(res, verdict.status, 'text/plain; charset=utf-8', verdict.status === 401 ? 'A token is required.' : 'Forbidden.');
      return;
    }
    // The token arrived in the address: move to our own host name (so the cookie is scoped to it),
    // there keep it in a cookie and take it out of the address bar.
    if (verdict.via === 'query' && req.method === 'GET' && !url.pathname.startsWith(ATTACHMENT_PATH)) {
      if (req.headers.host?.toLowerCase() !== guard.appHost()) {
        res.writeHead(303, { ...COMMON_HEADERS, Location: `http://${guard.appHost()}${url.pathname}${url.search}` });
        res.end();
        return;
      }
      url.searchParams.delete('token');
      res.writeHead(303, {
        ...COMMON_HEADERS,
        'Set-Cookie': `${cookieName(guard.port)}=${guard.token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: `${url.pathname}${url.search}`,
      });
      res.end();
      return;
    }
    if (url.pathname.startsWith(API_PATH)) return api(req, res, url.pathname.slice(API_PATH.length));
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed.');
      return;
    }
    if (url.pathname.startsWith(ATTACHMENT_PATH)) return attachment(res, url);
    return staticFile(req, res, url.pathname);
  }

  async function api(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    if (req.method !== 'POST') return send(res, 405, 'text/plain; charset=utf-8', 'POST a JSON argument object.');
    // A JSON content type cannot be sent cross-origin without a preflight, which we never grant.
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
      return send(res, 415, 'text/plain; charset=utf-8', 'Send application/json.');
    }
    let body = '';
    for await (const chunk of req) {
      body += String(chunk);
      if (body.length > MAX_BODY) return send(res, 413, 'text/plain; charset=utf-8', 'Too large.');
    }
    let args: unknown;
    try {
      args = body ? JSON.parse(body) : {};
    } catch {
      return json(res, 400, { ok: false, error: { code: 'VALIDATION', message: 'The request body is not JSON.' } });
    }
    const envelope = await dispatch(opts.ctx, decodeURIComponent(method), args);
    json(res, envelope.ok ? 200 : statusOf(envelope.error.code), envelope);
  }

  async function attachment(res: ServerResponse, url: URL): Promise<void> {
    const id = Number(url.pathname.slice(ATTACHMENT_PATH.length));
    if (!Number.isSafeInteger(id) || id <= 0) return send(res, 404, 'text/plain; charset=utf-8', 'Not found.');
    let content;
    try {
      content = await opts.ctx.attachment(id, { download: url.searchParams.get('download') === '1' });
    } catch (err) {
      const e = toErrorDTO(err);
      return send(res, statusOf(e.code), 'text/plain; charset=utf-8', e.message);
    }
    res.writeHead(200, { ...COMMON_HEADERS, ...content.headers });
    await pipeline(content.stream, res);
  }

  async function staticFile(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const file = opts.rendererDir && fs.existsSync(opts.rendererDir) ? resolveStatic(opts.rendererDir, pathname) : null;
    if (!file) return send(res, 404, 'text/plain; charset=utf-8', opts.rendererDir ? 'Not found.' : 'The UI is not built: run "npm run build".');
    await sendStatic(req, res, file);
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = requestUrl(req) ?? new URL('http://placeholder/');
    const verdict = guard.check(req, url);
    if (url.pathname !== WS_PATH || !verdict.ok) {
      const status = url.pathname !== WS_PATH ? 404 : verdict.ok ? 200 : verdict.status;
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => connection(ws));
  });

  function connection(ws: WebSocket): void {
    const sendFrame = (frame: ServerFrame) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
    };
    const unsubscribe = opts.ctx.events.subscribe((event, payload) => sendFrame({ type: 'event', event, payload }));
    ws.on('close', unsubscribe);
    ws.on('message', (data, isBinary) => {
      const frame = callFrame(data, isBinary);
      if (!frame) {
        ws.close(1003, 'unsupported frame');
        return;
      }
      void dispatch(opts.ctx, frame.method, frame.args).then((envelope) => sendFrame({ type: 'result', id: frame.id, envelope }));
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the server has no TCP address');
  guard.port = address.port;
  const base = `http://${LOOPBACK}:${address.port}/`;
  return {
    url: `${base}?token=${guard.token}`,
    port: address.port,
    token: guard.token,
    appHost: guard.appHost(),
    async close() {
      for (const client of wss.clients) client.close(1001, 'server shutting down');
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
