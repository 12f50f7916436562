/**
 * The app connected to a matter server: the host signs in (it owns the network client) and hands
 * back a transport; from then on dispatch sends the app's calls over it, apart from LOCAL_METHODS,
 * which act on this computer (dialogs, the recent lists, the connection itself).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Transport } from '../api/client.ts';
import type { RecentMatterDTO } from '../api/dto.ts';
import type { MethodName } from '../api/methods/index.ts';
import type { AttachmentContent } from './attachments.ts';

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

const KEEP = 12;
const FILE = 'recent-matters.json';

/** Matter servers connected to: the address and the account name, never a password. */
export class RecentMatters {
  readonly #file: string;

  constructor(configDir: string) {
    this.#file = path.join(configDir, FILE);
  }

  list(): RecentMatterDTO[] {
    try {
      const parsed: unknown = JSON.parse(fs.readFileSync(this.#file, 'utf8'));
      if (!Array.isArray(parsed)) return [];
      return parsed
        .filter((e): e is RecentMatterDTO => typeof e?.url === 'string' && typeof e?.user === 'string' && typeof e?.lastConnectedAt === 'string')
        .map((e) => ({ url: e.url, user: e.user, lastConnectedAt: e.lastConnectedAt }));
    } catch {
      return [];
    }
  }

  remember(url: string, user: string): void {
    const entries = this.list().filter((e) => e.url !== url || e.user !== user);
    entries.unshift({ url, user, lastConnectedAt: new Date().toISOString() });
    fs.mkdirSync(path.dirname(this.#file), { recursive: true, mode: 0o700 });
    const tmp = `${this.#file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify(entries.slice(0, KEEP), null, 2)}\n`, { mode: 0o600 });
    fs.renameSync(tmp, this.#file);
  }
}
