/**
 * Recently opened cases: paths and when they were opened, nothing else (no passphrases, no matter
 * names, no content: the matter's name is inside the encrypted case), in the user's configuration
 * folder, readable by the user alone. The list shows each case by its file name.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RecentCaseDTO } from '../api/dto.ts';

/** How many entries a recent list keeps (cases, matter servers). */
export const KEEP = 12;
const FILE = 'recent-cases.json';

/** A recent list's entries as stored, not yet checked ([] when the file is missing or not a JSON array). */
export function readRecentFile(file: string): unknown[] {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

/** Writes a recent list whole (a temporary file renamed over it), readable by the user alone. */
export function writeRecentFile(file: string, entries: unknown[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(entries, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

interface Entry {
  path: string;
  lastOpenedAt: string;
}

/** $HOLDFAST_CONFIG_DIR, else the platform's per-user configuration folder. */
export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HOLDFAST_CONFIG_DIR) return env.HOLDFAST_CONFIG_DIR;
  if (process.platform === 'win32' && env.APPDATA) return path.join(env.APPDATA, 'Holdfast');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'Holdfast');
  return path.join(env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'), 'holdfast');
}

export class RecentCases {
  readonly #file: string;

  constructor(configDir: string) {
    this.#file = path.join(configDir, FILE);
  }

  list(): RecentCaseDTO[] {
    return this.#read().map((e) => ({ ...e, matter: path.basename(e.path).replace(/\.hfcase$/i, ''), exists: fs.existsSync(e.path) }));
  }

  remember(casePath: string): void {
    const abs = path.resolve(casePath);
    const entries = this.#read().filter((e) => e.path !== abs);
    entries.unshift({ path: abs, lastOpenedAt: new Date().toISOString() });
    this.#write(entries.slice(0, KEEP));
  }

  forget(casePath: string): void {
    const abs = path.resolve(casePath);
    this.#write(this.#read().filter((e) => e.path !== abs));
  }

  #read(): Entry[] {
    const parsed = readRecentFile(this.#file);
    const entries = parsed
      .filter((e): e is Entry => typeof e === 'object' && e !== null && typeof (e as Entry).path === 'string' && typeof (e as Entry).lastOpenedAt === 'string')
      .map((e) => ({ path: e.path, lastOpenedAt: e.lastOpenedAt }));
    // A list written by an earlier version held matter names: rewrite it without them.
    if (parsed.some((e: unknown) => typeof e === 'object' && e !== null && 'matter' in e)) this.#write(entries);
    return entries;
  }

  #write(entries: Entry[]): void {
    writeRecentFile(this.#file, entries);
  }
}
