/**
 * The client side of the matter server for Node (the CLI, tests): sign in over HTTPS, then calls and
 * events over a WebSocket carrying the session token, with the same frames as the loopback transport.
 * `holdfasts://HOST:PORT/MATTER` is TLS, `holdfast://HOST:PORT/MATTER` plain HTTP (loopback servers).
 */
import http from 'node:http';
import https from 'node:https';
import WebSocket from 'ws';
import type { Transport } from '../../api/client.ts';
import { HoldfastError, toErrorDTO } from '../../api/errors.ts';
import { createWebSocketTransport } from '../../api/ws-transport.ts';
import type { SocketLike } from '../../api/ws-transport.ts';
import type { AttachmentContent } from '../../app/attachments.ts';
import type { SignedInAccount } from '../auth/authorize.ts';

export interface MatterAddress {
  /** https://HOST:PORT or http://HOST:PORT */
  origin: string;
  matter: string;
}

export function isMatterUrl(value: string): boolean {
  return /^holdfasts?:\/\//i.test(value);
}

export function parseMatterUrl(value: string): MatterAddress {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new HoldfastError('VALIDATION', `Not a matter address: give holdfasts://HOST:PORT/MATTER (or holdfast:// for a server on this machine without TLS).`);
  }
  const matter = u.pathname.replace(/^\/|\/$/g, '');
  if (!u.host || !/^[a-z0-9_]{1,50}$/.test(matter) || u.username || u.password || u.search) {
    throw new HoldfastError('VALIDATION', `Not a matter address: give holdfasts://HOST:PORT/MATTER; the account comes from HOLDFAST_USER and HOLDFAST_PASSWORD, not the address.`);
  }
  return { origin: `${u.protocol.toLowerCase() === 'holdfasts:' ? 'https' : 'http'}://${u.host}`, matter };
}

export interface SignInOptions {
  user: string;
  password: string;
  /** PEM of the certificate authority that signed the server's certificate (a self-signed one: the certificate itself). */
  ca?: Buffer;
}

export interface MatterConnection {
  transport: Transport;
  account: SignedInAccount;
  token: string;
  /** An attachment's content, streamed from the server with its headers (the session's `view` permission). */
  attachment(id: number, opts?: { download?: boolean }): Promise<AttachmentContent>;
  /** Told when the server ends the connection (not after close()). */
  onClosed(fn: (reason: string) => void): void;
  /** Signs out and closes the WebSocket. */
  close(): Promise<void>;
}

/** POSTs JSON to the server; resolves with the status and the parsed body. */
export function postJson(origin: string, path: string, body: unknown, opts: { token?: string; ca?: Buffer } = {}): Promise<{ status: number; body: unknown }> {
  const url = new URL(path, origin);
  const payload = JSON.stringify(body);
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(payload)) };
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  return new Promise((resolve, reject) => {
    const onResponse = (res: http.IncomingMessage) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
        } catch {
          reject(new HoldfastError('INTERNAL', `The server at ${origin} answered ${res.statusCode} without JSON.`));
        }
      });
    };
    const req = url.protocol === 'https:' ? https.request(url, { method: 'POST', headers, ...(opts.ca ? { ca: opts.ca } : {}) }, onResponse) : http.request(url, { method: 'POST', headers }, onResponse);
    req.on('error', (err) => reject(unreachable(origin, err)));
    req.end(payload);
  });
}

export async function signIn(address: MatterAddress, opts: SignInOptions): Promise<{ token: string; account: SignedInAccount }> {
  const { body } = await postJson(address.origin, '/login', { user: opts.user, password: opts.password, matter: address.matter }, opts.ca ? { ca: opts.ca } : {});
  const answer = body as { token?: string; account?: SignedInAccount; ok?: false; error?: unknown };
  if (!answer.token || !answer.account) throw toErrorDTOError(answer.error);
  return { token: answer.token, account: answer.account };
}

/** Signs in to the matter and opens the WebSocket its calls go over (the transport every client shares). */
export async function connectMatter(address: MatterAddress, opts: SignInOptions): Promise<MatterConnection> {
  const { token, account } = await signIn(address, opts);
  const closedBy = new Set<(reason: string) => void>();
  const ws = createWebSocketTransport(
    {
      label: `the matter ${address.matter} at ${address.origin}`,
      open: () =>
        new WebSocket(`${address.origin.replace(/^http/, 'ws')}/matters/${address.matter}/ws`, {
          headers: { Authorization: `Bearer ${token}` },
          ...(opts.ca ? { ca: opts.ca } : {}),
        }) as unknown as SocketLike,
    },
    { onClose: (reason) => closedBy.forEach((fn) => fn(reason)) },
  );
  const signOut = () => postJson(address.origin, '/logout', {}, { token, ...(opts.ca ? { ca: opts.ca } : {}) }).catch(() => {});
  // Signed in but the WebSocket refused: end the session rather than leave it to expire.
  await ws.ready.catch(async (err: unknown) => {
    await signOut();
    throw err;
  });
  return {
    account,
    token,
    transport: ws,
    attachment: (id, o = {}) => getAttachment(address, id, { token, download: o.download ?? false, ...(opts.ca ? { ca: opts.ca } : {}) }),
    onClosed: (fn) => void closedBy.add(fn),
    async close() {
      closedBy.clear();
      await signOut();
      await ws.close();
    },
  };
}

/** The headers of an attachment the app passes on from the server (what keeps it from running as part of the app among them). */
const ATTACHMENT_HEADERS = ['content-type', 'content-length', 'content-disposition', 'x-content-type-options', 'content-security-policy', 'cache-control'];

function getAttachment(address: MatterAddress, id: number, opts: { token: string; download: boolean; ca?: Buffer }): Promise<AttachmentContent> {
  const url = new URL(`/matters/${address.matter}/attachments/${id}${opts.download ? '?download=1' : ''}`, address.origin);
  const headers = { Authorization: `Bearer ${opts.token}` };
  return new Promise((resolve, reject) => {
    const onResponse = (res: http.IncomingMessage) => {
      if (res.statusCode !== 200) {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          let error: unknown;
          try {
            error = (JSON.parse(text) as { error?: unknown }).error;
          } catch {
            error = new HoldfastError('INTERNAL', `The server at ${address.origin} answered ${res.statusCode} for attachment ${id}.`);
          }
          reject(toErrorDTOError(error));
        });
        return;
      }
      const passed: Record<string, string> = {};
      for (const name of ATTACHMENT_HEADERS) {
        const value = res.headers[name];
        if (typeof value === 'string') passed[name.replace(/(^|-)([a-z])/g, (m) => m.toUpperCase())] = value;
      }
      resolve({ stream: res, size: Number(res.headers['content-length'] ?? 0), headers: passed });
    };
    const req = url.protocol === 'https:' ? https.get(url, { headers, ...(opts.ca ? { ca: opts.ca } : {}) }, onResponse) : http.get(url, { headers }, onResponse);
    req.on('error', (err) => reject(unreachable(address.origin, err)));
  });
}

/** Node's TLS verification failures: the certificate is there but not trusted (or not for this host). */
const UNTRUSTED = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID']);

function unreachable(origin: string, err: Error & { code?: string }): HoldfastError {
  if (err.code && UNTRUSTED.has(err.code)) {
    const reason = err.message.split(';')[0];
    return new HoldfastError('CASE_NOT_OPEN', `The certificate of the matter server at ${origin} is not trusted (${reason}): give the file of its certificate authority (for a self-signed certificate, the certificate itself).`, { tls: err.code });
  }
  return new HoldfastError('CASE_NOT_OPEN', `Cannot reach the matter server at ${origin}: ${err.message}`);
}

function toErrorDTOError(error: unknown): HoldfastError {
  const dto = toErrorDTO(error ?? new Error('The server refused the sign-in without saying why.'));
  return new HoldfastError(dto.code, dto.message, dto.details);
}
