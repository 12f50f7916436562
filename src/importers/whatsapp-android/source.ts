/**
 * Where the parts of an Android WhatsApp collection are: msgstore.db (decrypted, or an encrypted
 * msgstore.db.crypt12/14/15 backup), its -wal, wa.db (or wa.db.crypt15 …) and the Media folder.
 * The user gives either the database or backup itself or a folder holding it (directly or in
 * databases/ or Databases/, as on the phone), with Media/ beside.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface AndroidSource {
  /** Folder that inner paths (custody, media) are relative to. */
  root: string;
  msgstore: string;
  waDb: string | undefined;
  media: string | undefined;
}

/** msgstore in a folder: a decrypted database first, then the newest backup format. */
const MSGSTORE_NAMES = ['msgstore.db', 'msgstore.db.crypt15', 'msgstore.db.crypt14', 'msgstore.db.crypt12'];
const WA_NAMES = ['wa.db', 'wa.db.crypt15', 'wa.db.crypt14', 'wa.db.crypt12'];

const isFile = (p: string) => {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
};
const isDir = (p: string) => {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/**
 * wa.db beside msgstore: a decrypted wa.db (it is plain on the phone), else, for an encrypted
 * backup, its encrypted backup (same key) in the same folder, the WhatsApp folder or its Backups/.
 */
function findWaDb(dirs: string[], encrypted: boolean): string | undefined {
  const names = encrypted ? WA_NAMES : WA_NAMES.slice(0, 1);
  for (const name of names) {
    const hit = dirs.map((d) => path.join(d, name)).find(isFile);
    if (hit) return hit;
  }
  return undefined;
}

export function locateAndroidSource(given: string): AndroidSource | undefined {
  if (isFile(given)) {
    const dir = path.dirname(given);
    const root = /^databases$/i.test(path.basename(dir)) ? path.dirname(dir) : dir;
    const waDb = findWaDb([dir, root, path.join(root, 'Backups')], /\.crypt\d+$/i.test(given));
    const media = [path.join(root, 'Media'), path.join(dir, 'Media')].find(isDir);
    return { root, msgstore: given, waDb, media };
  }
  if (!isDir(given)) return undefined;
  for (const sub of ['', 'databases', 'Databases']) {
    const msgstore = MSGSTORE_NAMES.map((n) => path.join(given, sub, n)).find(isFile);
    if (!msgstore) continue;
    const waDb = findWaDb([path.join(given, sub), given, path.join(given, 'Backups')], /\.crypt\d+$/i.test(msgstore));
    const media = isDir(path.join(given, 'Media')) ? path.join(given, 'Media') : undefined;
    return { root: given, msgstore, waDb, media };
  }
  return undefined;
}

/** `file` relative to the source root, with forward slashes (custody records, locators). */
export function innerPath(src: AndroidSource, file: string): string {
  return path.relative(src.root, file).split(path.sep).join('/');
}

/**
 * Finds a media file named by the database: `file_path` is relative to the WhatsApp folder
 * ("Media/WhatsApp Images/IMG-….jpg") or absolute on the phone ("/storage/emulated/0/WhatsApp/Media/…",
 * "…/Android/media/com.whatsapp/WhatsApp/Media/…"); older rows only carry a file name.
 */
export class MediaFolder {
  private readonly media: string;
  private byName: Map<string, string | null> | undefined;

  constructor(media: string) {
    this.media = path.resolve(media);
  }

  resolve(filePath: string | null, fileName: string | null): string | undefined {
    if (filePath) {
      const norm = filePath.replace(/\\/g, '/');
      const m = /(?:^|\/)Media\/(.+)$/.exec(norm);
      const rel = m ? m[1]! : norm.replace(/^\/+/, '');
      const inside = this.inside(rel);
      if (inside) return inside;
    }
    for (const n of [filePath, fileName]) {
      if (!n) continue;
      const hit = this.index().get(path.posix.basename(n.replace(/\\/g, '/')));
      if (hit) return hit;
    }
    return undefined;
  }

  /** The file at `rel` under Media/, refusing paths that climb out of it. */
  private inside(rel: string): string | undefined {
    const full = path.resolve(this.media, rel);
    if (!full.startsWith(this.media + path.sep) || !isFile(full)) return undefined;
    return full;
  }

  /** File name → its only path under Media/ (null when the name is not unique). */
  private index(): Map<string, string | null> {
    if (this.byName) return this.byName;
    const map = new Map<string, string | null>();
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) walk(full);
        else if (e.isFile()) map.set(e.name, map.has(e.name) ? null : full);
      }
    };
    walk(this.media);
    this.byName = map;
    return map;
  }
}
