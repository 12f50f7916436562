/**
 * Who may talk to the loopback server: requests carrying this run's token (bearer header, `?token=`,
 * or the cookie), addressed to 127.0.0.1/localhost/our own `<random>.localhost` name on our port (a
 * DNS-rebinding page has its own name in Host), and, when a browser says where it comes from, from
 * our own origin only (`Sec-Fetch-Site` same-origin or none: another port of 127.0.0.1 is same-site).
 * The browser's cookie lives on the random host alone: cookies ignore ports, so a cookie for
 * 127.0.0.1 would go to every other local service; one for `<random>.localhost` goes nowhere else.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { cookieOf, crossSiteFetch } from './http.ts';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function cookieName(port: number): string {
  // Cookies ignore ports: two servers on one machine must not overwrite each other's token.
  return `holdfast_${port}`;
}

/** A name only this run's browser tab knows; browsers resolve every *.localhost name to loopback. */
export function newHostId(): string {
  return randomBytes(12).toString('hex');
}

export type Verdict = { ok: true; via: 'cookie' | 'header' | 'query' } | { ok: false; status: 401 | 403; reason: string };

export class Guard {
  readonly token: string;
  readonly hostId: string;
  readonly #tokenBytes: Buffer;
  #port = 0;

  constructor(token: string, hostId = newHostId()) {
    this.token = token;
    this.hostId = hostId;
    this.#tokenBytes = Buffer.from(token);
  }

  /** The browser's own host (`<random>.localhost:PORT`): the only one its cookie is set for and accepted from. */
  appHost(): string {
    return `${this.hostId}.localhost:${this.#port}`;
  }

  set port(port: number) {
    this.#port = port;
  }

  get port(): number {
    return this.#port;
  }

  allowedHosts(): string[] {
    return [this.appHost(), `127.0.0.1:${this.#port}`, `localhost:${this.#port}`];
  }

  allowedOrigins(): string[] {
    return this.allowedHosts().map((h) => `http://${h}`);
  }

  check(req: IncomingMessage, url: URL): Verdict {
    const host = req.headers.host;
    if (!host || !this.allowedHosts().includes(host.toLowerCase())) return { ok: false, status: 403, reason: 'unexpected Host' };
    const origin = req.headers.origin;
    if (origin !== undefined && !this.allowedOrigins().includes(origin.toLowerCase())) return { ok: false, status: 403, reason: 'unexpected Origin' };
    const fetchSite = crossSiteFetch(req);
    if (fetchSite !== null) return { ok: false, status: 403, reason: `${fetchSite} request` };
    const presented = this.#presented(req, url, host.toLowerCase() === this.appHost());
    if (!presented) return { ok: false, status: 401, reason: 'no token' };
    return this.#matches(presented.value) ? { ok: true, via: presented.via } : { ok: false, status: 403, reason: 'wrong token' };
  }

  #presented(req: IncomingMessage, url: URL, onAppHost: boolean): { value: string; via: 'cookie' | 'header' | 'query' } | null {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) return { value: auth.slice(7).trim(), via: 'header' };
    const query = url.searchParams.get('token');
    if (query !== null) return { value: query, via: 'query' };
    if (!onAppHost) return null;
    const cookie = cookieOf(req, cookieName(this.#port));
    return cookie === undefined ? null : { value: cookie, via: 'cookie' };
  }

  #matches(candidate: string): boolean {
    const c = Buffer.from(candidate);
    return c.length === this.#tokenBytes.length && timingSafeEqual(c, this.#tokenBytes);
  }
}
