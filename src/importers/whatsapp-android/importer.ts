/**
 * Importer `whatsapp-android-db`: a decrypted WhatsApp for Android msgstore.db, alone or in a folder
 * with wa.db (contact names) and the Media folder. Both the current schema (message/chat/jid) and
 * the legacy one (messages) are read. The databases are opened in memory (with their -wal
 * replayed), so nothing is written next to the evidence.
 */
import fs from 'node:fs';
import path from 'node:path';
import { HoldfastError } from '../../api/errors.ts';
import type { AttachmentRecord, ImportContext, Importer, ImportRecord } from '../types.ts';
import { CustodyTracker } from '../custody.ts';
import { isSqliteImage, openSqliteImage, SchemaProbe } from '../sqlite/memory-db.ts';
import type { MemoryDb } from '../sqlite/memory-db.ts';
import { readContactNames } from './contacts.ts';
import type { ContactNames } from './contacts.ts';
import { countCurrent, isCurrentSchema, readCurrentSchema } from './current.ts';
import { isLegacySchema, readLegacySchema } from './legacy.ts';
import type { AndroidReadContext, MediaRequest } from './shared.ts';
import { innerPath, locateAndroidSource, MediaFolder } from './source.ts';
import type { AndroidSource } from './source.ts';

const ENCRYPTED = /\.crypt\d+$/i;

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

/** Reads a database file and its -wal into memory, reporting both for custody. */
function openDb(file: string, src: AndroidSource, custody: CustodyTracker, records: ImportRecord[], ctx: ImportContext): MemoryDb {
  const bytes = fs.readFileSync(file);
  const label = innerPath(src, file);
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

export const whatsappAndroidDb: Importer = {
  id: 'whatsapp-android-db',
  name: 'WhatsApp for Android database (msgstore.db)',
  description: 'A decrypted msgstore.db, or a folder holding it with wa.db (names) and Media/ (attachments).',
  version: '1.0.0',

  async detect(p) {
    if (ENCRYPTED.test(p) && /msgstore/i.test(path.basename(p))) return { confidence: 0.6, variant: 'encrypted' };
    const src = locateAndroidSource(p);
    if (!src) return { confidence: 0 };
    if (src.msgstore !== p) return { confidence: 0.9, variant: 'folder' };
    const head = headText(p, 256 * 1024);
    if (!head.startsWith('SQLite format 3\0')) return { confidence: 0 };
    const named = /^msgstore.*\.db$/i.test(path.basename(p));
    const looks = head.includes('key_remote_jid') || (head.includes('chat_row_id') && head.includes('jid_row_id'));
    return { confidence: named ? 0.9 : looks ? 0.75 : 0, variant: 'file' };
  },

  async probe(p) {
    const src = locateAndroidSource(p);
    if (!src) return {};
    const db = openSqliteImage(fs.readFileSync(src.msgstore), { label: path.basename(src.msgstore), file: p });
    try {
      const probe = new SchemaProbe(db);
      if (isCurrentSchema(probe)) return { variant: 'current', ...countCurrent({ db }), hasAttachments: probe.has('message_media'), hasReactions: probe.has('message_add_on_reaction'), hasEdits: probe.has('message_edit_info') };
      if (isLegacySchema(probe)) return { variant: 'legacy', messages: db.prepare('SELECT count(*) FROM messages').pluck().get() as number, hasAttachments: true };
      return {};
    } finally {
      db.close();
    }
  },

  async estimate(p) {
    const src = locateAndroidSource(p);
    return { total: src ? fs.statSync(src.msgstore).size : 0 };
  },

  async *read(ctx): AsyncGenerator<ImportRecord> {
    if (ENCRYPTED.test(ctx.path)) {
      throw new HoldfastError('IMPORT_UNSUPPORTED_SOURCE', `${ctx.path} is an encrypted WhatsApp backup (${path.extname(ctx.path)}). Decrypt it with its key file first, then import the msgstore.db it gives.`, { file: ctx.path });
    }
    const src = locateAndroidSource(ctx.path);
    if (!src) {
      throw new HoldfastError('IMPORT_UNSUPPORTED_SOURCE', `${ctx.path} is neither a msgstore.db nor a folder holding one (directly or in databases/).`, { file: ctx.path });
    }
    if (!isSqliteImage(Buffer.from(headText(src.msgstore, 100), 'latin1'))) {
      throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `${src.msgstore} is not a SQLite database. If it came from a .crypt file, decrypt it first.`, { file: ctx.path, position: 'byte 0' });
    }
    const custody = new CustodyTracker();
    const pending: ImportRecord[] = [];
    const db = openDb(src.msgstore, src, custody, pending, ctx);
    let waDb: MemoryDb | undefined;
    try {
      let names: ContactNames = new Map();
      if (src.waDb) {
        try {
          waDb = openDb(src.waDb, src, custody, pending, ctx);
          names = readContactNames(waDb);
        } catch (err) {
          ctx.warn({ code: 'BAD_RECORD', locator: innerPath(src, src.waDb), message: `wa.db could not be read, so contact names are missing: ${err instanceof Error ? err.message : String(err)}` });
        }
      }
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
