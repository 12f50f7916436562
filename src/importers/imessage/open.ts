/**
 * Opening a Messages database without touching the evidence. SQLite, even read-only, creates
 * `-shm`/`-wal` files beside a WAL-mode database (chat.db and sms.db are), so the file is read into
 * memory and opened from there; an in-memory image (also what the iPhone-backup importer hands over
 * after decrypting sms.db) never touches the disk.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { HoldfastError } from '../../api/errors.ts';
import { Schema } from './schema.ts';
import type { MessagesDatabase } from './schema.ts';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

export function isSqliteHeader(bytes: Uint8Array): boolean {
  return bytes.length >= 16 && Buffer.from(bytes.buffer, bytes.byteOffset, 16).equals(SQLITE_MAGIC);
}

/**
 * A read-only connection to the database image in `bytes` (not modified). `label` names it in errors
 * ("chat.db", "HomeDomain/Library/SMS/sms.db"); `file` is the source path the user gave.
 * IMPORT_SOURCE_CORRUPT when the bytes are not a readable SQLite database,
 * IMPORT_UNSUPPORTED_SOURCE when it is one but not a Messages database.
 */
export function openMessagesImage(bytes: Uint8Array, label: string, file: string): MessagesDatabase {
  if (!isSqliteHeader(bytes)) {
    throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `${label} is not a SQLite database (it does not start with "SQLite format 3").`, { file, position: 'byte 0' });
  }
  const image = Buffer.from(bytes);
  // Bytes 18/19 = 2 mark WAL mode, which an in-memory database cannot use: read it as a rollback-journal one.
  if (image[18] === 2) image[18] = 1;
  if (image[19] === 2) image[19] = 1;
  let db: MessagesDatabase;
  try {
    db = new Database(image, { readonly: true });
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (err) {
    throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `${label} is damaged and cannot be read as SQLite (${err instanceof Error ? err.message : String(err)}).`, { file }, { cause: err });
  }
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

/**
 * Reads the database file into memory and opens it. A database that changes while it is read is
 * in use (Messages is running and writing to it): the copy would be torn, so that is an error that
 * says what to do.
 */
export function openMessagesFile(file: string, label = path.basename(file)): MessagesDatabase {
  const before = stamp(file);
  const bytes = readWhole(file);
  const after = stamp(file);
  if (before !== after) {
    throw new HoldfastError(
      'IMPORT_SOURCE_CORRUPT',
      `${label} changed while it was being read: the Messages app is using it. Quit Messages (and turn off Messages in iCloud sync for the copy), or copy chat.db together with chat.db-wal and chat.db-shm into a folder and import the copy.`,
      { file, reason: 'locked' },
    );
  }
  return openMessagesImage(bytes, label, file);
}

function stamp(file: string): string {
  try {
    const s = fs.statSync(file);
    return `${s.size}:${s.mtimeMs}`;
  } catch (err) {
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
