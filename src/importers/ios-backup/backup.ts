/**
 * A Finder/iTunes iPhone backup folder (iOS 10+): Info.plist, Manifest.plist, Status.plist and
 * Manifest.db, whose Files table maps (domain, relativePath) to a file stored as
 * `<first two hex digits>/<SHA-1 of "domain-relativePath">`. Encrypted backups are decrypted in
 * memory (see keybag.ts); nothing decrypted ever reaches the disk.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { HoldfastError } from '../../api/errors.ts';
import { openSqliteImage } from '../sqlite/memory-db.ts';
import type { MemoryDb } from '../sqlite/memory-db.ts';
import { bool, data, decodeMBFile, isDict, parsePlist, str } from './plist.ts';
import type { MBFile, PlistDict } from './plist.ts';
import { KeybagError, parseKeybag, unlockKeybag, unwrapWithClass } from './keybag.ts';
import type { ClassKeys } from './keybag.ts';
import { decryptBuffer, decryptStream } from './content.ts';

/** Manifest.db `flags`: 1 file, 2 directory, 4 symbolic link. */
const FLAG_FILE = 1;

export interface BackupEntry {
  fileID: string;
  domain: string;
  relativePath: string;
  flags: number;
  /** The MBFile archive (size, protection class, key). */
  fileBlob: Buffer | null;
}

export interface DeviceInfo {
  deviceName?: string | undefined;
  productType?: string | undefined;
  productVersion?: string | undefined;
  phoneNumber?: string | undefined;
  udid?: string | undefined;
  lastBackup?: Date | undefined;
  encrypted: boolean;
  /** Status.plist SnapshotState; anything but "finished" means the backup was interrupted. */
  snapshotState?: string | undefined;
}

/** A file the manifest lists but whose content is not in the folder, or cannot be decrypted. */
export class MissingBackupFile extends Error {}

export function isBackupFolder(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory() && fs.existsSync(path.join(dir, 'Manifest.db')) &&
      (fs.existsSync(path.join(dir, 'Manifest.plist')) || fs.existsSync(path.join(dir, 'Info.plist')));
  } catch {
    return false;
  }
}

/** Sub-folders that are backups (the user chose MobileSync/Backup itself). */
export function backupsInside(dir: string): string[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && isBackupFolder(path.join(dir, e.name))).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

function readPlistFile(dir: string, name: string, required: boolean): PlistDict | undefined {
  const file = path.join(dir, name);
  if (!fs.existsSync(file)) {
    if (required) throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `The iPhone backup at ${dir} has no ${name}.`, { file: dir, position: name });
    return undefined;
  }
  try {
    const v = parsePlist(fs.readFileSync(file));
    if (!isDict(v)) throw new Error('its top level is not a dictionary');
    return v;
  } catch (err) {
    throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `${name} in the iPhone backup at ${dir} is not a readable property list: ${err instanceof Error ? err.message : String(err)}.`, {
      file: dir, position: name,
    }, { cause: err });
  }
}

/** Unlocked class keys of the last backup opened with a password (unlocking costs seconds of PBKDF2). */
let unlockCache: { id: string; keys: ClassKeys } | undefined;

function unlockCacheId(dir: string, keybag: Buffer, password: string): string {
  return crypto.createHash('sha256').update(path.resolve(dir)).update('\0').update(keybag).update('\0').update(password).digest('hex');
}

/** The top-level files that describe the backup (read for custody too). */
export interface TopLevelFile {
  name: string;
  plain: Buffer;
}

export class IosBackup {
  readonly dir: string;
  readonly device: DeviceInfo;
  readonly topLevel: TopLevelFile[];
  private readonly manifest: MemoryDb;
  private readonly keys: ClassKeys | undefined;

  private constructor(dir: string, device: DeviceInfo, manifest: MemoryDb, keys: ClassKeys | undefined, topLevel: TopLevelFile[]) {
    this.dir = dir;
    this.device = device;
    this.manifest = manifest;
    this.keys = keys;
    this.topLevel = topLevel;
  }

  /** Reads the plists, unlocks an encrypted backup with `password`, and opens Manifest.db in memory. */
  static async open(dir: string, password: string | undefined): Promise<IosBackup> {
    if (!fs.existsSync(path.join(dir, 'Manifest.db'))) {
      if (fs.existsSync(path.join(dir, 'Manifest.mbdb'))) {
        throw new HoldfastError('IMPORT_UNSUPPORTED_SOURCE', `${dir} is an iPhone backup from before iOS 10 (Manifest.mbdb); Holdfast reads backups made by iOS 10 or later.`, { file: dir });
      }
      const inside = backupsInside(dir);
      if (inside.length) {
        throw new HoldfastError('IMPORT_UNSUPPORTED_SOURCE', `${dir} holds ${inside.length} iPhone backup${inside.length > 1 ? 's' : ''}; import one at a time: ${inside.map((b) => path.join(dir, b)).join(', ')}.`, { file: dir });
      }
      throw new HoldfastError('IMPORT_UNSUPPORTED_SOURCE', `${dir} is not an iPhone backup folder (no Manifest.db). Choose the folder named after the device's identifier.`, { file: dir });
    }
    const info = readPlistFile(dir, 'Info.plist', false);
    const manifestPlist = readPlistFile(dir, 'Manifest.plist', false);
    const status = readPlistFile(dir, 'Status.plist', false);
    const lockdown = manifestPlist && isDict(manifestPlist['Lockdown']) ? (manifestPlist['Lockdown'] as PlistDict) : undefined;
    const encrypted = manifestPlist ? bool(manifestPlist, 'IsEncrypted') === true : false;
    const lastBackup = info?.['Last Backup Date'];
    const device: DeviceInfo = {
      deviceName: (info && str(info, 'Device Name')) ?? (lockdown && str(lockdown, 'DeviceName')),
      productType: (info && str(info, 'Product Type')) ?? (lockdown && str(lockdown, 'ProductType')),
      productVersion: (info && str(info, 'Product Version')) ?? (lockdown && str(lockdown, 'ProductVersion')),
      phoneNumber: info && str(info, 'Phone Number'),
      udid: (info && (str(info, 'Unique Identifier') ?? str(info, 'Target Identifier'))) ?? (lockdown && str(lockdown, 'UniqueDeviceID')),
      lastBackup: lastBackup instanceof Date ? lastBackup : undefined,
      encrypted,
      snapshotState: status && str(status, 'SnapshotState'),
    };
    const topLevel: TopLevelFile[] = [];
    for (const name of ['Info.plist', 'Manifest.plist', 'Status.plist']) {
      const file = path.join(dir, name);
      if (fs.existsSync(file)) topLevel.push({ name, plain: fs.readFileSync(file) });
    }

    const manifestBytes = fs.readFileSync(path.join(dir, 'Manifest.db'));
    let keys: ClassKeys | undefined;
    let manifestPlain: Buffer = manifestBytes;
    if (encrypted) {
      const keybag = data(manifestPlist!, 'BackupKeyBag');
      const manifestKey = data(manifestPlist!, 'ManifestKey');
      if (!keybag) throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `Manifest.plist of the encrypted iPhone backup at ${dir} has no BackupKeyBag.`, { file: dir, position: 'Manifest.plist' });
      if (password === undefined || password === '') {
        throw new HoldfastError(
          'IMPORT_NEEDS_PASSWORD',
          `The iPhone backup at ${dir} is encrypted. Supply its backup password (the one set in Finder or iTunes): put it in an environment variable and pass --backup-password-env VAR, or enter it when the app asks.`,
          { file: dir },
        );
      }
      keys = await unlock(dir, keybag, password);
      if (manifestKey) {
        let mk: Buffer | undefined;
        try {
          mk = unwrapWithClass(keys, manifestKey);
          manifestPlain = decryptBuffer(manifestBytes, mk);
        } catch (err) {
          throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `Manifest.db of the encrypted iPhone backup at ${dir} cannot be decrypted: ${err instanceof Error ? err.message : String(err)}.`, {
            file: dir, position: 'Manifest.db',
          }, { cause: err });
        } finally {
          mk?.fill(0);
        }
      }
      // Backups made before iOS 10.2 kept Manifest.db unencrypted (no ManifestKey).
    } else if (!manifestPlist && !manifestBytes.subarray(0, 16).equals(Buffer.from('SQLite format 3\0', 'latin1'))) {
      throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `The iPhone backup at ${dir} has an encrypted or damaged Manifest.db and no Manifest.plist to unlock it.`, { file: dir, position: 'Manifest.db' });
    }
    const manifest = openSqliteImage(manifestPlain, { label: 'Manifest.db', file: dir });
    const cols = new Set((manifest.prepare('SELECT name FROM pragma_table_info(?)').all('Files') as { name: string }[]).map((c) => c.name));
    for (const c of ['fileID', 'domain', 'relativePath', 'flags']) {
      if (!cols.has(c)) throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `Manifest.db of the iPhone backup at ${dir} has no Files.${c} column.`, { file: dir, position: 'Manifest.db' });
    }
    topLevel.push({ name: 'Manifest.db', plain: manifestPlain });
    return new IosBackup(dir, device, manifest, keys, topLevel);
  }

  close(): void {
    this.manifest.close();
  }

  /** The Files row of one file (regular files only). */
  find(domain: string, relativePath: string): BackupEntry | undefined {
    return this.manifest
      .prepare('SELECT fileID, domain, relativePath, flags, file AS fileBlob FROM Files WHERE domain = ? AND relativePath = ? AND flags = ?')
      .get(domain, relativePath, FLAG_FILE) as BackupEntry | undefined;
  }

  /** Regular files of a domain whose relative path starts with `prefix` (a folder, with its "/"). */
  list(domain: string, prefix: string): BackupEntry[] {
    return (this.manifest
      .prepare('SELECT fileID, domain, relativePath, flags, file AS fileBlob FROM Files WHERE domain = ? AND flags = ? AND substr(relativePath, 1, ?) = ? ORDER BY relativePath')
      .all(domain, FLAG_FILE, prefix.length, prefix) as BackupEntry[]);
  }

  /** Where the content of `e` sits in the folder. */
  contentPath(e: BackupEntry): string {
    if (!/^[0-9a-f]{40}$/i.test(e.fileID)) throw new MissingBackupFile(`fileID "${e.fileID}" is not a SHA-1 name`);
    return path.join(this.dir, e.fileID.slice(0, 2).toLowerCase(), e.fileID.toLowerCase());
  }

  /** The MBFile record of `e` (size, key); undefined on backups whose rows carry none. */
  meta(e: BackupEntry): MBFile | undefined {
    if (!e.fileBlob || e.fileBlob.length === 0) return undefined;
    try {
      return decodeMBFile(e.fileBlob);
    } catch (err) {
      throw new MissingBackupFile(`its Manifest.db record cannot be decoded (${err instanceof Error ? err.message : String(err)})`);
    }
  }

  private fileKey(e: BackupEntry): { key: Buffer; size: number } | undefined {
    if (!this.keys) return undefined;
    const m = this.meta(e);
    if (!m?.encryptionKey) return undefined;
    try {
      return { key: unwrapWithClass(this.keys, m.encryptionKey), size: m.size };
    } catch (err) {
      throw new MissingBackupFile(err instanceof Error ? err.message : String(err));
    }
  }

  private statContent(e: BackupEntry): { file: string; size: number } {
    const file = this.contentPath(e);
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch {
      throw new MissingBackupFile(`the manifest lists it as ${e.fileID}, but that file is not in the backup folder`);
    }
    if (!st.isFile()) throw new MissingBackupFile(`${e.fileID} in the backup folder is not a file`);
    return { file, size: st.size };
  }

  /** The plaintext of `e`, in memory. MissingBackupFile when absent or undecryptable. */
  read(e: BackupEntry): Buffer {
    const { file } = this.statContent(e);
    const bytes = fs.readFileSync(file);
    const k = this.fileKey(e);
    if (!k) return bytes;
    try {
      return decryptBuffer(bytes, k.key, k.size);
    } catch (err) {
      throw new MissingBackupFile(`it cannot be decrypted (${err instanceof Error ? err.message : String(err)})`);
    } finally {
      k.key.fill(0);
    }
  }

  /** The plaintext of `e` as a stream (large media). MissingBackupFile when absent or undecryptable. */
  stream(e: BackupEntry): Readable {
    const { file, size } = this.statContent(e);
    const k = this.fileKey(e);
    const raw = fs.createReadStream(file, { highWaterMark: 1 << 20 });
    if (!k) return raw;
    let t;
    try {
      t = decryptStream(k.key, k.size, size);
    } catch (err) {
      raw.destroy();
      throw new MissingBackupFile(`it cannot be decrypted (${err instanceof Error ? err.message : String(err)})`);
    } finally {
      // The decipher holds its own copy of the key.
      k.key.fill(0);
    }
    raw.on('error', (err) => t.destroy(err));
    return raw.pipe(t);
  }

  /** Plaintext size of `e` without reading it, when known. */
  size(e: BackupEntry): number | undefined {
    if (this.keys) return this.meta(e)?.size;
    try {
      return fs.statSync(this.contentPath(e)).size;
    } catch {
      return this.meta(e)?.size;
    }
  }
}

async function unlock(dir: string, keybagBlob: Buffer, password: string): Promise<ClassKeys> {
  const id = unlockCacheId(dir, keybagBlob, password);
  if (unlockCache?.id === id) return unlockCache.keys;
  let keys: ClassKeys | undefined;
  try {
    keys = await unlockKeybag(parseKeybag(keybagBlob), password);
  } catch (err) {
    if (err instanceof KeybagError) {
      throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `The keybag in Manifest.plist of the iPhone backup at ${dir} is damaged: ${err.message}.`, { file: dir, position: 'Manifest.plist BackupKeyBag' }, { cause: err });
    }
    throw err;
  }
  if (!keys) {
    throw new HoldfastError(
      'BAD_PASSPHRASE',
      `The backup password does not unlock the encrypted iPhone backup at ${dir}. Check the password (the one set in Finder or iTunes for encrypted backups) and try again.`,
      { file: dir },
    );
  }
  unlockCache = { id, keys };
  return keys;
}
