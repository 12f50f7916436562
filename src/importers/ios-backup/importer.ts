/**
 * Importer `ios-backup`: a Finder/iTunes iPhone backup folder, encrypted or not. Reads the Messages
 * database (HomeDomain Library/SMS/sms.db, with attachments from MediaDomain) through the iMessage
 * reader, and WhatsApp's ChatStorage.sqlite (and WhatsApp Business's) with their Message/Media
 * files through the WhatsApp iOS reader. Every backup file read is hashed into the custody record;
 * files the manifest lists but the folder lacks are warnings, not failures.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AttachmentRecord, HandleRef, ImportContext, Importer, ImportRecord } from '../types.ts';
import { CustodyTracker } from '../custody.ts';
import { openSqliteImage } from '../sqlite/memory-db.ts';
import type { MemoryDb } from '../sqlite/memory-db.ts';
import { listFiles } from '../common/source-hash.ts';
import { isMessagesDatabase, readMessagesDb } from '../imessage/reader.ts';
import type { ResolvedAttachment } from '../imessage/reader.ts';
import { isChatStorage, readChatStorage } from '../whatsapp-ios/reader.ts';
import type { MediaRequest } from '../whatsapp-ios/reader.ts';
import { ownerFromPrefs, PREFS_PATHS, unknownOwner } from '../whatsapp-ios/owner.ts';
import type { WhatsAppOwner } from '../whatsapp-ios/owner.ts';
import { toE164 } from '../common/handles.ts';
import { backupsInside, IosBackup, isBackupFolder, MissingBackupFile } from './backup.ts';
import type { BackupEntry } from './backup.ts';
import { bool, isDict, parsePlist } from './plist.ts';

const SMS_DOMAIN = 'HomeDomain';
const SMS_DB = 'Library/SMS/sms.db';
const MEDIA_DOMAIN = 'MediaDomain';
const WHATSAPP = [
  { domain: 'AppDomainGroup-group.net.whatsapp.WhatsApp.shared', app: 'AppDomain-net.whatsapp.WhatsApp', keyPrefix: 'whatsapp:' },
  { domain: 'AppDomainGroup-group.net.whatsapp.WhatsAppSMB.shared', app: 'AppDomain-net.whatsapp.WhatsAppSMB', keyPrefix: 'whatsapp-business:' },
];

const inner = (e: BackupEntry) => `${e.domain}/${e.relativePath}`;

/** What one import run shares: the backup, custody and the user's context. */
class Run {
  readonly backup: IosBackup;
  readonly custody = new CustodyTracker();
  readonly ctx: ImportContext;

  constructor(backup: IosBackup, ctx: ImportContext) {
    this.backup = backup;
    this.ctx = ctx;
  }

  missing(e: BackupEntry, why: string): void {
    this.ctx.warn({ code: 'MISSING_FILE', locator: inner(e), message: `${inner(e)}: ${why}` });
  }

  /** Reads a database (and its -wal) into memory; undefined (with a warning) when it cannot be read. */
  openDb(e: BackupEntry, out: ImportRecord[]): MemoryDb | undefined {
    let bytes: Buffer;
    try {
      bytes = this.backup.read(e);
    } catch (err) {
      if (err instanceof MissingBackupFile) {
        this.missing(e, err.message);
        return undefined;
      }
      throw err;
    }
    const rec = this.custody.buffer(inner(e), bytes);
    if (rec) out.push(rec);
    let wal: Buffer | undefined;
    const walEntry = this.backup.find(e.domain, `${e.relativePath}-wal`);
    if (walEntry) {
      try {
        wal = this.backup.read(walEntry);
        const w = this.custody.buffer(inner(walEntry), wal);
        if (w) out.push(w);
      } catch (err) {
        if (!(err instanceof MissingBackupFile)) throw err;
        this.missing(walEntry, err.message);
      }
    }
    return openSqliteImage(bytes, {
      label: inner(e), file: this.ctx.path, wal,
      onWalIgnored: (why) => this.ctx.warn({ code: 'UNSUPPORTED_FEATURE', locator: `${inner(e)}-wal`, message: `the write-ahead log was not applied: ${why}` }),
    });
  }

  /** An attachment backed by a file of the backup: hashed for custody while ingest reads it. */
  attachment(domain: string, relativePath: string): ResolvedAttachment {
    const e = this.backup.find(domain, relativePath);
    if (!e) return { missingReason: `not in the backup (${domain}/${relativePath} is not listed in Manifest.db)` };
    if (!fs.existsSync(this.backup.contentPath(e))) {
      this.missing(e, `listed in Manifest.db as ${e.fileID}, but that file is not in the backup folder`);
      return { missingReason: `listed in the backup's manifest but its file ${e.fileID} is absent` };
    }
    const size = this.backup.size(e);
    return { open: this.custody.stream(inner(e), () => this.backup.stream(e)), ...(size !== undefined ? { size } : {}) };
  }

  /** Records of a sub-reader, each followed by the custody records of the files it caused to be read. */
  async *withCustody(records: AsyncIterable<ImportRecord> | Iterable<ImportRecord>): AsyncGenerator<ImportRecord> {
    for await (const r of records) {
      yield r;
      yield* this.custody.drain();
    }
  }
}

/** `~/Library/SMS/Attachments/ab/12/GUID/IMG_1.jpg` (or /var/mobile/…) → MediaDomain Library/SMS/Attachments/… */
function smsAttachments(run: Run): (filename: string) => ResolvedAttachment {
  return (filename) => {
    const m = /(?:^|\/)Library\/SMS\/(.+)$/.exec(filename.replace(/\\/g, '/'));
    if (!m) return { missingReason: `stored outside the Messages folder (${filename}), so not in the backup` };
    return run.attachment(MEDIA_DOMAIN, `Library/SMS/${m[1]}`);
  };
}

/** ZMEDIALOCALPATH ("Media/<jid>/a/b/x.jpg", sometimes absolute) → the app group's Message/Media/… */
function whatsappMedia(run: Run, domain: string): (req: MediaRequest) => AttachmentRecord {
  return (req) => {
    const clean = req.localPath.replace(/\\/g, '/').replace(/^.*?\/(?=Message\/Media\/)/, '').replace(/^\/+/, '');
    const meta = { name: req.name, ...(req.mime ? { mime: req.mime } : {}), ...(req.size ? { size: req.size } : {}), locator: req.locator };
    const candidates = clean.startsWith('Message/') ? [clean] : [`Message/${clean}`, clean];
    for (const c of candidates) {
      if (run.backup.find(domain, c)) return { ...meta, ...run.attachment(domain, c) };
    }
    return { ...meta, missingReason: `not in the backup (${domain}/${candidates[0]} is not listed in Manifest.db)` };
  };
}

function whatsappOwner(run: Run, domain: string, app: string, out: ImportRecord[]): WhatsAppOwner {
  for (const [d, p] of [...PREFS_PATHS.map((x) => [domain, x] as const), ...PREFS_PATHS.map((x) => [app, x] as const)]) {
    const e = run.backup.find(d, p);
    if (!e) continue;
    try {
      const bytes = run.backup.read(e);
      const rec = run.custody.buffer(inner(e), bytes);
      if (rec) out.push(rec);
      const owner = ownerFromPrefs(bytes);
      if (owner) return owner;
    } catch (err) {
      if (!(err instanceof MissingBackupFile)) throw err;
      run.missing(e, err.message);
    }
  }
  const dev = run.backup.device;
  const phone = dev.phoneNumber ? toE164(dev.phoneNumber) : undefined;
  const display = dev.deviceName ? `Owner of ${dev.deviceName}` : 'Device owner';
  if (phone) return { handle: { kind: 'phone', value: phone, display } satisfies HandleRef, label: display };
  return unknownOwner(`ios-device:${dev.udid ?? path.basename(run.backup.dir)}`);
}

export const iosBackup: Importer = {
  id: 'ios-backup',
  name: 'iPhone backup (Finder / iTunes)',
  description: 'A Finder or iTunes backup folder of an iPhone (iOS 10+), encrypted or not: Messages (SMS/iMessage) and WhatsApp.',
  version: '1.0.0',

  async detect(p) {
    // The folder of all backups: claimed so that the import says which backups it holds.
    if (!isBackupFolder(p)) return backupsInside(p).length ? { confidence: 0.5, variant: 'backup-folder' } : { confidence: 0 };
    let encrypted = false;
    try {
      const m = parsePlist(fs.readFileSync(path.join(p, 'Manifest.plist')));
      encrypted = isDict(m) && bool(m, 'IsEncrypted') === true;
    } catch {
      // Manifest.plist absent or unreadable: read() says so.
    }
    return { confidence: 0.95, variant: encrypted ? 'encrypted' : 'unencrypted' };
  },

  async probe(p, options) {
    const { confidence, variant } = await iosBackup.detect(p);
    // Without its password an encrypted backup can only say that it is one (the app then asks).
    if (confidence > 0 && variant === 'encrypted' && !options.password) return { variant, encrypted: true };
    const backup = await IosBackup.open(p, options.password);
    try {
      const has = (d: string, r: string) => backup.find(d, r) !== undefined;
      return {
        variant: backup.device.encrypted ? 'encrypted' : 'unencrypted', encrypted: backup.device.encrypted,
        hasAttachments: true, hasReactions: has(SMS_DOMAIN, SMS_DB), hasEdits: has(SMS_DOMAIN, SMS_DB),
      };
    } finally {
      backup.close();
    }
  },

  async preflight(p, options) {
    (await IosBackup.open(p, options.password)).close();
  },

  async estimate(p) {
    let total = 0;
    for (const f of listFiles(p)) total += fs.statSync(path.join(p, f)).size;
    return { total };
  },

  async *read(ctx): AsyncGenerator<ImportRecord> {
    // Progress: bytes of backup files read so far (each is reported once, as a source-file record).
    let done = 0;
    for await (const r of readBackup(ctx)) {
      if (r.type === 'source-file') ctx.progress((done += r.size));
      yield r;
    }
  },
};

async function* readBackup(ctx: ImportContext): AsyncGenerator<ImportRecord> {
  const backup = await IosBackup.open(ctx.path, ctx.options.password);
  const run = new Run(backup, ctx);
  try {
    for (const top of backup.topLevel) {
      const rec = run.custody.buffer(top.name, top.plain);
      if (rec) yield rec;
    }
    if (backup.device.snapshotState && backup.device.snapshotState !== 'finished') {
      ctx.warn({ code: 'MISSING_FILE', locator: 'Status.plist', message: `the backup was not finished (SnapshotState "${backup.device.snapshotState}"): files may be missing` });
    }
    const sub: ImportContext = { ...ctx, progress: () => {} };
    let found = 0;

    const sms = backup.find(SMS_DOMAIN, SMS_DB);
    if (sms) {
      const pending: ImportRecord[] = [];
      const db = run.openDb(sms, pending);
      yield* pending;
      if (db) {
        found++;
        try {
          if (isMessagesDatabase(db)) {
            yield* run.withCustody(readMessagesDb(db, sub, { sourceLabel: inner(sms), resolveAttachment: smsAttachments(run) }));
          } else {
            ctx.warn({ code: 'UNSUPPORTED_FEATURE', locator: inner(sms), message: `${inner(sms)} lacks tables of the Messages database (message, handle, chat); its messages are not imported` });
          }
        } finally {
          db.close();
        }
      }
    }

    for (const wa of WHATSAPP) {
      const e = backup.find(wa.domain, 'ChatStorage.sqlite');
      if (!e) continue;
      const pending: ImportRecord[] = [];
      const db = run.openDb(e, pending);
      const owner = whatsappOwner(run, wa.domain, wa.app, pending);
      yield* pending;
      if (!db) continue;
      found++;
      try {
        if (!isChatStorage(db)) {
          ctx.warn({ code: 'UNSUPPORTED_FEATURE', locator: inner(e), message: `${inner(e)} is not a WhatsApp ChatStorage database; skipped` });
          continue;
        }
        yield* run.withCustody(readChatStorage({
          db, label: inner(e), file: ctx.path, owner, keyPrefix: wa.keyPrefix, resolveMedia: whatsappMedia(run, wa.domain), warn: ctx.warn, signal: ctx.signal,
        }));
      } finally {
        db.close();
      }
    }
    if (found === 0) {
      ctx.warn({ code: 'MISSING_FILE', locator: 'Manifest.db', message: 'the backup holds neither a Messages database (sms.db) nor a WhatsApp database (ChatStorage.sqlite)' });
    }
    yield* run.custody.finish();
  } finally {
    backup.close();
  }
}
