/**
 * Writes Signal for Android backup files in the real format (as FullBackupExporter does): a plain
 * header frame, then frames encrypted with AES-256-CTR under a per-frame counter IV and
 * authenticated with a truncated HMAC-SHA256, attachment data after its frame. Key derivation:
 * SHA-512 × 250,000 over salt-then-passphrase, HKDF-SHA256 "Backup Export" → cipher and MAC keys.
 * A few tables of Signal's schema (2024: message with from/to recipients and revisions, attachment,
 * reaction, mention, group_membership) are given as the SQL the exporter writes.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { BinaryWriter } from '@bufbuild/protobuf/wire';

export type Param = string | number | bigint | Buffer | null;
export type Frame =
  | { sql: string; params?: Param[] }
  | { attachment: { rowId: number; attachmentId?: number; data: Buffer } }
  | { avatar: { name: string; data: Buffer } }
  | { keyValue: { key: string; string: string } }
  | { preference: { file: string; key: string; value: string } };

export interface Keys { cipherKey: Buffer; macKey: Buffer }

export function backupKeys(passphrase: string, salt: Buffer): Keys {
  const input = Buffer.from(passphrase.replace(/ /g, ''));
  let hash = crypto.createHash('sha512').update(salt).update(input).update(input).digest();
  for (let i = 1; i < 250_000; i++) hash = crypto.createHash('sha512').update(hash).update(input).digest();
  const okm = Buffer.from(crypto.hkdfSync('sha256', hash.subarray(0, 32), Buffer.alloc(32), 'Backup Export', 64));
  return { cipherKey: okm.subarray(0, 32), macKey: okm.subarray(32) };
}

function encodeFrame(f: Frame | { end: true }): Uint8Array {
  const w = new BinaryWriter();
  if ('end' in f) w.tag(6, 0).bool(true);
  else if ('sql' in f) {
    w.tag(2, 2).fork();
    w.tag(1, 2).string(f.sql);
    for (const p of f.params ?? []) {
      w.tag(2, 2).fork();
      if (p === null) w.tag(5, 0).bool(true);
      else if (typeof p === 'string') w.tag(1, 2).string(p);
      else if (typeof p === 'bigint' || (typeof p === 'number' && Number.isInteger(p))) w.tag(2, 0).uint64(BigInt.asUintN(64, BigInt(p)));
      else if (typeof p === 'number') w.tag(3, 1).double(p);
      else w.tag(4, 2).bytes(p);
      w.join();
    }
    w.join();
  } else if ('attachment' in f) {
    w.tag(4, 2).fork().tag(1, 0).uint64(f.attachment.rowId).tag(2, 0).uint64(f.attachment.attachmentId ?? f.attachment.rowId).tag(3, 0).uint32(f.attachment.data.length).join();
  } else if ('avatar' in f) {
    w.tag(7, 2).fork().tag(1, 2).string(f.avatar.name).tag(2, 0).uint32(f.avatar.data.length).join();
  } else if ('keyValue' in f) {
    w.tag(9, 2).fork().tag(1, 2).string(f.keyValue.key).tag(7, 2).string(f.keyValue.string).join();
  } else {
    w.tag(3, 2).fork().tag(1, 2).string(f.preference.file).tag(2, 2).string(f.preference.key).tag(3, 2).string(f.preference.value).join();
  }
  return w.finish();
}

export interface BackupOptions {
  passphrase: string;
  version?: 0 | 1;
  /** Derived once per test run: the 250,000 rounds take a while. */
  keys?: Keys;
  salt?: Buffer;
  iv?: Buffer;
  /** Leave out the end frame (a backup cut short while writing). */
  noEnd?: boolean;
}

/** The backup's bytes. */
export function signalBackupBytes(frames: Frame[], o: BackupOptions): Buffer {
  const salt = o.salt ?? crypto.randomBytes(32);
  const iv = o.iv ?? crypto.randomBytes(16);
  const version = o.version ?? 1;
  const keys = o.keys ?? backupKeys(o.passphrase, salt);
  const out: Buffer[] = [];
  const header = new BinaryWriter().tag(1, 2).fork().tag(1, 2).bytes(iv).tag(2, 2).bytes(salt);
  if (version > 0) header.tag(3, 0).uint32(version);
  const headerBytes = header.join().finish();
  const len = Buffer.alloc(4);
  len.writeUInt32BE(headerBytes.length);
  out.push(len, Buffer.from(headerBytes));
  let counter = iv.readUInt32BE(0);
  const nextIv = () => {
    const v = Buffer.from(iv);
    v.writeUInt32BE(counter, 0);
    counter = (counter + 1) >>> 0;
    return v;
  };
  const write = (frame: Frame | { end: true }) => {
    const plain = encodeFrame(frame);
    const cipher = crypto.createCipheriv('aes-256-ctr', keys.cipherKey, nextIv());
    const mac = crypto.createHmac('sha256', keys.macKey);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(plain.length + 10);
    let lengthOut = length;
    if (version > 0) {
      lengthOut = cipher.update(length);
      mac.update(lengthOut);
    }
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    mac.update(body);
    out.push(lengthOut, body, mac.digest().subarray(0, 10));
  };
  const data = (bytes: Buffer) => {
    const dataIv = nextIv();
    const cipher = crypto.createCipheriv('aes-256-ctr', keys.cipherKey, dataIv);
    const enc = Buffer.concat([cipher.update(bytes), cipher.final()]);
    out.push(enc, crypto.createHmac('sha256', keys.macKey).update(dataIv).update(enc).digest().subarray(0, 10));
  };
  for (const f of frames) {
    write(f);
    if ('attachment' in f) data(f.attachment.data);
    else if ('avatar' in f) data(f.avatar.data);
  }
  if (!o.noEnd) write({ end: true });
  return Buffer.concat(out);
}

export function writeSignalBackup(file: string, frames: Frame[], o: BackupOptions): void {
  fs.writeFileSync(file, signalBackupBytes(frames, o));
}

/** CREATE statements of the tables the importer reads, as Signal (2024) creates them (columns it does not read trimmed). */
export const SIGNAL_SCHEMA = [
  `CREATE TABLE recipient (_id INTEGER PRIMARY KEY AUTOINCREMENT, type INTEGER DEFAULT 0, e164 TEXT UNIQUE DEFAULT NULL, aci TEXT UNIQUE DEFAULT NULL,
    pni TEXT UNIQUE DEFAULT NULL, username TEXT UNIQUE DEFAULT NULL, email TEXT UNIQUE DEFAULT NULL, group_id TEXT UNIQUE DEFAULT NULL,
    registered INTEGER DEFAULT 0, system_joined_name TEXT DEFAULT NULL, system_given_name TEXT DEFAULT NULL, profile_given_name TEXT DEFAULT NULL,
    profile_family_name TEXT DEFAULT NULL, profile_joined_name TEXT DEFAULT NULL, nickname_joined_name TEXT DEFAULT NULL)`,
  `CREATE TABLE thread (_id INTEGER PRIMARY KEY AUTOINCREMENT, date INTEGER DEFAULT 0, meaningful_messages INTEGER DEFAULT 0,
    recipient_id INTEGER NOT NULL UNIQUE REFERENCES recipient (_id) ON DELETE CASCADE, read INTEGER DEFAULT 1, type INTEGER DEFAULT 0,
    snippet TEXT, snippet_type INTEGER DEFAULT 0, archived INTEGER DEFAULT 0, pinned_order INTEGER UNIQUE DEFAULT NULL, active INTEGER DEFAULT 0)`,
  `CREATE TABLE groups (_id INTEGER PRIMARY KEY, group_id TEXT NOT NULL UNIQUE, recipient_id INTEGER NOT NULL UNIQUE REFERENCES recipient (_id) ON DELETE CASCADE,
    title TEXT DEFAULT NULL, avatar_id INTEGER DEFAULT 0, timestamp INTEGER DEFAULT 0, active INTEGER DEFAULT 1, mms INTEGER DEFAULT 0,
    master_key BLOB DEFAULT NULL, revision BLOB DEFAULT NULL, decrypted_group BLOB DEFAULT NULL, expected_v2_id TEXT UNIQUE DEFAULT NULL)`,
  `CREATE TABLE group_membership (_id INTEGER PRIMARY KEY, group_id TEXT NOT NULL REFERENCES groups (group_id) ON DELETE CASCADE,
    recipient_id INTEGER NOT NULL REFERENCES recipient (_id) ON DELETE CASCADE, endorsement BLOB DEFAULT NULL, UNIQUE(group_id, recipient_id))`,
  `CREATE TABLE message (_id INTEGER PRIMARY KEY AUTOINCREMENT, date_sent INTEGER NOT NULL, date_received INTEGER NOT NULL, date_server INTEGER DEFAULT -1,
    thread_id INTEGER NOT NULL REFERENCES thread (_id) ON DELETE CASCADE, from_recipient_id INTEGER NOT NULL REFERENCES recipient (_id) ON DELETE CASCADE,
    from_device_id INTEGER, to_recipient_id INTEGER NOT NULL REFERENCES recipient (_id) ON DELETE CASCADE, type INTEGER NOT NULL, body TEXT,
    read INTEGER DEFAULT 0, m_type INTEGER, expires_in INTEGER DEFAULT 0, quote_id INTEGER DEFAULT 0, quote_author INTEGER DEFAULT 0,
    quote_body TEXT DEFAULT NULL, quote_missing INTEGER DEFAULT 0, quote_type INTEGER DEFAULT 0, remote_deleted INTEGER DEFAULT 0,
    server_guid TEXT DEFAULT NULL, story_type INTEGER DEFAULT 0, parent_story_id INTEGER DEFAULT 0, scheduled_date INTEGER DEFAULT -1,
    latest_revision_id INTEGER DEFAULT NULL REFERENCES message (_id) ON DELETE CASCADE,
    original_message_id INTEGER DEFAULT NULL REFERENCES message (_id) ON DELETE CASCADE, revision_number INTEGER DEFAULT 0)`,
  `CREATE TABLE attachment (_id INTEGER PRIMARY KEY AUTOINCREMENT, message_id INTEGER, content_type TEXT, remote_key TEXT, remote_location TEXT,
    transfer_state INTEGER, data_file TEXT, data_size INTEGER, file_name TEXT, voice_note INTEGER DEFAULT 0, quote INTEGER DEFAULT 0,
    width INTEGER DEFAULT 0, height INTEGER DEFAULT 0, caption TEXT DEFAULT NULL, sticker_id INTEGER DEFAULT -1, display_order INTEGER DEFAULT 0,
    upload_timestamp INTEGER DEFAULT 0)`,
  `CREATE TABLE reaction (_id INTEGER PRIMARY KEY, message_id INTEGER NOT NULL REFERENCES message (_id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES recipient (_id) ON DELETE CASCADE, emoji TEXT NOT NULL, date_sent INTEGER NOT NULL,
    date_received INTEGER NOT NULL, UNIQUE(message_id, author_id) ON CONFLICT REPLACE)`,
  `CREATE TABLE mention (_id INTEGER PRIMARY KEY AUTOINCREMENT, thread_id INTEGER, message_id INTEGER, recipient_id INTEGER, range_start INTEGER, range_length INTEGER)`,
  'CREATE INDEX message_thread_date_index ON message (thread_id, date_received)',
  'CREATE VIRTUAL TABLE message_fts USING fts5(body, thread_id UNINDEXED, content=message, content_rowid=_id)',
  'CREATE TABLE message_fts_data(id INTEGER PRIMARY KEY, block BLOB)',
];

/** An INSERT of every given column, as the exporter writes rows. */
export function insert(table: string, row: Record<string, Param>): Frame {
  const cols = Object.keys(row);
  return { sql: `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`, params: cols.map((c) => row[c]!) };
}

/** The same tables as an older Signal (about 2021) creates them: sms + mms, part attachments, recipient ids in `address`. */
export const LEGACY_SIGNAL_SCHEMA = [
  `CREATE TABLE recipient (_id INTEGER PRIMARY KEY AUTOINCREMENT, uuid TEXT UNIQUE DEFAULT NULL, username TEXT UNIQUE DEFAULT NULL,
    phone TEXT UNIQUE DEFAULT NULL, email TEXT UNIQUE DEFAULT NULL, group_id TEXT UNIQUE DEFAULT NULL, group_type INTEGER DEFAULT 0,
    blocked INTEGER DEFAULT 0, system_display_name TEXT DEFAULT NULL, signal_profile_name TEXT DEFAULT NULL, profile_family_name TEXT DEFAULT NULL,
    profile_joined_name TEXT DEFAULT NULL, registered INTEGER DEFAULT 0)`,
  `CREATE TABLE thread (_id INTEGER PRIMARY KEY AUTOINCREMENT, date INTEGER DEFAULT 0, message_count INTEGER DEFAULT 0,
    thread_recipient_id INTEGER, snippet TEXT, snippet_charset INTEGER DEFAULT 0, read INTEGER DEFAULT 1, type INTEGER DEFAULT 0,
    error INTEGER DEFAULT 0, snippet_type INTEGER DEFAULT 0, archived INTEGER DEFAULT 0)`,
  `CREATE TABLE groups (_id INTEGER PRIMARY KEY, group_id TEXT, recipient_id INTEGER, title TEXT, members TEXT, avatar BLOB,
    avatar_id INTEGER, active INTEGER DEFAULT 1, mms INTEGER DEFAULT 0, master_key BLOB, revision BLOB, decrypted_group BLOB)`,
  `CREATE TABLE sms (_id INTEGER PRIMARY KEY AUTOINCREMENT, thread_id INTEGER, address INTEGER, address_device_id INTEGER DEFAULT 1, person INTEGER,
    date INTEGER, date_sent INTEGER, date_server INTEGER DEFAULT -1, protocol INTEGER, read INTEGER DEFAULT 0, status INTEGER DEFAULT -1,
    type INTEGER, reply_path_present INTEGER, delivery_receipt_count INTEGER DEFAULT 0, subject TEXT, body TEXT, mismatched_identities TEXT DEFAULT NULL,
    service_center TEXT, subscription_id INTEGER DEFAULT -1, expires_in INTEGER DEFAULT 0, expire_started INTEGER DEFAULT 0, notified DEFAULT 0,
    read_receipt_count INTEGER DEFAULT 0, unidentified INTEGER DEFAULT 0, reactions BLOB DEFAULT NULL, reactions_unread INTEGER DEFAULT 0,
    reactions_last_seen INTEGER DEFAULT -1, remote_deleted INTEGER DEFAULT 0, notified_timestamp INTEGER DEFAULT 0, server_guid TEXT DEFAULT NULL)`,
  `CREATE TABLE mms (_id INTEGER PRIMARY KEY AUTOINCREMENT, thread_id INTEGER, date INTEGER, date_received INTEGER, date_server INTEGER DEFAULT -1,
    msg_box INTEGER, read INTEGER DEFAULT 0, body TEXT, part_count INTEGER, ct_l TEXT, address INTEGER, address_device_id INTEGER, exp INTEGER,
    m_type INTEGER, m_size INTEGER, st INTEGER, tr_id TEXT, delivery_receipt_count INTEGER DEFAULT 0, mismatched_identities TEXT DEFAULT NULL,
    network_failures TEXT DEFAULT NULL, subscription_id INTEGER DEFAULT -1, expires_in INTEGER DEFAULT 0, expire_started INTEGER DEFAULT 0,
    notified INTEGER DEFAULT 0, read_receipt_count INTEGER DEFAULT 0, quote_id INTEGER DEFAULT 0, quote_author TEXT, quote_body TEXT,
    quote_attachment INTEGER DEFAULT -1, quote_missing INTEGER DEFAULT 0, quote_mentions BLOB DEFAULT NULL, shared_contacts TEXT, unidentified INTEGER DEFAULT 0,
    previews TEXT, reveal_duration INTEGER DEFAULT 0, reactions BLOB DEFAULT NULL, reactions_unread INTEGER DEFAULT 0, reactions_last_seen INTEGER DEFAULT -1,
    remote_deleted INTEGER DEFAULT 0, mentions_self INTEGER DEFAULT 0, notified_timestamp INTEGER DEFAULT 0, viewed_receipt_count INTEGER DEFAULT 0,
    server_guid TEXT DEFAULT NULL)`,
  `CREATE TABLE part (_id INTEGER PRIMARY KEY, mid INTEGER, seq INTEGER DEFAULT 0, ct TEXT, name TEXT, chset INTEGER, cd TEXT, fn TEXT, cid TEXT,
    cl TEXT, ctt_s INTEGER, ctt_t TEXT, encrypted INTEGER, pending_push INTEGER, _data TEXT, data_size INTEGER, file_name TEXT, thumbnail TEXT,
    aspect_ratio REAL, unique_id INTEGER NOT NULL, digest BLOB, fast_preflight_id TEXT, voice_note INTEGER DEFAULT 0, data_random BLOB,
    thumbnail_random BLOB, quote INTEGER DEFAULT 0, width INTEGER DEFAULT 0, height INTEGER DEFAULT 0, caption TEXT DEFAULT NULL,
    sticker_pack_id TEXT DEFAULT NULL, sticker_pack_key DEFAULT NULL, sticker_id INTEGER DEFAULT -1, data_hash TEXT DEFAULT NULL,
    blur_hash TEXT DEFAULT NULL, transform_properties TEXT DEFAULT NULL, transfer_file TEXT DEFAULT NULL, display_order INTEGER DEFAULT 0,
    upload_timestamp INTEGER DEFAULT 0, cdn_number INTEGER DEFAULT 0)`,
  `CREATE TABLE reaction (_id INTEGER PRIMARY KEY, message_id INTEGER NOT NULL, is_mms INTEGER NOT NULL, author_id INTEGER NOT NULL,
    emoji TEXT NOT NULL, date_sent INTEGER NOT NULL, date_received INTEGER NOT NULL, UNIQUE(message_id, is_mms, author_id) ON CONFLICT REPLACE)`,
];
