/**
 * The matter server's transport: the same API contract as the desktop app, over HTTPS and WSS (plain
 * HTTP only on a loopback address), to signed-in accounts. Every call checks the session
 * (UNAUTHENTICATED), the role (FORBIDDEN), then dispatches on the matter's context as the account.
 *
 *   POST /login                        {user, password, matter, cookie?} → {token, account, expiresAt, matter}
 *   POST /logout                       ends the session (and clears the cookie)
 *   POST /matters/<matter>/api/<method> a call (JSON argument object)
 *   GET  /matters/<matter>/ws           WebSocket: calls and events (wire.ts frames)
 *   GET  /matters/<matter>/attachments/<id>
 *   GET  /signin, /matters/<matter>/    the app for browsers (the built renderer): its sign-in page, the matter
 *
 * The token travels as `Authorization: Bearer <token>`, or for a browser in an HttpOnly, SameSite=Strict
 * session cookie (Secure and `__Host-` under TLS) set by a sign-in with `cookie: true`; requests a
 * browser sends from another origin (Origin, Sec-Fetch-Site) are refused, WebSocket upgrades
 * included. Nothing secret (passwords, tokens) is logged.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { Envelope } from '../../api/contract.ts';
import { HoldfastError, toErrorDTO } from '../../api/errors.ts';
import type { ErrorDTO } from '../../api/errors.ts';
import { isMethodName } from '../../api/methods/index.ts';
import type { ServerFrame } from '../../api/wire.ts';
import type { AppContext } from '../../app/app-context.ts';
import { attachmentContent } from '../../app/attachments.ts';
import type { Accounts } from '../auth/accounts.ts';
import { authorize, dispatchAs } from '../auth/authorize.ts';
import type { SignedInAccount } from '../auth/authorize.ts';
import { COMMON_HEADERS, callFrame, cookieOf, crossSiteFetch, json, requestUrl, send, statusOf } from '../http.ts';
import { resolveStatic, sendStatic } from '../static.ts';
import { MatterContexts } from './matters.ts';
import { Presence } from './presence.ts';
import { assertServed } from './served.ts';

const MAX_BODY = 1024 * 1024;
const MATTER_ROUTE = /^\/matters\/([a-z0-9_]{1,50})\/(api\/(.+)|ws|attachments\/(\d+))$/;

export interface MatterServerOptions {
  accounts: Accounts;
  databaseUrl: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** PEM certificate and key; without them only a loopback address may be served (plain HTTP). */
  tls?: { cert: Buffer; key: Buffer };
  /** The folder productions and reports are written into (paths outside it are refused); none: nothing is written. */
  outputRoot?: string;
  /** The folder imports read sources from (paths outside it are refused); none: nothing is imported. */
  importRoot?: string;
  /** One line per event worth keeping (start, sign-in, sign-out, refusals); never a secret. */
  log?: (line: string) => void;
  /** The built renderer, served to browsers with a sign-in page; without it only the API is served. */
  rendererDir?: string;
}

export interface RunningMatterServer {
  /** https://HOST:PORT (or http:// on loopback without TLS). */
  url: string;
  port: number;
  close(): Promise<void>;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

export async function startMatterServer(opts: MatterServerOptions): Promise<RunningMatterServer> {
  if (!opts.tls && !isLoopback(opts.host)) {
    throw new HoldfastError('VALIDATION', `Serving ${opts.host} needs TLS: give --tls-cert and --tls-key (plain HTTP is served on a loopback address only).`);
  }
  const log = opts.log ?? (() => {});
  // `__Host-`: the browser keeps it only when Secure, for this host alone, on every path.
  const cookie = opts.tls ? '__Host-holdfast_session' : 'holdfast_session';
  const cookieAttributes = `HttpOnly; SameSite=Strict; Path=/${opts.tls ? '; Secure' : ''}`;
  const scheme = opts.tls ? 'https' : 'http';
  const sessionOf = (req: IncomingMessage) => bearer(req) || cookieValue(req, cookie);
  const sameOrigin = (req: IncomingMessage) => isSameOrigin(req, scheme);
  const presence = new Presence();
  const matters = new MatterContexts(opts.databaseUrl, presence, {
    ...(opts.outputRoot ? { outputRoot: opts.outputRoot } : {}),
    ...(opts.importRoot ? { importRoot: opts.importRoot } : {}),
  });
  const exists = async (name: string) => (await opts.accounts.matters()).includes(name);
  const wss = new WebSocketServer({ noServer: true, maxPayload: 8 * 1024 * 1024 });
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) fail(res, toErrorDTO(err));
      else res.destroy(err instanceof Error ? err : undefined);
    });
  };
  const server = opts.tls ? https.createServer({ cert: opts.tls.cert, key: opts.tls.key, minVersion: 'TLSv1.2' }, onRequest) : http.createServer(onRequest);
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = requestUrl(req);
    if (!url) return send(res, 400, 'text/plain; charset=utf-8', 'Bad request.');
    const route = MATTER_ROUTE.exec(url.pathname);
    const isApi = url.pathname === '/login' || url.pathname === '/logout' || (route !== null && route[2] !== 'ws');
    if (isApi && !sameOrigin(req)) throw new HoldfastError('FORBIDDEN', 'Requests from another site are refused.');
    if (url.pathname === '/login') return login(req, res);
    if (url.pathname === '/logout') return logout(req, res);
    if (!route) return page(req, res, url);
    if (route[2] === 'ws') return send(res, 404, 'text/plain; charset=utf-8', 'Not found.');
    const account = await opts.accounts.authenticate(sessionOf(req));
    const ctx = await matters.context(route[1]!, exists);
    if (route[4] !== undefined) return attachment(res, ctx, account, Number(route[4]), url);
    if (req.method !== 'POST') return send(res, 405, 'text/plain; charset=utf-8', 'POST a JSON argument object.');
    const args = await jsonBody(req);
    const envelope = await call(ctx, account, decodeURIComponent(route[3]!), args);
    json(res, envelope.ok ? 200 : statusOf(envelope.error.code), envelope);
  }

  async function login(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return send(res, 405, 'text/plain; charset=utf-8', 'POST {user, password, matter}.');
    const body = (await jsonBody(req)) as { user?: unknown; password?: unknown; matter?: unknown; cookie?: unknown } | null;
    const { user, password, matter, cookie: wantsCookie } = body ?? {};
    if (typeof user !== 'string' || typeof password !== 'string' || typeof matter !== 'string') {
      throw new HoldfastError('VALIDATION', 'Sign in with {"user", "password", "matter"}, each a string.');
    }
    const signIn = await opts.accounts.login(user, password).catch((err: unknown) => {
      log(`sign-in refused for ${JSON.stringify(user.slice(0, 200))}`);
      throw err;
    });
    try {
      await matters.context(matter, exists);
    } catch (err) {
      await opts.accounts.logout(signIn.token);
      throw err;
    }
    log(`${signIn.account.name} (${signIn.account.role}) signed in to matter ${matter}`);
    if (wantsCookie !== true) return json(res, 200, { token: signIn.token, account: signIn.account, expiresAt: signIn.expiresAt, matter });
    // A browser's session lives in the cookie alone: the page's script never sees the token.
    json(res, 200, { account: signIn.account, expiresAt: signIn.expiresAt, matter }, { 'Set-Cookie': `${cookie}=${signIn.token}; ${cookieAttributes}` });
  }

  async function logout(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return send(res, 405, 'text/plain; charset=utf-8', 'POST with the session token.');
    const token = sessionOf(req);
    // The cookie goes in any case: a browser whose session already ended is signed out too.
    const clear = { 'Set-Cookie': `${cookie}=; ${cookieAttributes}; Max-Age=0` };
    let account: SignedInAccount;
    try {
      account = await opts.accounts.authenticate(token);
    } catch (err) {
      const error = toErrorDTO(err);
      return json(res, statusOf(error.code), { ok: false, error }, clear);
    }
    await opts.accounts.logout(token);
    log(`${account.name} signed out`);
    json(res, 200, { ok: true }, clear);
  }

  /**
   * The app for browsers: /signin is its sign-in page, /matters/<m>/ the app on that matter (back to
   * the sign-in page without a session), and the bundle's files at either level.
   */
  async function page(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed.');
    if (url.pathname === '/') return redirect(res, '/signin');
    const inMatter = /^\/matters\/([a-z0-9_]{1,50})(\/.*)?$/.exec(url.pathname);
    if (inMatter && !inMatter[2]) return redirect(res, `${url.pathname}/`);
    const file = inMatter ? inMatter[2]! : url.pathname;
    const isPage = !/\.[a-z0-9]+$/i.test(file);
    if (isPage && inMatter) {
      const signedIn = await opts.accounts.authenticate(cookieValue(req, cookie)).then(() => true, () => false);
      if (!signedIn) return redirect(res, `/signin?matter=${inMatter[1]}`);
    } else if (isPage && file !== '/signin') return send(res, 404, 'text/plain; charset=utf-8', 'Not found.');
    const found = opts.rendererDir && fs.existsSync(opts.rendererDir) ? resolveStatic(opts.rendererDir, isPage ? '/' : file) : null;
    if (!found) return send(res, 404, 'text/plain; charset=utf-8', opts.rendererDir ? 'Not found.' : 'This server serves the API only.');
    await sendStatic(req, res, found, opts.tls ? { 'Strict-Transport-Security': 'max-age=31536000' } : {});
  }

  async function attachment(res: ServerResponse, ctx: AppContext, account: SignedInAccount, id: number, url: URL): Promise<void> {
    authorize(account, 'messages.get');
    const content = attachmentContent(ctx.session(), id, { download: url.searchParams.get('download') === '1' });
    res.writeHead(200, { ...COMMON_HEADERS, ...content.headers });
    await pipeline(content.stream, res);
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const route = MATTER_ROUTE.exec(requestUrl(req)?.pathname ?? '');
    if (!route || route[2] !== 'ws') return refuseUpgrade(socket, 404);
    // A page of another site may open a WebSocket here, and the browser would send the cookie with it.
    if (!sameOrigin(req)) return refuseUpgrade(socket, 403);
    const matter = route[1]!;
    const token = sessionOf(req);
    opts.accounts
      .authenticate(token)
      .then(async (account) => ({ account, ctx: await matters.context(matter, exists) }))
      .then(
        ({ account, ctx }) => wss.handleUpgrade(req, socket, head, (ws) => connection(ws, ctx, matter, account, token)),
        (err: unknown) => refuseUpgrade(socket, statusOf(toErrorDTO(err).code)),
      );
  });

  function connection(ws: WebSocket, ctx: AppContext, matter: string, signedIn: SignedInAccount, token: string): void {
    const sendFrame = (frame: ServerFrame) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
    };
    const unsubscribe = ctx.events.subscribe((event, payload) => sendFrame({ type: 'event', event, payload }));
    const leave = presence.join(matter, signedIn);
    const presenceChanged = () => ctx.events.emit('presence.changed', { presence: presence.of(matter) });
    presenceChanged();
    ws.on('close', () => {
      unsubscribe();
      leave();
      presenceChanged();
    });
    ws.on('message', (data, isBinary) => {
      const frame = callFrame(data, isBinary);
      if (!frame) {
        ws.close(1003, 'unsupported frame');
        return;
      }
      // The session is checked on every call: a sign-out, a disabled account or an expiry ends the next one.
      void opts.accounts
        .authenticate(token)
        .then((account) => call(ctx, account, frame.method, frame.args), (err: unknown): Envelope => ({ ok: false, error: toErrorDTO(err) }))
        .then((envelope) => sendFrame({ type: 'result', id: frame.id, envelope }));
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the server has no TCP address');
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `${opts.tls ? 'https' : 'http'}://${host}:${address.port}`;
  log(`serving ${url}`);
  return {
    url,
    port: address.port,
    async close() {
      for (const client of wss.clients) client.close(1001, 'server shutting down');
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await matters.closeAll();
    },
  };
}

/** A call of a signed-in account on its matter: refused when the server does not serve it or the role does not allow it. */
async function call(ctx: AppContext, account: SignedInAccount, method: string, args: unknown): Promise<Envelope> {
  try {
    if (isMethodName(method)) {
      authorize(account, method);
      assertServed(method);
    }
  } catch (err) {
    return { ok: false, error: toErrorDTO(err) };
  }
  return dispatchAs(ctx, account, method, args);
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(303, { ...COMMON_HEADERS, Location: location, 'Content-Length': '0' });
  res.end();
}

/**
 * Whether a browser sent this from our own origin: its Origin (sent with every cross-origin request,
 * every POST and every WebSocket upgrade) names this host, and Sec-Fetch-Site does not say otherwise.
 * Clients that are not browsers (the CLI) send neither.
 */
function isSameOrigin(req: IncomingMessage, scheme: string): boolean {
  const origin = req.headers.origin;
  if (origin !== undefined && origin.toLowerCase() !== `${scheme}://${(req.headers.host ?? '').toLowerCase()}`) return false;
  return crossSiteFetch(req) === null;
}

/** The session token in the cookie `name`, when it has a token's shape ('' otherwise, like bearer()). */
function cookieValue(req: IncomingMessage, name: string): string {
  const value = cookieOf(req, name) ?? '';
  return /^[A-Za-z0-9_-]{1,200}$/.test(value) ? value : '';
}

function bearer(req: IncomingMessage): string {
  const m = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(req.headers.authorization ?? '');
  return m?.[1] ?? '';
}

async function jsonBody(req: IncomingMessage): Promise<unknown> {
  if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) throw new HoldfastError('VALIDATION', 'Send application/json.');
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > MAX_BODY) throw new HoldfastError('VALIDATION', 'The request body is too large.');
  }
  try {
    return body ? JSON.parse(body) : {};
  } catch {
    throw new HoldfastError('VALIDATION', 'The request body is not JSON.');
  }
}

function fail(res: ServerResponse, error: ErrorDTO): void {
  json(res, statusOf(error.code), { ok: false, error });
}

function refuseUpgrade(socket: Duplex, status: number): void {
  socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
