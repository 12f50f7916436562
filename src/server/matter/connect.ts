/**
 * How the app (the desktop app, `holdfast serve`) signs in to a matter server for `matters.connect`:
 * the address as the user typed it, the CA file read here, the Node client's connection handed to the
 * app context. The password goes to the server's sign-in and nowhere else.
 */
import fs from 'node:fs';
import { HoldfastError } from '../../api/errors.ts';
import type { MatterSignIn, RemoteMatter } from '../../app/remote.ts';
import { connectMatter, parseMatterUrl } from './client.ts';
import type { MatterAddress } from './client.ts';

/** holdfasts://HOST:PORT/MATTER, or https://HOST:PORT (http:// on loopback) with the matter given apart. */
export function matterAddressOf(url: string, matter?: string): MatterAddress {
  const typed = url.trim();
  if (/^https?:\/\//i.test(typed)) {
    let u: URL;
    try {
      u = new URL(typed);
    } catch {
      throw new HoldfastError('VALIDATION', `Not a server address: ${JSON.stringify(typed.slice(0, 200))}.`);
    }
    const inPath = u.pathname.replace(/^\/(matters\/)?|\/$/g, '');
    const name = matter ?? inPath;
    if (!name) throw new HoldfastError('VALIDATION', 'Name the matter: holdfasts://HOST:PORT/MATTER, or the server address and the matter.');
    return parseMatterUrl(urlOf({ origin: u.origin, matter: name }));
  }
  const address = parseMatterUrl(typed);
  if (matter && matter !== address.matter) throw new HoldfastError('VALIDATION', `The address names the matter ${address.matter}, not ${matter}.`);
  return address;
}

/** The address back as holdfasts://HOST:PORT/MATTER (holdfast:// without TLS). */
function urlOf(address: MatterAddress): string {
  return `${address.origin.startsWith('https:') ? 'holdfasts' : 'holdfast'}://${address.origin.replace(/^https?:\/\//, '')}/${address.matter}`;
}

export async function connectFromApp(req: MatterSignIn): Promise<RemoteMatter> {
  const address = matterAddressOf(req.url, req.matter);
  let ca: Buffer | undefined;
  if (req.caFile) {
    try {
      ca = fs.readFileSync(req.caFile);
    } catch (err) {
      throw new HoldfastError('VALIDATION', `Cannot read the CA file ${req.caFile}: ${(err as Error).message}`, { path: req.caFile });
    }
  }
  const connection = await connectMatter(address, { user: req.user, password: req.password, ...(ca ? { ca } : {}) });
  return {
    url: urlOf(address),
    matter: address.matter,
    account: connection.account,
    transport: connection.transport,
    attachment: connection.attachment,
    onClosed: connection.onClosed,
    close: connection.close,
  };
}
