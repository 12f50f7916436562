/**
 * Who may talk to the loopback server: requests carrying this run's token (cookie, bearer header
 * or `?token=`), addressed to 127.0.0.1/localhost on our port (a DNS-rebinding page has its own
 * name in Host), and, when a browser says where it comes from, from our own origin.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function cookieName(port: number): string {
  // Cookies ignore ports: two servers on one machine must not overwrite each other's token.
  return `holdfast_${port}`;
}

export type Verdict = { ok: true; via: 'cookie' | 'header' | 'query' } | { ok: false; status: 401 | 403; reason: string };

export class Guard {
  readonly token: string;
  readonly #tokenBytes: Buffer;
  #port = 0;

  constructor(token: string) {
    this.token = token;
    this.#tokenBytes = Buffer.from(token);
  }

  set port(port: number) {
    this.#port = port;
  }

  get port(): number {
    return this.#port;
  }

  allowedHosts(): string[] {
    return [`127.0.0.1:${this.#port}`, `localhost:${this.#port}`];
  }

  allowedOrigins(): string[] {
    return this.allowedHosts().map((h) => `http://${h}`);
  }

  check(req: IncomingMessage, url: URL): Verdict {
    const host = req.headers.host;
    if (!host || !this.allowedHosts().includes(host.toLowerCase())) return { ok: false, status: 403, reason: 'unexpected Host' };
    const origin = req.headers.origin;
    if (origin !== undefined && !this.allowedOrigins().includes(origin.toLowerCase())) return { ok: false, status: 403, reason: 'unexpected Origin' };
    const fetchSite = req.headers['sec-fetch-site'];
    if (fetchSite === 'cross-site') return { ok: false, status: 403, reason: 'cross-site request' };
    const presented = this.#presented(req, url);
    if (!presented) return { ok: false, status: 401, reason: 'no token' };
    return this.#matches(presented.value) ? { ok: true, via: presented.via } : { ok: false, status: 403, reason: 'wrong token' };
  }

  #presented(req: IncomingMessage, url: URL): { value: string; via: 'cookie' | 'header' | 'query' } | null {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) return { value: auth.slice(7).trim(), via: 'header' };
    const query = url.searchParams.get('token');
    if (query !== null) return { value: query, via: 'query' };
    const name = cookieName(this.#port);
    for (const part of (req.headers.cookie ?? '').split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0 && part.slice(0, eq).trim() === name) return { value: part.slice(eq + 1).trim(), via: 'cookie' };
    }
    return null;
  }

  #matches(candidate: string): boolean {
    const c = Buffer.from(candidate);
    return c.length === this.#tokenBytes.length && timingSafeEqual(c, this.#tokenBytes);
  }
}
