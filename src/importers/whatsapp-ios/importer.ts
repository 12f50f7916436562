/**
 * Importer `whatsapp-ios-db`: a bare WhatsApp for iOS ChatStorage.sqlite, or the app-group folder
 * that holds it (with Message/Media/ and Library/Preferences/ beside). iPhone backups go through
 * `ios-backup`, which uses the same reader.
 */
import fs from 'node:fs';
import path from 'node:path';
import { HoldfastError } from '../../api/errors.ts';
import type { AttachmentRecord, Importer, ImportRecord } from '../types.ts';
import { CustodyTracker } from '../custody.ts';
import { isSqliteImage, openSqliteImage } from '../sqlite/memory-db.ts';
import type { MemoryDb } from '../sqlite/memory-db.ts';
import { countChatStorage, isChatStorage, readChatStorage } from './reader.ts';
import type { MediaRequest } from './reader.ts';
import { ownerFromPrefs, PREFS_PATHS, unknownOwner } from './owner.ts';
import type { WhatsAppOwner } from './owner.ts';

const DB_NAME = 'ChatStorage.sqlite';

function locate(p: string): { root: string; db: string } | undefined {
  try {
    const st = fs.statSync(p);
    if (st.isFile()) return { root: path.dirname(p), db: p };
    if (st.isDirectory() && fs.statSync(path.join(p, DB_NAME)).isFile()) return { root: p, db: path.join(p, DB_NAME) };
  } catch {
    // not there: not ours
  }
  return undefined;
}

function head(file: string, bytes: number): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    return buf.subarray(0, fs.readSync(fd, buf, 0, bytes, 0));
  } finally {
    fs.closeSync(fd);
  }
}

const rel = (root: string, file: string) => path.relative(root, file).split(path.sep).join('/');

/** ZMEDIALOCALPATH is relative to the app group's Message/ folder ("Media/<jid>/a/b/<uuid>.jpg"). */
function folderMedia(root: string, custody: CustodyTracker): (req: MediaRequest) => AttachmentRecord {
  const base = path.resolve(root);
  return (req) => {
    const clean = req.localPath.replace(/\\/g, '/').replace(/^.*?\/(?=Message\/Media\/)/, '').replace(/^\/+/, '');
    const meta = { name: req.name, ...(req.mime ? { mime: req.mime } : {}), ...(req.size ? { size: req.size } : {}), locator: req.locator };
    for (const candidate of [clean, `Message/${clean}`]) {
      const full = path.resolve(base, candidate);
      if (!full.startsWith(base + path.sep)) continue;
      try {
        if (!fs.statSync(full).isFile()) continue;
      } catch {
        continue;
      }
      return { ...meta, open: custody.stream(rel(base, full), () => fs.createReadStream(full, { highWaterMark: 1 << 20 })) };
    }
    return { ...meta, missingReason: `${req.localPath} is not in the folder beside ${DB_NAME}` };
  };
}

/** The Core Data store UUID: stable for one installation of the app, so for one owner. */
export function storeUuid(db: MemoryDb): string | undefined {
  try {
    return (db.prepare('SELECT Z_UUID FROM Z_METADATA LIMIT 1').pluck().get() as string | null) ?? undefined;
  } catch {
    return undefined;
  }
}

export const whatsappIosDb: Importer = {
  id: 'whatsapp-ios-db',
  name: 'WhatsApp for iOS database (ChatStorage.sqlite)',
  description: 'ChatStorage.sqlite from an iPhone, alone or in its app-group folder with Message/Media/.',
  version: '1.0.0',

  async detect(p) {
    const found = locate(p);
    if (!found) return { confidence: 0 };
    const bytes = head(found.db, 256 * 1024);
    if (!isSqliteImage(bytes)) return { confidence: 0 };
    const text = bytes.toString('latin1');
    if (text.includes('ZWAMESSAGE') && text.includes('ZWACHATSESSION')) return { confidence: 0.9 };
    return { confidence: path.basename(found.db) === DB_NAME ? 0.6 : 0 };
  },

  async probe(p) {
    const found = locate(p);
    if (!found) return {};
    const db = openSqliteImage(fs.readFileSync(found.db), { label: path.basename(found.db), file: p });
    try {
      return isChatStorage(db) ? { ...countChatStorage(db), hasAttachments: true } : {};
    } finally {
      db.close();
    }
  },

  async estimate(p) {
    const found = locate(p);
    return { total: found ? fs.statSync(found.db).size : 0 };
  },

  async *read(ctx): AsyncGenerator<ImportRecord> {
    const found = locate(ctx.path);
    if (!found) throw new HoldfastError('IMPORT_UNSUPPORTED_SOURCE', `${ctx.path} is neither ${DB_NAME} nor a folder holding it.`, { file: ctx.path });
    const custody = new CustodyTracker();
    const bytes = fs.readFileSync(found.db);
    const label = rel(found.root, found.db);
    const walFile = `${found.db}-wal`;
    const wal = fs.existsSync(walFile) ? fs.readFileSync(walFile) : undefined;
    const db = openSqliteImage(bytes, {
      label, file: ctx.path, wal,
      onWalIgnored: (why) => ctx.warn({ code: 'UNSUPPORTED_FEATURE', locator: `${label}-wal`, message: `the write-ahead log was not applied: ${why}` }),
    });
    try {
      if (!isChatStorage(db)) {
        throw new HoldfastError('IMPORT_UNSUPPORTED_SOURCE', `${found.db} is a SQLite database but not WhatsApp's ChatStorage.sqlite (no ZWAMESSAGE/ZWACHATSESSION tables).`, { file: ctx.path });
      }
      for (const [p, b] of [[label, bytes], [`${label}-wal`, wal]] as const) {
        const r = b ? custody.buffer(p, b) : undefined;
        if (r) yield r;
      }
      let owner: WhatsAppOwner | undefined;
      for (const prefs of PREFS_PATHS) {
        const file = path.join(found.root, prefs);
        if (owner || !fs.existsSync(file)) continue;
        const b = fs.readFileSync(file);
        owner = ownerFromPrefs(b);
        const r = custody.buffer(prefs, b);
        if (r) yield r;
      }
      owner ??= unknownOwner(`whatsapp-ios:${storeUuid(db) ?? 'unknown store'}`);
      const size = bytes.length;
      const total = Math.max(countChatStorage(db).messages, 1);
      let done = 0;
      for (const rec of readChatStorage({ db, label, file: ctx.path, owner, resolveMedia: folderMedia(found.root, custody), warn: ctx.warn, signal: ctx.signal })) {
        yield rec;
        if (rec.type === 'message' && ++done % 500 === 0) ctx.progress(Math.round((size * done) / total));
        yield* custody.drain();
      }
      yield* custody.finish();
      ctx.progress(size);
    } finally {
      db.close();
    }
  },
};
