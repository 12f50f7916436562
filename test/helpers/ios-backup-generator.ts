/**
 * Builds Finder/iTunes iPhone backups (iOS 10.2+ layout) for tests: Info.plist (XML), Status.plist
 * and Manifest.plist (binary), Manifest.db, and each file under <2 hex>/<SHA-1 of "domain-path">.
 * Encrypted backups follow Apple's scheme: a keybag whose class keys are RFC 3394-wrapped with
 * PBKDF2-SHA1(PBKDF2-SHA256(password, DPSL, DPIC), SALT, ITER); Manifest.db encrypted with the
 * ManifestKey; every file AES-256-CBC (zero IV, PKCS#7) with its own wrapped key in its MBFile.
 *
 * Written from the format description only, with Node's crypto, better-sqlite3 and bplist-creator:
 * it shares no code with src/importers/ios-backup, so a misreading there cannot hide here.
 * The databases are built in memory and only their (encrypted, for an encrypted backup) bytes are
 * written: no plaintext copy exists on disk.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import bplistCreator from 'bplist-creator';
import * as plist from 'plist';

export interface BackupOptions {
  /** Encrypts the backup with this password. */
  password?: string;
  /** PBKDF2 rounds (Apple: DPIC 10,000,000 and ITER 10,000; the keybag stores them, so tests use fewer). */
  dpic?: number;
  iter?: number;
  /** A word put into every message text and attachment, to look for plaintext on disk. */
  marker: string;
}

export interface GeneratedBackup {
  dir: string;
  /** Backup files written (not the top-level plists), as "domain/relativePath" → plaintext SHA-256. */
  files: Map<string, { sha256: string; size: number }>;
  /** Listed in Manifest.db, content deliberately absent. */
  absent: string[];
  attachments: { sms: Buffer; whatsapp: Buffer };
}

const KEY_WRAP_IV = Buffer.from('A6A6A6A6A6A6A6A6', 'hex');
const ZERO_IV = Buffer.alloc(16);
const APPLE_EPOCH_MS = 978_307_200_000;

export const SMS_ATTACHMENT_PATH = 'Library/SMS/Attachments/4f/15/8C1E9A47-3E0B-4C8E-9D35-6B2D7E1F0A11/IMG_0412.jpeg';
export const SMS_ABSENT_PATH = 'Library/SMS/Attachments/0a/10/1F4D2C33-0000-4000-8000-00000000ABCD/contract-draft.pdf';
export const WA_DOMAIN = 'AppDomainGroup-group.net.whatsapp.WhatsApp.shared';
export const WA_MEDIA_LOCAL = 'Media/447700900002@s.whatsapp.net/6/f/6f3a9c1e-0d7b-4a8e-8b61-2a9f0c4d5e71.jpg';
export const OWNER_JID = '447700900009@s.whatsapp.net';

const wrap = (kek: Buffer, key: Buffer): Buffer => {
  const c = crypto.createCipheriv('id-aes256-wrap', kek, KEY_WRAP_IV);
  return Buffer.concat([c.update(key), c.final()]);
};
const encrypt = (key: Buffer, plain: Buffer): Buffer => {
  const c = crypto.createCipheriv('aes-256-cbc', key, ZERO_IV);
  return Buffer.concat([c.update(plain), c.final()]);
};
const le32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
const tlv = (tag: string, value: Buffer | number): Buffer => {
  const data = typeof value === 'number' ? Buffer.from([value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255]) : value;
  const head = Buffer.alloc(8);
  head.write(tag, 0, 'latin1');
  head.writeUInt32BE(data.length, 4);
  return Buffer.concat([head, data]);
};
/** Apple's iMessage dates: nanoseconds since 2001-01-01 UTC. */
const appleNs = (iso: string) => BigInt(Date.parse(iso) - APPLE_EPOCH_MS) * 1_000_000n;
/** Core Data dates: seconds since 2001-01-01 UTC. */
const appleS = (iso: string) => (Date.parse(iso) - APPLE_EPOCH_MS) / 1000;

interface FileSpec {
  domain: string;
  relativePath: string;
  content: Buffer;
  protectionClass: number;
  /** Listed but not written. */
  absent?: boolean;
}

/** Keys and keybag of an encrypted backup. */
class Keys {
  readonly classKeys = new Map<number, Buffer>();
  readonly keybag: Buffer;

  constructor(password: string, dpic: number, iter: number) {
    const dpsl = crypto.randomBytes(20);
    const salt = crypto.randomBytes(20);
    const first = crypto.pbkdf2Sync(Buffer.from(password, 'utf8'), dpsl, dpic, 32, 'sha256');
    const passcodeKey = crypto.pbkdf2Sync(first, salt, iter, 32, 'sha1');
    const parts = [
      tlv('VERS', 4), tlv('TYPE', 1), tlv('UUID', crypto.randomBytes(16)), tlv('HMCK', crypto.randomBytes(40)), tlv('WRAP', 0),
      tlv('SALT', salt), tlv('ITER', iter), tlv('DPWT', 1), tlv('DPIC', dpic), tlv('DPSL', dpsl),
    ];
    for (let cls = 1; cls <= 11; cls++) {
      if (cls === 5) continue; // no class 5 key in backup keybags
      const key = crypto.randomBytes(32);
      this.classKeys.set(cls, key);
      parts.push(tlv('UUID', crypto.randomBytes(16)), tlv('CLAS', cls), tlv('WRAP', 2), tlv('KTYP', 0), tlv('WPKY', wrap(passcodeKey, key)));
    }
    this.keybag = Buffer.concat(parts);
  }

  /** 4-byte little-endian class + the key wrapped with that class key. */
  wrapFor(cls: number, key: Buffer): Buffer {
    return Buffer.concat([le32(cls), wrap(this.classKeys.get(cls)!, key)]);
  }
}

/** The NSKeyedArchiver archive of an MBFile, as iOS puts in Manifest.db's `file` column. */
function mbFile(relativePath: string, size: number, protectionClass: number, encryptionKey: Buffer | undefined, isDir: boolean): Buffer {
  const now = Math.floor(Date.parse('2024-03-05T12:00:00Z') / 1000);
  const root: Record<string, unknown> = {
    LastModified: now, Flags: 0, GroupID: 501, LastStatusChange: now, Birth: now, Size: size, Mode: isDir ? 16877 : 33188,
    UserID: 501, InodeNumber: crypto.randomInt(1, 2 ** 31), ProtectionClass: protectionClass, RelativePath: { UID: 2 },
  };
  const objects: unknown[] = ['$null', root, relativePath];
  if (encryptionKey) {
    root.EncryptionKey = { UID: 3 };
    objects.push({ 'NS.data': encryptionKey, $class: { UID: 4 } });
    objects.push({ $classname: 'NSMutableData', $classes: ['NSMutableData', 'NSData', 'NSObject'] });
  }
  root.$class = { UID: objects.length };
  objects.push({ $classname: 'MBFile', $classes: ['MBFile', 'NSObject'] });
  return bplistCreator({ $version: 100000, $archiver: 'NSKeyedArchiver', $top: { root: { UID: 1 } }, $objects: objects });
}

function jpeg(label: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(`JFIF ${label}`), crypto.randomBytes(3000), Buffer.from([0xff, 0xd9])]);
}

/** sms.db: the chat.db schema subset iOS 16+ uses, with a direct chat, a group and a photo. */
function smsDb(marker: string, photoSize: number): Buffer {
  const db = new Database(':memory:');
  db.exec(`
    CREATE TABLE _SqliteDatabaseProperties (key TEXT, value TEXT, UNIQUE(key));
    CREATE TABLE handle (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, id TEXT NOT NULL, country TEXT, service TEXT NOT NULL,
      uncanonicalized_id TEXT, person_centric_id TEXT, UNIQUE (id, service));
    CREATE TABLE chat (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, style INTEGER, state INTEGER, account_id TEXT,
      properties BLOB, chat_identifier TEXT, service_name TEXT, room_name TEXT, account_login TEXT, is_archived INTEGER DEFAULT 0,
      last_addressed_handle TEXT, display_name TEXT, group_id TEXT, is_filtered INTEGER DEFAULT 0, successful_query INTEGER);
    CREATE TABLE message (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, text TEXT, replace INTEGER DEFAULT 0,
      service_center TEXT, handle_id INTEGER DEFAULT 0, subject TEXT, country TEXT, attributedBody BLOB, version INTEGER DEFAULT 0,
      type INTEGER DEFAULT 0, service TEXT, account TEXT, account_guid TEXT, error INTEGER DEFAULT 0, date INTEGER, date_read INTEGER,
      date_delivered INTEGER, is_delivered INTEGER DEFAULT 0, is_finished INTEGER DEFAULT 0, is_emote INTEGER DEFAULT 0,
      is_from_me INTEGER DEFAULT 0, is_empty INTEGER DEFAULT 0, is_delayed INTEGER DEFAULT 0, is_auto_reply INTEGER DEFAULT 0,
      is_prepared INTEGER DEFAULT 0, is_read INTEGER DEFAULT 0, is_system_message INTEGER DEFAULT 0, is_sent INTEGER DEFAULT 0,
      has_dd_results INTEGER DEFAULT 0, is_service_message INTEGER DEFAULT 0, is_forward INTEGER DEFAULT 0, was_downgraded INTEGER DEFAULT 0,
      is_archive INTEGER DEFAULT 0, cache_has_attachments INTEGER DEFAULT 0, cache_roomnames TEXT, was_data_detected INTEGER DEFAULT 0,
      was_deduplicated INTEGER DEFAULT 0, is_audio_message INTEGER DEFAULT 0, is_played INTEGER DEFAULT 0, date_played INTEGER,
      item_type INTEGER DEFAULT 0, other_handle INTEGER DEFAULT 0, group_title TEXT, group_action_type INTEGER DEFAULT 0,
      share_status INTEGER DEFAULT 0, share_direction INTEGER DEFAULT 0, is_expirable INTEGER DEFAULT 0, expire_state INTEGER DEFAULT 0,
      message_action_type INTEGER DEFAULT 0, message_source INTEGER DEFAULT 0, associated_message_guid TEXT,
      associated_message_type INTEGER DEFAULT 0, balloon_bundle_id TEXT, payload_data BLOB, expressive_send_style_id TEXT,
      associated_message_range_location INTEGER DEFAULT 0, associated_message_range_length INTEGER DEFAULT 0,
      time_expressive_send_played INTEGER, message_summary_info BLOB, ck_sync_state INTEGER DEFAULT 0, ck_record_id TEXT,
      ck_record_change_tag TEXT, destination_caller_id TEXT, is_corrupt INTEGER DEFAULT 0, reply_to_guid TEXT, sort_id INTEGER,
      is_spam INTEGER DEFAULT 0, has_unseen_mention INTEGER DEFAULT 0, thread_originator_guid TEXT, thread_originator_part TEXT,
      syndication_ranges TEXT, synced_syndication_ranges TEXT, was_delivered_quietly INTEGER DEFAULT 0, did_notify_recipient INTEGER DEFAULT 0,
      date_retracted INTEGER DEFAULT 0, date_edited INTEGER DEFAULT 0, was_detonated INTEGER DEFAULT 0, part_count INTEGER,
      is_stewie INTEGER DEFAULT 0, is_kt_verified INTEGER DEFAULT 0, is_sos INTEGER DEFAULT 0, is_critical INTEGER DEFAULT 0,
      bia_reference_id TEXT DEFAULT NULL, fallback_hash TEXT DEFAULT NULL);
    CREATE TABLE attachment (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, created_date INTEGER DEFAULT 0,
      start_date INTEGER DEFAULT 0, filename TEXT, uti TEXT, mime_type TEXT, transfer_state INTEGER DEFAULT 0, is_outgoing INTEGER DEFAULT 0,
      user_info BLOB, transfer_name TEXT, total_bytes INTEGER DEFAULT 0, is_sticker INTEGER DEFAULT 0, sticker_user_info BLOB,
      attribution_info BLOB, hide_attachment INTEGER DEFAULT 0, ck_sync_state INTEGER DEFAULT 0, ck_server_change_token_blob BLOB,
      ck_record_id TEXT, original_guid TEXT UNIQUE NOT NULL, is_commsafety_sensitive INTEGER DEFAULT 0);
    CREATE TABLE chat_handle_join (chat_id INTEGER REFERENCES chat (ROWID) ON DELETE CASCADE, handle_id INTEGER REFERENCES handle (ROWID) ON DELETE CASCADE, UNIQUE(chat_id, handle_id));
    CREATE TABLE chat_message_join (chat_id INTEGER REFERENCES chat (ROWID) ON DELETE CASCADE, message_id INTEGER REFERENCES message (ROWID) ON DELETE CASCADE, message_date INTEGER DEFAULT 0, PRIMARY KEY (chat_id, message_id));
    CREATE TABLE message_attachment_join (message_id INTEGER REFERENCES message (ROWID) ON DELETE CASCADE, attachment_id INTEGER REFERENCES attachment (ROWID) ON DELETE CASCADE, UNIQUE(message_id, attachment_id));
    INSERT INTO handle (ROWID, id, country, service, uncanonicalized_id) VALUES (1, '+447700900001', 'gb', 'iMessage', NULL), (2, 'alice@example.com', 'gb', 'iMessage', NULL);
    INSERT INTO chat (ROWID, guid, style, chat_identifier, service_name, display_name) VALUES
      (1, 'iMessage;-;+447700900001', 45, '+447700900001', 'iMessage', ''),
      (2, 'iMessage;+;chat771122334455', 43, 'chat771122334455', 'iMessage', 'Deal team');
    INSERT INTO chat_handle_join VALUES (1, 1), (2, 1), (2, 2);
  `);
  const msg = db.prepare(`INSERT INTO message (ROWID, guid, text, handle_id, service, account, date, is_from_me, is_sent, is_delivered, is_finished, cache_has_attachments, destination_caller_id)
    VALUES (@rowid, @guid, @text, @handle, 'iMessage', 'e:owner@example.com', @date, @me, @me, 1, 1, @att, 'owner@example.com')`);
  const join = db.prepare('INSERT INTO chat_message_join VALUES (?, ?, ?)');
  const rows = [
    { rowid: 1, guid: '7E1A5C2B-0001-4D6E-9F00-000000000001', text: `${marker} can you confirm the price?`, handle: 1, date: appleNs('2024-03-01T10:00:00Z'), me: 0, att: 0, chat: 1 },
    { rowid: 2, guid: '7E1A5C2B-0002-4D6E-9F00-000000000002', text: `${marker} confirmed, photo of the contract attached \ufffc`, handle: 1, date: appleNs('2024-03-01T10:05:30Z'), me: 1, att: 1, chat: 1 },
    { rowid: 3, guid: '7E1A5C2B-0003-4D6E-9F00-000000000003', text: `${marker} group hello from Alice`, handle: 2, date: appleNs('2024-03-01T11:00:00Z'), me: 0, att: 0, chat: 2 },
    { rowid: 4, guid: '7E1A5C2B-0004-4D6E-9F00-000000000004', text: `${marker} draft attached \ufffc`, handle: 2, date: appleNs('2024-03-01T11:02:00Z'), me: 0, att: 1, chat: 2 },
  ];
  for (const r of rows) {
    msg.run(r);
    join.run(r.chat, r.rowid, r.date);
  }
  db.prepare(`INSERT INTO attachment (ROWID, guid, created_date, filename, uti, mime_type, transfer_state, is_outgoing, transfer_name, total_bytes, original_guid)
    VALUES (?, ?, ?, ?, ?, ?, 5, ?, ?, ?, ?)`).run(1, 'at_0_8C1E9A47', Number(appleNs('2024-03-01T10:05:30Z') / 1_000_000_000n), `~/${SMS_ATTACHMENT_PATH}`, 'public.jpeg', 'image/jpeg', 1, 'IMG_0412.jpeg', photoSize, 'at_0_8C1E9A47');
  db.prepare(`INSERT INTO attachment (ROWID, guid, created_date, filename, uti, mime_type, transfer_state, is_outgoing, transfer_name, total_bytes, original_guid)
    VALUES (?, ?, ?, ?, ?, ?, 5, ?, ?, ?, ?)`).run(2, 'at_0_1F4D2C33', Number(appleNs('2024-03-01T11:02:00Z') / 1_000_000_000n), `~/${SMS_ABSENT_PATH}`, 'com.adobe.pdf', 'application/pdf', 0, 'contract-draft.pdf', 52000, 'at_0_1F4D2C33');
  db.exec('INSERT INTO message_attachment_join VALUES (2, 1), (4, 2)');
  const bytes = db.serialize();
  db.close();
  return bytes;
}

/** ChatStorage.sqlite: the Core Data tables WhatsApp for iOS keeps (the columns the importer reads, and some it does not). */
function chatStorage(marker: string, photoSize: number): Buffer {
  const db = new Database(':memory:');
  db.exec(`
    CREATE TABLE Z_PRIMARYKEY (Z_ENT INTEGER PRIMARY KEY, Z_NAME VARCHAR, Z_SUPER INTEGER, Z_MAX INTEGER);
    CREATE TABLE Z_METADATA (Z_VERSION INTEGER PRIMARY KEY, Z_UUID VARCHAR(255), Z_PLIST BLOB);
    CREATE TABLE ZWACHATSESSION (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZARCHIVED INTEGER, ZCONTACTABID INTEGER, ZFLAGS INTEGER,
      ZHIDDEN INTEGER, ZIDENTITYVERIFICATIONEPOCH INTEGER, ZIDENTITYVERIFICATIONSTATE INTEGER, ZMESSAGECOUNTER INTEGER, ZREMOVED INTEGER,
      ZSESSIONTYPE INTEGER, ZSPOTLIGHTSTATUS INTEGER, ZUNREADCOUNT INTEGER, ZGROUPINFO INTEGER, ZLASTMESSAGE INTEGER, ZPROPERTIES INTEGER,
      ZLASTMESSAGEDATE TIMESTAMP, ZCONTACTIDENTIFIER VARCHAR, ZCONTACTJID VARCHAR, ZETAG VARCHAR, ZLASTMESSAGETEXT VARCHAR, ZPARTNERNAME VARCHAR, ZSAVEDINPUT VARCHAR);
    CREATE TABLE ZWAGROUPINFO (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZSTATE INTEGER, ZCHATSESSION INTEGER, ZLASTMESSAGEOWNER INTEGER,
      ZCREATIONDATE TIMESTAMP, ZSUBJECTTIMESTAMP TIMESTAMP, ZCREATORJID VARCHAR, ZOWNERJID VARCHAR, ZPICTUREID VARCHAR, ZPICTUREPATH VARCHAR, ZSOURCEJID VARCHAR, ZSUBJECTOWNERJID VARCHAR);
    CREATE TABLE ZWAGROUPMEMBER (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZCONTACTABID INTEGER, ZISACTIVE INTEGER, ZISADMIN INTEGER,
      ZSENDERKEYSENT INTEGER, ZCHATSESSION INTEGER, ZRECENTGROUPCHAT INTEGER, ZCONTACTIDENTIFIER VARCHAR, ZCONTACTNAME VARCHAR, ZFIRSTNAME VARCHAR, ZMEMBERJID VARCHAR);
    CREATE TABLE ZWAMEDIAITEM (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZCLOUDSTATUS INTEGER, ZFILESIZE INTEGER, ZMEDIAORIGIN INTEGER,
      ZMOVIEDURATION INTEGER, ZMESSAGE INTEGER, ZASPECTRATIO FLOAT, ZHACCURACY FLOAT, ZLATITUDE FLOAT, ZLONGITUDE FLOAT, ZMEDIAURLDATE TIMESTAMP,
      ZAUTHORNAME VARCHAR, ZCOLLECTIONNAME VARCHAR, ZMEDIALOCALPATH VARCHAR, ZMEDIAURL VARCHAR, ZTHUMBNAILLOCALPATH VARCHAR, ZTITLE VARCHAR,
      ZVCARDNAME VARCHAR, ZVCARDSTRING VARCHAR, ZXMPPTHUMBPATH VARCHAR, ZMEDIAKEY BLOB, ZMETADATA BLOB);
    CREATE TABLE ZWAMESSAGE (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZCHILDMESSAGESDELIVEREDCOUNT INTEGER, ZCHILDMESSAGESPLAYEDCOUNT INTEGER,
      ZCHILDMESSAGESREADCOUNT INTEGER, ZDATAITEMVERSION INTEGER, ZDOCID INTEGER, ZENCRETRYCOUNT INTEGER, ZFILTEREDRECIPIENTCOUNT INTEGER,
      ZFLAGS INTEGER, ZGROUPEVENTTYPE INTEGER, ZISFROMME INTEGER, ZMESSAGEERRORSTATUS INTEGER, ZMESSAGESTATUS INTEGER, ZMESSAGETYPE INTEGER,
      ZSORT INTEGER, ZSPOTLIGHTSTATUS INTEGER, ZSTARRED INTEGER, ZCHATSESSION INTEGER, ZGROUPMEMBER INTEGER, ZLASTSESSION INTEGER,
      ZMEDIAITEM INTEGER, ZMESSAGEINFO INTEGER, ZPARENTMESSAGE INTEGER, ZMESSAGEDATE TIMESTAMP, ZSENTDATE TIMESTAMP, ZFROMJID VARCHAR,
      ZMEDIASECTIONID VARCHAR, ZPHASH VARCHAR, ZPUSHNAME VARCHAR, ZSTANZAID VARCHAR, ZTEXT VARCHAR, ZTOJID VARCHAR);
    CREATE TABLE ZWAPROFILEPUSHNAME (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZJID VARCHAR, ZPUSHNAME VARCHAR);
    INSERT INTO Z_METADATA VALUES (1, 'A1B2C3D4-0000-4000-8000-0000000000AA', NULL);
    INSERT INTO ZWACHATSESSION (Z_PK, Z_ENT, ZSESSIONTYPE, ZREMOVED, ZCONTACTJID, ZPARTNERNAME, ZLASTMESSAGEDATE) VALUES
      (1, 4, 0, 0, '447700900002@s.whatsapp.net', 'Bob Trader', ${appleS('2024-03-02T09:30:00Z')}),
      (2, 4, 1, 0, '120363025000000001@g.us', 'Desk chat', ${appleS('2024-03-02T12:00:00Z')});
    INSERT INTO ZWAGROUPINFO (Z_PK, ZCHATSESSION, ZCREATIONDATE, ZCREATORJID) VALUES (1, 2, ${appleS('2024-01-01T00:00:00Z')}, '447700900003@s.whatsapp.net');
    UPDATE ZWACHATSESSION SET ZGROUPINFO = 1 WHERE Z_PK = 2;
    INSERT INTO ZWAGROUPMEMBER (Z_PK, ZCHATSESSION, ZMEMBERJID, ZCONTACTNAME, ZISACTIVE) VALUES (1, 2, '447700900003@s.whatsapp.net', 'Carol Broker', 1), (2, 2, '447700900002@s.whatsapp.net', 'Bob Trader', 1);
    INSERT INTO ZWAPROFILEPUSHNAME (Z_PK, ZJID, ZPUSHNAME) VALUES (1, '447700900003@s.whatsapp.net', 'Carol B');
  `);
  const ins = db.prepare(`INSERT INTO ZWAMESSAGE (Z_PK, Z_ENT, ZCHATSESSION, ZISFROMME, ZFROMJID, ZTOJID, ZTEXT, ZMESSAGEDATE, ZSENTDATE, ZMESSAGETYPE,
      ZGROUPEVENTTYPE, ZGROUPMEMBER, ZMEDIAITEM, ZPARENTMESSAGE, ZSTANZAID, ZFLAGS, ZSORT, ZMESSAGESTATUS)
    VALUES (@pk, 9, @chat, @me, @from, @to, @text, @date, @date, @type, @event, @member, @media, @parent, @stanza, @flags, @pk, 8)`);
  const base = { from: null, to: null, text: null, type: 0, event: 0, member: null, media: null, parent: null, flags: 0 };
  const rows = [
    { ...base, pk: 1, chat: 1, me: 0, from: '447700900002@s.whatsapp.net', text: `${marker} call me about the shipment`, date: appleS('2024-03-02T09:00:00Z'), stanza: '3EB0A1B2C3D4E5F60001' },
    { ...base, pk: 2, chat: 1, me: 1, to: '447700900002@s.whatsapp.net', text: `${marker} not here, use the other phone`, date: appleS('2024-03-02T09:01:30.250Z'), stanza: '3EB0A1B2C3D4E5F60002', parent: 1 },
    { ...base, pk: 3, chat: 1, me: 0, from: '447700900002@s.whatsapp.net', text: null, type: 1, media: 1, date: appleS('2024-03-02T09:05:00Z'), stanza: '3EB0A1B2C3D4E5F60003', flags: 0x80 },
    { ...base, pk: 4, chat: 1, me: 0, from: '447700900002@s.whatsapp.net', type: 14, date: appleS('2024-03-02T09:06:00Z'), stanza: '3EB0A1B2C3D4E5F60004' },
    { ...base, pk: 5, chat: 2, me: 0, from: '120363025000000001@g.us', type: 6, event: 2, member: 1, date: appleS('2024-03-02T11:00:00Z'), stanza: '3EB0A1B2C3D4E5F60005' },
    { ...base, pk: 6, chat: 2, me: 0, from: '120363025000000001@g.us', member: 1, text: `${marker} desk: volumes are up`, date: appleS('2024-03-02T12:00:00Z'), stanza: '3EB0A1B2C3D4E5F60006' },
  ];
  for (const r of rows) ins.run(r);
  db.prepare(`INSERT INTO ZWAMEDIAITEM (Z_PK, Z_ENT, ZMESSAGE, ZFILESIZE, ZMEDIALOCALPATH, ZTITLE, ZVCARDSTRING) VALUES (1, 8, 3, ?, ?, ?, 'image/jpeg')`)
    .run(photoSize, WA_MEDIA_LOCAL, `${marker} the loading dock`);
  const bytes = db.serialize();
  db.close();
  return bytes;
}

/**
 * The WhatsApp app-group folder as a file-system extraction has it: ChatStorage.sqlite,
 * Message/Media/… and Library/Preferences/…plist. Returns the photo's bytes.
 */
export function writeWhatsAppFolder(dir: string, marker: string): Buffer {
  const photo = jpeg(`${marker} whatsapp photo`);
  fs.mkdirSync(path.join(dir, 'Message', path.posix.dirname(WA_MEDIA_LOCAL)), { recursive: true });
  fs.mkdirSync(path.join(dir, 'Library', 'Preferences'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'ChatStorage.sqlite'), chatStorage(marker, photo.length));
  fs.writeFileSync(path.join(dir, 'Message', WA_MEDIA_LOCAL), photo);
  fs.writeFileSync(path.join(dir, 'Library', 'Preferences', 'group.net.whatsapp.WhatsApp.shared.plist'), bplistCreator({ OwnJabberID: OWNER_JID, FullUserName: 'Olivia Owner' }));
  return photo;
}

export function generateIosBackup(dir: string, opts: BackupOptions): GeneratedBackup {
  fs.mkdirSync(dir, { recursive: true });
  const keys = opts.password ? new Keys(opts.password, opts.dpic ?? 1000, opts.iter ?? 100) : undefined;
  const smsPhoto = jpeg(`${opts.marker} sms photo`);
  const waPhoto = jpeg(`${opts.marker} whatsapp photo`);
  const chat = chatStorage(opts.marker, waPhoto.length);
  const prefs = bplistCreator({ OwnJabberID: OWNER_JID, FullUserName: 'Olivia Owner', OwnPhoneNumber: Buffer.from('obfuscated') });
  const specs: FileSpec[] = [
    { domain: 'HomeDomain', relativePath: 'Library/SMS/sms.db', content: smsDb(opts.marker, smsPhoto.length), protectionClass: 3 },
    { domain: 'MediaDomain', relativePath: SMS_ATTACHMENT_PATH, content: smsPhoto, protectionClass: 3 },
    { domain: 'MediaDomain', relativePath: SMS_ABSENT_PATH, content: Buffer.from(`${opts.marker} never written`), protectionClass: 3, absent: true },
    { domain: WA_DOMAIN, relativePath: 'ChatStorage.sqlite', content: chat, protectionClass: 3 },
    { domain: WA_DOMAIN, relativePath: `Message/${WA_MEDIA_LOCAL}`, content: waPhoto, protectionClass: 3 },
    { domain: WA_DOMAIN, relativePath: 'Library/Preferences/group.net.whatsapp.WhatsApp.shared.plist', content: prefs, protectionClass: 4 },
    { domain: 'HomeDomain', relativePath: 'Library/Preferences/com.apple.springboard.plist', content: bplistCreator({ SBShowBatteryPercentage: true }), protectionClass: 4 },
  ];
  const dirs = [['HomeDomain', 'Library'], ['HomeDomain', 'Library/SMS'], ['MediaDomain', 'Library/SMS/Attachments'], [WA_DOMAIN, ''], [WA_DOMAIN, 'Message/Media']] as const;

  const manifest = new Database(':memory:');
  manifest.exec(`
    CREATE TABLE Files (fileID TEXT PRIMARY KEY, domain TEXT, relativePath TEXT, flags INTEGER, file BLOB);
    CREATE INDEX FilesDomainIdx ON Files(domain);
    CREATE INDEX FilesRelativePathIdx ON Files(relativePath);
    CREATE INDEX FilesFlagsIdx ON Files(flags);
    CREATE TABLE Properties (key TEXT PRIMARY KEY, value BLOB);
  `);
  const row = manifest.prepare('INSERT INTO Files VALUES (?, ?, ?, ?, ?)');
  const files = new Map<string, { sha256: string; size: number }>();
  const absent: string[] = [];
  for (const [domain, rel] of dirs) {
    const id = crypto.createHash('sha1').update(`${domain}-${rel}`).digest('hex');
    row.run(id, domain, rel, 2, mbFile(rel, 0, 0, undefined, true));
  }
  for (const f of specs) {
    const id = crypto.createHash('sha1').update(`${f.domain}-${f.relativePath}`).digest('hex');
    const fileKey = keys ? crypto.randomBytes(32) : undefined;
    const wrapped = keys && fileKey ? keys.wrapFor(f.protectionClass, fileKey) : undefined;
    row.run(id, f.domain, f.relativePath, 1, mbFile(f.relativePath, f.content.length, f.protectionClass, wrapped, false));
    if (f.absent) {
      absent.push(`${f.domain}/${f.relativePath}`);
      continue;
    }
    fs.mkdirSync(path.join(dir, id.slice(0, 2)), { recursive: true });
    fs.writeFileSync(path.join(dir, id.slice(0, 2), id), fileKey ? encrypt(fileKey, f.content) : f.content);
    files.set(`${f.domain}/${f.relativePath}`, { sha256: crypto.createHash('sha256').update(f.content).digest('hex'), size: f.content.length });
  }
  const manifestBytes = manifest.serialize();
  manifest.close();

  const udid = '00008110-001A2B3C4D5E801E';
  const lastBackup = new Date('2024-03-05T12:00:00Z');
  const manifestPlist: Record<string, unknown> = {
    BackupKeyBag: keys?.keybag ?? Buffer.alloc(0), Version: '10.0', Date: lastBackup, SystemDomainsVersion: '24.0', WasPasscodeSet: true,
    IsEncrypted: !!keys, Applications: {},
    Lockdown: { ProductVersion: '17.3.1', ProductType: 'iPhone14,5', BuildVersion: '21D61', UniqueDeviceID: udid, SerialNumber: 'F2LXXXXXXXXX', DeviceName: 'Olivia’s iPhone' },
  };
  if (keys) {
    const manifestKey = crypto.randomBytes(32);
    manifestPlist.ManifestKey = keys.wrapFor(4, manifestKey);
    fs.writeFileSync(path.join(dir, 'Manifest.db'), encrypt(manifestKey, manifestBytes));
  } else {
    delete manifestPlist.BackupKeyBag;
    fs.writeFileSync(path.join(dir, 'Manifest.db'), manifestBytes);
  }
  fs.writeFileSync(path.join(dir, 'Manifest.plist'), bplistCreator(manifestPlist));
  fs.writeFileSync(path.join(dir, 'Status.plist'), bplistCreator({
    BackupState: 'new', Date: lastBackup, IsFullBackup: false, SnapshotState: 'finished', UUID: crypto.randomUUID().toUpperCase(), Version: '3.3',
  }));
  fs.writeFileSync(path.join(dir, 'Info.plist'), plist.build({
    'Build Version': '21D61', 'Device Name': 'Olivia’s iPhone', 'Display Name': 'Olivia’s iPhone', GUID: 'A1B2C3D4E5F60718293A4B5C6D7E8F90',
    'Last Backup Date': lastBackup, 'Phone Number': '+44 7700 900009', 'Product Type': 'iPhone14,5', 'Product Version': '17.3.1',
    'Serial Number': 'F2LXXXXXXXXX', 'Target Identifier': udid, 'Target Type': 'Device', 'Unique Identifier': udid, 'iTunes Version': '12.13',
  }));
  return { dir, files, absent, attachments: { sms: smsPhoto, whatsapp: waPhoto } };
}
