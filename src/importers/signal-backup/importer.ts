/**
 * Importer `signal-android-backup`: an encrypted Signal for Android backup file
 * (`signal-YYYY-MM-DD-HH-MM-SS.backup`) with its 30-digit passphrase. The frames are decrypted in
 * memory, the SQL they carry rebuilds Signal's database in an in-memory SQLite, and attachments
 * are decrypted from the file as ingest reads them: nothing plaintext is written to disk.
 */
import fs from 'node:fs';
import path from 'node:path';
import { HoldfastError } from '../../api/errors.ts';
import type { AttachmentRecord, Importer, ImportRecord } from '../types.ts';
import type { AttachmentData } from './backup-file.ts';
import { BackupFrames, openAttachment } from './backup-file.ts';
import { SqlReplay } from './replay.ts';
import type { AttachmentRequest } from './reader.ts';
import { SignalReader } from './reader.ts';

const NAME = /^signal-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}\.backup$/i;

/** The header frame as it starts every backup: length, then field 1 (Header) whose field 1 is a 16-byte IV. */
function looksLikeBackup(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(8);
    if (fs.readSync(fd, head, 0, 8, 0) < 8) return false;
    const n = head.readUInt32BE(0);
    return n > 18 && n < 200 && head[4] === 0x0a && head[6] === 0x0a && head[7] === 0x10;
  } finally {
    fs.closeSync(fd);
  }
}

type FoundAttachments = Map<number, { data: AttachmentData; attachmentId: bigint }>;

interface Replayed {
  reader: SignalReader;
  frames: BackupFrames;
  close(): void;
}

/** Decrypts every frame, replays the SQL and locates the attachment data. */
function replay(file: string, label: string, password: string | undefined, region: string | undefined, warn: Parameters<Importer['read']>[0]['warn'], signal: AbortSignal, progress: (n: number) => void): Replayed {
  const frames = BackupFrames.open(file, password);
  const sql = new SqlReplay();
  try {
    const attachments: FoundAttachments = new Map();
    const self: { e164?: string; aci?: string } = {};
    let blobs = 0;
    for (let ev = frames.next(), n = 0; ev; ev = frames.next(), n++) {
      if (signal.aborted) throw new HoldfastError('CANCELLED', 'The import was cancelled.');
      if (n % 2000 === 0) progress(frames.position);
      const f = ev.frame;
      if (f.statement) sql.run(f.statement.sql, f.statement.params);
      else if (f.attachment && 'data' in ev) attachments.set(Number(f.attachment.rowId), { data: ev.data, attachmentId: f.attachment.attachmentId });
      else if (f.blob) blobs++;
      // Before the key-value store, the account's number was a shared preference.
      else if (f.preference?.key === 'pref_local_number' && f.preference.value) self.e164 ??= f.preference.value;
      else if (f.keyValue) {
        if (f.keyValue.key === 'account.e164' && f.keyValue.string) self.e164 = f.keyValue.string;
        if (f.keyValue.key === 'account.aci' && f.keyValue.string) self.aci = f.keyValue.string;
      }
    }
    const db = sql.finish();
    if (sql.failed) warn({ code: 'BAD_RECORD', locator: label, message: `${sql.failed} SQL statements of the backup failed to replay (first: ${sql.firstFailure}); rows they carried are missing` });
    if (sql.refused) warn({ code: 'UNSUPPORTED_FEATURE', locator: label, message: `${sql.refused} statements (search-index tables, triggers or other statements a backup does not need) were not replayed` });
    if (blobs) warn({ code: 'UNSUPPORTED_FEATURE', locator: label, message: `${blobs} avatars and stickers packs in the backup were not imported (they are not attached to messages)` });
    const reader = new SignalReader({
      db, label, region, self, warn, signal,
      attachment: (req) => attachmentRecord(file, frames, attachments, req),
    });
    return { reader, frames, close: () => { sql.close(); frames.close(); } };
  } catch (err) {
    sql.close();
    frames.close();
    throw err;
  }
}

function attachmentRecord(file: string, frames: BackupFrames, found: FoundAttachments, req: AttachmentRequest): AttachmentRecord {
  const base = { name: req.name, mime: req.mime, locator: req.locator };
  const hit = found.get(req.rowId);
  // Before 2024 an attachment was keyed by row id and unique id together.
  if (!hit || (req.uniqueId !== null && hit.attachmentId !== 0n && hit.attachmentId !== BigInt(req.uniqueId))) {
    return { ...base, ...(req.size ? { size: req.size } : {}), missingReason: 'the backup holds no data for this attachment (it was not downloaded to the phone, or had expired)' };
  }
  const { iv } = frames.header;
  const { keys } = frames;
  return { ...base, size: hit.data.length, open: async () => openAttachment(file, iv, keys, hit.data) };
}

export const signalAndroidBackup: Importer = {
  id: 'signal-android-backup',
  name: 'Signal for Android backup (.backup)',
  description: 'An encrypted Signal for Android backup file (signal-YYYY-MM-DD-HH-MM-SS.backup), with its 30-digit passphrase.',
  version: '1.0.0',
  carriesAttachments: true,

  async detect(p) {
    try {
      if (!fs.statSync(p).isFile()) return { confidence: 0 };
      const looks = looksLikeBackup(p);
      if (!looks) return { confidence: 0 };
      return { confidence: NAME.test(path.basename(p)) ? 0.95 : 0.8, variant: 'encrypted' };
    } catch {
      return { confidence: 0 };
    }
  },

  async probe(p, options) {
    if (!options.password) return { variant: 'encrypted', encrypted: true };
    BackupFrames.open(p, options.password).close();
    return { variant: 'encrypted', encrypted: true, hasAttachments: true, hasReactions: true, hasEdits: true };
  },

  async preflight(p, options) {
    BackupFrames.open(p, options.password).close();
  },

  async estimate(p) {
    return { total: fs.statSync(p).size };
  },

  async *read(ctx): AsyncGenerator<ImportRecord> {
    const label = path.basename(ctx.path);
    const r = replay(ctx.path, label, ctx.options.password, ctx.options.region, ctx.warn, ctx.signal, ctx.progress);
    try {
      for (const rec of r.reader.read()) yield rec;
      ctx.progress(r.frames.size);
    } finally {
      r.close();
    }
  },
};
