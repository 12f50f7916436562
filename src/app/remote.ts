/**
 * The app connected to a matter server: the host signs in (it owns the network client) and hands
 * back a transport; from then on dispatch sends the app's calls over it, apart from LOCAL_METHODS,
 * which act on this computer (dialogs, the recent lists, the connection itself).
 */
import path from 'node:path';
import type { Transport } from '../api/client.ts';
import type { RecentMatterDTO } from '../api/dto.ts';
import type { MethodName } from '../api/methods/index.ts';
import type { AttachmentContent } from './attachments.ts';
import { KEEP, readRecentFile, writeRecentFile } from './recent.ts';

export interface MatterSignIn {
  url: string;
  matter?: string | undefined;
  user: string;
  password: string;
  caFile?: string | undefined;
}

export interface RemoteMatter {
  /** holdfasts://HOST:PORT/MATTER */
  url: string;
  matter: string;
  account: { name: string; role: string };
  transport: Transport;
  /** An attachment's content from the server, for the app's attachment URLs. */
  attachment(id: number, opts?: { download?: boolean }): Promise<AttachmentContent>;
  /** Told once when the server ends the connection (not after close()). */
  onClosed(fn: (reason: string) => void): void;
  /** Signs out and closes the connection. */
  close(): Promise<void>;
}

export const LOCAL_METHODS: ReadonlySet<MethodName> = new Set([
  'app.info',
  'dialog.pickPath',
  'cases.recent',
  'cases.forget',
  'cases.close',
  'matters.connect',
  'matters.disconnect',
  'matters.current',
  'matters.recent',
] satisfies MethodName[]);

const FILE = 'recent-matters.json';

/** Matter servers connected to: the address and the account name, never a password. */
export class RecentMatters {
  readonly #file: string;

  constructor(configDir: string) {
    this.#file = path.join(configDir, FILE);
  }

  list(): RecentMatterDTO[] {
    return readRecentFile(this.#file)
      .filter((e): e is RecentMatterDTO => {
        const r = e as Partial<RecentMatterDTO> | null;
        return typeof r?.url === 'string' && typeof r.user === 'string' && typeof r.lastConnectedAt === 'string';
      })
      .map((e) => ({ url: e.url, user: e.user, lastConnectedAt: e.lastConnectedAt }));
  }

  remember(url: string, user: string): void {
    const entries = this.list().filter((e) => e.url !== url || e.user !== user);
    entries.unshift({ url, user, lastConnectedAt: new Date().toISOString() });
    writeRecentFile(this.#file, entries.slice(0, KEEP));
  }
}
