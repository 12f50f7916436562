/**
 * Opening a Messages database without touching the evidence. SQLite, even read-only, creates
 * `-shm`/`-wal` files beside a WAL-mode database (chat.db and sms.db are), so the file and its
 * `-wal` are read into memory and opened from there (../sqlite/memory-db.ts replays the log); an
 * in-memory image (what the iPhone-backup importer hands over after decrypting sms.db) never
 * touches the disk.
 */
import fs from 'node:fs';
import path from 'node:path';
import { HoldfastError } from '../../api/errors.ts';
import { openSqliteImage } from '../sqlite/memory-db.ts';
import { Schema } from './schema.ts';
import type { MessagesDatabase } from './schema.ts';


/**
 * A read-only connection to the database image in `bytes` (not modified), with the committed
 * transactions of its `-wal` replayed when one is given. `label` names it in errors ("chat.db",
 * "HomeDomain/Library/SMS/sms.db"); `file` is the source path the user gave.
 * IMPORT_SOURCE_CORRUPT when the bytes are not a readable SQLite database,
 * IMPORT_UNSUPPORTED_SOURCE when it is one but not a Messages database.
 */
export function openMessagesImage(bytes: Uint8Array, label: string, file: string, wal?: { bytes: Buffer; onIgnored: (why: string) => void }): MessagesDatabase {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const db = openSqliteImage(buf, { label, file, ...(wal ? { wal: wal.bytes, onWalIgnored: wal.onIgnored } : {}) });
  const missing = new Schema(db).missingTables();
  if (missing.length) {
    db.close();
    throw new HoldfastError(
      'IMPORT_UNSUPPORTED_SOURCE',
      `${label} is a SQLite database but not an Apple Messages one (no ${missing.join(', ')} table). Give chat.db (macOS) or sms.db (iPhone).`,
      { file },
    );
  }
  return db;
}

export interface OpenedFile {
  db: MessagesDatabase;
  /** The `-wal` beside the database, read with it (recent messages live there until a checkpoint). */
  wal?: Buffer;
}

/**
 * Reads the database file and its `-wal` into memory and opens them. A database that changes while
 * it is read is in use (Messages is running and writing to it): the copy would be torn, so that is
 * an error that says what to do.
 */
export function openMessagesFile(file: string, label: string, onWalIgnored: (why: string) => void): OpenedFile {
  const walFile = `${file}-wal`;
  const before = stamp(file) + stamp(walFile, true);
  const bytes = readWhole(file);
  const wal = fs.existsSync(walFile) ? readWhole(walFile) : undefined;
  const after = stamp(file) + stamp(walFile, true);
  if (before !== after) {
    throw new HoldfastError(
      'IMPORT_SOURCE_CORRUPT',
      `${label} changed while it was being read: the Messages app is using it. Quit Messages (and turn off Messages in iCloud sync for the copy), or copy chat.db together with chat.db-wal and chat.db-shm into a folder and import the copy.`,
      { file, reason: 'locked' },
    );
  }
  const hasWal = wal !== undefined && wal.length > 0;
  return { db: openMessagesImage(bytes, label, file, hasWal ? { bytes: wal, onIgnored: onWalIgnored } : undefined), ...(hasWal ? { wal } : {}) };
}

function stamp(file: string, optional = false): string {
  try {
    const s = fs.statSync(file);
    return `${s.size}:${s.mtimeMs};`;
  } catch (err) {
    if (optional) return 'none;';
    throw new HoldfastError('NOT_FOUND', `No file at ${file}.`, { file }, { cause: err });
  }
}

/** The whole file, read in pieces (fs.readFileSync stops at 2 GiB; a busy chat.db can be larger). */
function readWhole(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const out = Buffer.allocUnsafe(size);
    let done = 0;
    while (done < size) {
      const n = fs.readSync(fd, out, done, Math.min(1 << 26, size - done), done);
      if (n === 0) break;
      done += n;
    }
    return done === size ? out : out.subarray(0, done);
  } finally {
    fs.closeSync(fd);
  }
}
