/**
 * Importer `android-mmssms-db`: Android's telephony database mmssms.db (forensic extractions,
 * rooted-phone and emulator copies), alone or in an extraction folder that also holds the MMS part
 * files. Opened in memory with its -wal replayed: nothing is written beside the evidence.
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { HoldfastError } from '../../api/errors.ts';
import type { AttachmentRecord, Importer, ImportRecord } from '../types.ts';
import { CustodyTracker } from '../custody.ts';
import { isSqliteImage, openSqliteImage } from '../sqlite/memory-db.ts';
import type { MemoryDb } from '../sqlite/memory-db.ts';
import { TelephonyReader } from './reader.ts';
import type { PartRequest } from './reader.ts';
import { innerPath, locateTelephonySource, resolvePartFile } from './source.ts';
import type { TelephonySource } from './source.ts';

function head(file: string, bytes: number): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    return buf.subarray(0, fs.readSync(fd, buf, 0, bytes, 0));
  } finally {
    fs.closeSync(fd);
  }
}

function openDb(src: TelephonySource, file: string, onWal: (why: string) => void): { db: MemoryDb; bytes: Buffer; wal: Buffer | undefined } {
  const bytes = fs.readFileSync(src.db);
  const walFile = `${src.db}-wal`;
  const wal = fs.existsSync(walFile) ? fs.readFileSync(walFile) : undefined;
  const db = openSqliteImage(bytes, { label: innerPath(src, src.db), file, wal, onWalIgnored: onWal });
  return { db, bytes, wal };
}

function partResolver(src: TelephonySource, custody: CustodyTracker): (req: PartRequest) => AttachmentRecord {
  return (req) => {
    const base = { name: req.name, mime: req.mime, locator: req.locator };
    if (Buffer.isBuffer(req.data)) {
      const bytes = req.data;
      return { ...base, size: bytes.length, open: async () => Readable.from([bytes]) };
    }
    if (!req.data) return { ...base, missingReason: 'the part has no _data path (its bytes were never stored on the phone)' };
    const found = resolvePartFile(src, req.data);
    if (!found) return { ...base, missingReason: `${req.data} is not in the extraction (no app_parts file by that name)` };
    return { ...base, size: fs.statSync(found).size, open: custody.stream(innerPath(src, found), () => fs.createReadStream(found, { highWaterMark: 1 << 20 })) };
  };
}

export const androidMmsSmsDb: Importer = {
  id: 'android-mmssms-db',
  name: 'Android SMS/MMS database (mmssms.db)',
  description: "Android's telephony database mmssms.db, or an extraction folder holding it with the MMS part files (app_parts/).",
  version: '1.0.0',
  carriesAttachments: true,

  async detect(p) {
    const src = locateTelephonySource(p);
    if (!src) return { confidence: 0 };
    if (src.db !== p) return { confidence: 0.9, variant: 'folder' };
    const bytes = head(p, 256 * 1024);
    if (!isSqliteImage(bytes)) return { confidence: 0 };
    const text = bytes.toString('latin1');
    const looks = /CREATE TABLE (?:")?sms(?:")?\s*\(/.test(text) && /CREATE TABLE (?:")?pdu(?:")?\s*\(/.test(text);
    return { confidence: /^mmssms.*\.db$/i.test(p.split(/[\\/]/).pop()!) ? 0.9 : looks ? 0.8 : 0, variant: 'file' };
  },

  async probe(p, options) {
    const src = locateTelephonySource(p);
    if (!src) return {};
    const { db } = openDb(src, p, () => {});
    try {
      const reader = new TelephonyReader({ db, label: innerPath(src, src.db), region: options.region, part: () => ({ name: '' }), warn: () => {}, signal: new AbortController().signal });
      const n = reader.counts();
      return { variant: src.db === p ? 'file' : 'folder', messages: n.sms + n.mms, hasAttachments: n.mms > 0, hasReactions: false, hasEdits: false };
    } finally {
      db.close();
    }
  },

  async estimate(p) {
    const src = locateTelephonySource(p);
    return { total: src ? fs.statSync(src.db).size : 0 };
  },

  async *read(ctx): AsyncGenerator<ImportRecord> {
    const src = locateTelephonySource(ctx.path);
    if (!src) {
      throw new HoldfastError('IMPORT_UNSUPPORTED_SOURCE', `${ctx.path} is neither an mmssms.db nor a folder holding one (directly, in databases/ or in data/data/com.android.providers.telephony/databases/).`, { file: ctx.path });
    }
    const label = innerPath(src, src.db);
    if (!isSqliteImage(head(src.db, 100))) {
      throw new HoldfastError('IMPORT_SOURCE_CORRUPT', `${label} is not a SQLite database (its first bytes are not "SQLite format 3").`, { file: ctx.path, position: 'byte 0' });
    }
    const { db, bytes, wal } = openDb(src, ctx.path, (why) => ctx.warn({ code: 'UNSUPPORTED_FEATURE', locator: `${label}-wal`, message: `the write-ahead log was not applied: ${why}` }));
    const custody = new CustodyTracker();
    try {
      const reader = new TelephonyReader({ db, label, region: ctx.options.region, part: partResolver(src, custody), warn: ctx.warn, signal: ctx.signal });
      for (const [p, b] of [[label, bytes], [`${label}-wal`, wal]] as const) {
        const rec = b ? custody.buffer(p, b) : undefined;
        if (rec) yield rec;
      }
      const n = reader.counts();
      const total = Math.max(n.sms + n.mms, 1);
      let done = 0;
      for (const rec of reader.read()) {
        yield rec;
        if (rec.type === 'message' && ++done % 500 === 0) ctx.progress(Math.round((bytes.length * done) / total));
        yield* custody.drain();
      }
      yield* custody.finish();
      ctx.progress(bytes.length);
    } finally {
      db.close();
    }
  },
};
