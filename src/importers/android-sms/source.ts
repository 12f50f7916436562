/**
 * Where the parts of an Android telephony collection are: mmssms.db (with its -wal) and the MMS
 * part files. The user gives mmssms.db itself, or a folder holding it directly, in databases/, or
 * at the provider's place in a file-system extraction
 * (data/data/com.android.providers.telephony/databases/, data/user_de/0/…).
 */
import fs from 'node:fs';
import path from 'node:path';

export interface TelephonySource {
  /** Folder that inner paths (custody, locators) are relative to. */
  root: string;
  db: string;
}

const PROVIDER_DIRS = [
  '',
  'databases',
  'data/data/com.android.providers.telephony/databases',
  'data/user_de/0/com.android.providers.telephony/databases',
  'user_de/0/com.android.providers.telephony/databases',
];

export const isFile = (p: string): boolean => {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
};

const isDir = (p: string): boolean => {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
};

export function locateTelephonySource(given: string): TelephonySource | undefined {
  if (isFile(given)) {
    const dir = path.dirname(given);
    // Inside a databases/ folder, the provider's folder (with app_parts/) is the root.
    return { root: /^databases$/i.test(path.basename(dir)) ? path.dirname(dir) : dir, db: given };
  }
  if (!isDir(given)) return undefined;
  for (const sub of PROVIDER_DIRS) {
    const db = path.join(given, sub, 'mmssms.db');
    if (isFile(db)) return { root: given, db };
  }
  return undefined;
}

/** `file` relative to the source root, with forward slashes. */
export function innerPath(src: TelephonySource, file: string): string {
  return path.relative(src.root, file).split(path.sep).join('/');
}

/**
 * The file an MMS part's `_data` names. On the phone it is absolute
 * ("/data/user_de/0/com.android.providers.telephony/app_parts/PART_1700000000000_image.jpg"); in an
 * extraction the same path sits under some folder above the database, or the part files were
 * copied to `app_parts/` beside `databases/`. Paths that climb out of the extraction are refused.
 */
export function resolvePartFile(src: TelephonySource, data: string): string | undefined {
  const rel = data.replace(/\\/g, '/').replace(/^\/+/, '');
  if (!rel || rel.split('/').includes('..')) return undefined;
  const root = path.resolve(src.root);
  const candidates: string[] = [];
  // Every folder from the database's up to the root may be the extraction's "/".
  for (let dir = path.resolve(path.dirname(src.db)); ; dir = path.dirname(dir)) {
    candidates.push(path.join(dir, rel));
    if (dir === root || !dir.startsWith(root + path.sep)) break;
  }
  const name = path.posix.basename(rel);
  const dbDir = path.dirname(src.db);
  candidates.push(path.join(dbDir, 'app_parts', name), path.join(path.dirname(dbDir), 'app_parts', name), path.join(root, 'app_parts', name));
  return candidates.find((c) => (c === root || c.startsWith(root + path.sep)) && isFile(c));
}
