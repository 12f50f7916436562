/**
 * Importer `whatsapp-android-db`: a WhatsApp for Android msgstore.db, decrypted or as WhatsApp's own
 * encrypted backup (msgstore.db.crypt12/14/15, with the key from the options), alone or in a folder
 * with wa.db (contact names) and the Media folder. Both the current schema (message/chat/jid) and
 * the legacy one (messages) are read. The databases are opened in memory (a -wal replayed, a backup
 * decrypted there), so nothing is written next to the evidence and no plaintext touches the disk.
 */
import fs from 'node:fs';
import path from 'node:path';
import { HoldfastError } from '../../api/errors.ts';
import type { AttachmentRecord, ImportContext, Importer, ImportOptions, ImportRecord } from '../types.ts';
import { CustodyTracker } from '../custody.ts';
import { isSqliteImage, openSqliteImage, SchemaProbe } from '../sqlite/memory-db.ts';
import type { MemoryDb } from '../sqlite/memory-db.ts';
import { hasBackupKey, loadBackupKey } from './backup-key.ts';
import type { BackupKey } from './backup-key.ts';
import { authenticateBackup, cryptVersionOf, withDecryptedBackup } from './crypt.ts';
import { readContactNames } from './contacts.ts';
import type { ContactNames } from './contacts.ts';
import { countCurrent, isCurrentSchema, readCurrentSchema } from './current.ts';
import { isLegacySchema, readLegacySchema } from './legacy.ts';
import type { AndroidReadContext, MediaRequest } from './shared.ts';
import { innerPath, locateAndroidSource, MediaFolder } from './source.ts';
import type { AndroidSource } from './source.ts';

function headText(file: string, bytes: number): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = fs.readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n).toString('latin1');
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Reads a database into memory, reporting it for custody: a plain file with its -wal, or an
 * encrypted backup, decrypted in memory, whose custody holds both the encrypted file's hash and the
 * decrypted database's.
 */
function openDb(file: string, src: AndroidSource, custody: CustodyTracker, records: ImportRecord[], ctx: ImportContext, key: () => BackupKey): MemoryDb {
  const bytes = fs.readFileSync(file);
  const label = innerPath(src, file);
  const version = cryptVersionOf(file);
  if (version) {
    return withDecryptedBackup(bytes, version, key(), { file: ctx.path, label }, (plain) => {
      for (const rec of [custody.buffer(label, bytes), custody.buffer(`${label} (decrypted)`, plain)]) if (rec) records.push(rec);
      return openSqliteImage(plain, { label, file: ctx.path });
    });
  }
  const walFile = `${file}-wal`;
  const wal = fs.existsSync(walFile) ? fs.readFileSync(walFile) : undefined;
  const db = openSqliteImage(bytes, {
    label, file: ctx.path, wal,
    onWalIgnored: (why) => ctx.warn({ code: 'UNSUPPORTED_FEATURE', locator: `${label}-wal`, message: `the write-ahead log was not applied: ${why}` }),
  });
  for (const [p, b] of [[label, bytes], [`${label}-wal`, wal]] as const) {
    const rec = b ? custody.buffer(p, b) : undefined;
    if (rec) records.push(rec);
  }
  return db;
}

/** The backup key, loaded once when an encrypted file needs it (IMPORT_NEEDS_PASSWORD without one). */
function keyLoader(options: ImportOptions, src: AndroidSource, file: string): { get: () => BackupKey; wipe: () => void } {
  let key: BackupKey | undefined;
  return {
    get: () => (key ??= loadBackupKey(options, src.msgstore, file)),
    wipe: () => {
      if (key) (key.kind === 'root' ? key.root : key.key).fill(0);
    },
  };
}

function mediaResolver(src: AndroidSource, custody: CustodyTracker): (req: MediaRequest) => AttachmentRecord {
  const folder = src.media ? new MediaFolder(src.media) : undefined;
  return (req) => {
    const name = req.name?.trim() || (req.filePath ? path.posix.basename(req.filePath.replace(/\\/g, '/')) : 'media');
    const base = { name, ...(req.mime ? { mime: req.mime } : {}), ...(req.size ? { size: req.size } : {}), locator: req.locator };
    if (!req.filePath && !req.name) return { ...base, missingReason: 'the media was not downloaded to the device (no file path)' };
    if (!folder) return { ...base, missingReason: `no Media folder beside ${path.basename(src.msgstore)}` };
    const found = folder.resolve(req.filePath, req.name);
    if (!found) return { ...base, missingReason: `${req.filePath ?? req.name} is not in the Media folder` };
    return { ...base, open: custody.stream(innerPath(src, found), () => fs.createReadStream(found, { highWaterMark: 1 << 20 })) };
  };
}

/** The decrypted database of a source for probing, or undefined for an encrypted one without its key. */
function probeDb(src: AndroidSource, p: string, options: ImportOptions): MemoryDb | undefined {
  const version = cryptVersionOf(src.msgstore);
  if (!version) return openSqliteImage(fs.readFileSync(src.msgstore), { label: path.basename(src.msgstore), file: p });
  if (!hasBackupKey(options)) return undefined;
  const keys = keyLoader(options, src, p);
  const label = innerPath(src, src.msgstore);
  try {
    return withDecryptedBackup(fs.readFileSync(src.msgstore), version, keys.get(), { file: p, label }, (plain) => openSqliteImage(plain, { label, file: p }));
  } finally {
    keys.wipe();
  }
}

export const whatsappAndroidDb: Importer = {
  id: 'whatsapp-android-db',
  name: 'WhatsApp for Android database (msgstore.db)',
  description: 'A msgstore.db, or its encrypted backup msgstore.db.crypt12/14/15 (with its key), alone or in a folder with wa.db (names) and Media/ (attachments).',
  version: '1.1.0',

  async detect(p) {
    const version = cryptVersionOf(p);
    if (version) return /^msgstore/i.test(path.basename(p)) ? { confidence: 0.9, variant: version } : { confidence: 0 };
    const src = locateAndroidSource(p);
    if (!src) return { confidence: 0 };
    if (src.msgstore !== p) return { confidence: 0.9, variant: 'folder' };
    const head = headText(p, 256 * 1024);
    if (!head.startsWith('SQLite format 3\0')) return { confidence: 0 };
    const named = /^msgstore.*\.db$/i.test(path.basename(p));
    const looks = head.includes('key_remote_jid') || (head.includes('chat_row_id') && head.includes('jid_row_id'));
    return { confidence: named ? 0.9 : looks ? 0.75 : 0, variant: 'file' };
  },

  async probe(p, options) {
    const src = locateAndroidSource(p);
    if (!src) return {};
    const encrypted = cryptVersionOf(src.msgstore);
    const db = probeDb(src, p, options);
    if (!db) return { variant: encrypted, encrypted: true };
    const flags = encrypted ? { encrypted: true } : {};
    try {
      const probe = new SchemaProbe(db);
      if (isCurrentSchema(probe)) return { variant: encrypted ?? 'current', ...flags, ...countCurrent({ db }), hasAttachments: probe.has('message_media'), hasReactions: probe.has('message_add_on_reaction'), hasEdits: probe.has('message_edit_info') };
      if (isLegacySchema(probe)) return { variant: encrypted ?? 'legacy', ...flags, messages: db.prepare('SELECT count(*) FROM messages').pluck().get() as number, hasAttachments: true };
      return flags;
    } finally {
      db.close();
    }
  },

  /** An encrypted backup: the key is there, fits, and authenticates the whole file, before anything is hashed or written. */
  async preflight(p, options) {
    const src = locateAndroidSource(p);
    const version = src && cryptVersionOf(src.msgstore);
    if (!src || !version) return;
    const keys = keyLoader(options, src, p);
    try {
      authenticateBackup(fs.readFileSync(src.msgstore), version, keys.get(), { file: p, label: innerPath(src, src.msgstore) });
    } finally {
      keys.wipe();
    }
  },

  async estimate(p) {
    const src = locateAndroidSource(p);
    return { total: src ? fs.statSync(src.msgstore).size : 0 };
  },

  async *read(ctx): AsyncGenerator<ImportRecord> {
    const src = locateAndroidSource(ctx.path);
    if (!src) {
      throw new HoldfastError('IMPORT_UNSUPPORTED_SOURCE', `${ctx.path} is neither a msgstore.db (or its .crypt12/14/15 backup) nor a folder holding one (directly or in databases/).`, { file: ctx.path });
    }
    const encrypted = !!cryptVersionOf(src.msgstore);
    if (!encrypted && !isSqliteImage(Buffer.from(headText(src.msgstore, 100), 'latin1'))) {
      throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `${src.msgstore} is not a SQLite database.`, { file: ctx.path, position: 'byte 0' });
    }
    const custody = new CustodyTracker();
    const pending: ImportRecord[] = [];
    const keys = keyLoader(ctx.options, src, ctx.path);
    let db: MemoryDb;
    let waDb: MemoryDb | undefined;
    let names: ContactNames = new Map();
    try {
      db = openDb(src.msgstore, src, custody, pending, ctx, keys.get);
      if (src.waDb) {
        try {
          waDb = openDb(src.waDb, src, custody, pending, ctx, keys.get);
          names = readContactNames(waDb);
        } catch (err) {
          ctx.warn({ code: 'BAD_RECORD', locator: innerPath(src, src.waDb), message: `${path.basename(src.waDb)} could not be read, so contact names are missing: ${err instanceof Error ? err.message : String(err)}` });
        }
      }
    } finally {
      keys.wipe();
    }
    try {
      yield* pending;
      const probe = new SchemaProbe(db);
      const rc: AndroidReadContext = {
        db, names, label: innerPath(src, src.msgstore), media: mediaResolver(src, custody), warn: ctx.warn, signal: ctx.signal,
      };
      let records: Generator<ImportRecord>;
      let total: number;
      if (isCurrentSchema(probe)) {
        records = readCurrentSchema(rc);
        total = countCurrent(rc).messages;
      } else if (isLegacySchema(probe)) {
        records = readLegacySchema(rc);
        total = db.prepare('SELECT count(*) FROM messages').pluck().get() as number;
      } else {
        throw new HoldfastError('IMPORT_UNSUPPORTED_SOURCE', `${src.msgstore} is a SQLite database but has neither the message/chat/jid tables nor the legacy messages table of WhatsApp.`, { file: ctx.path });
      }
      const size = fs.statSync(src.msgstore).size;
      let done = 0;
      for (const rec of records) {
        yield rec;
        if (rec.type === 'message' && ++done % 500 === 0) ctx.progress(Math.round((size * done) / Math.max(total, 1)));
        yield* custody.drain();
      }
      yield* custody.finish();
      ctx.progress(size);
    } finally {
      db.close();
      waDb?.close();
    }
  },
};
