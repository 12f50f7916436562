/**
 * Generated WhatsApp for Android databases for the tests: the chat-history-manager dumps (current
 * schema, with wa.db names) loaded as the documented `sqlite3 x.db < msgstore.sql` would, with rows
 * added (a photo with its Media file, a missing photo, a reaction, a linked-id sender), and a
 * legacy-schema `messages` database.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { FIXTURES } from './case.ts';

export const FIX = path.join(FIXTURES, 'whatsapp-android');
export const PHOTO = Buffer.from('\xff\xd8\xff\xe0 fake jpeg bytes for the custody test', 'latin1');

export function loadSql(file: string, sqlFile: string, extra = ''): void {
  const db = new Database(file);
  db.exec(fs.readFileSync(sqlFile, 'utf8'));
  if (extra) db.exec(extra);
  db.close();
}

/** Rows added to the fixture: a photo (present), a photo (absent), a row without its sent time, a reaction, a sender known only by linked id. */
export const EXTRA = `
  INSERT INTO message VALUES (7500, 148, 0, 'PHOTO0001', 0, 0, 0, 0, NULL, 0, 0, 1694000000000, 1694000000500, -1, 1, 'Look at this', 0, 0, 7500, 0, NULL);
  INSERT INTO message_media (message_row_id, chat_row_id, file_path, file_size, mime_type, media_name)
    VALUES (7500, 148, 'Media/WhatsApp Images/IMG-20230906-WA0001.jpg', ${PHOTO.length}, 'image/jpeg', NULL);
  INSERT INTO message VALUES (7501, 148, 1, 'PHOTO0002', 0, 0, 0, 0, NULL, 0, 0, 1694000100000, 1694000100500, -1, 1, NULL, 0, 0, 7501, 0, NULL);
  INSERT INTO message_media (message_row_id, chat_row_id, file_path, file_size, mime_type, media_name)
    VALUES (7501, 148, '/storage/emulated/0/WhatsApp/Media/WhatsApp Images/Sent/IMG-20230906-WA0002.jpg', 1234, 'image/jpeg', NULL);
  CREATE TABLE message_add_on (_id INTEGER PRIMARY KEY AUTOINCREMENT, chat_row_id INTEGER NOT NULL, from_me INTEGER NOT NULL,
    key_id TEXT NOT NULL, sender_jid_row_id INTEGER, parent_message_row_id INTEGER, timestamp INTEGER, message_add_on_type INTEGER);
  CREATE TABLE message_add_on_reaction (message_add_on_row_id INTEGER PRIMARY KEY, reaction TEXT, sender_timestamp INTEGER);
  INSERT INTO message_add_on VALUES (1, 19, 0, 'REACT0001', 252, 750, 1661417600000, 56);
  INSERT INTO message_add_on_reaction VALUES (1, '👍', 1661417600000);
  INSERT INTO message VALUES (7502, 148, 0, 'NOTIME0001', 0, 0, 0, 0, NULL, 0, 0, NULL, 1694000200000, -1, 0, 'Sent time lost', 0, 0, 7502, 0, NULL);
  INSERT INTO jid VALUES (300, '987654321098765', 'lid', 0, 0, 0, '987654321098765@lid');
  INSERT INTO message VALUES (760, 19, 0, 'GROUPMSGLID01', 300, 0, 0, 0, NULL, 0, 0, 1661417600000, 1661417600100, -1, 0, 'From a linked id', 0, 0, 760, 0, NULL);
`;

export function buildFixtureFolder(dir: string): string {
  const folder = path.join(dir, 'WhatsApp');
  fs.mkdirSync(path.join(folder, 'Media', 'WhatsApp Images'), { recursive: true });
  loadSql(path.join(folder, 'msgstore.db'), path.join(FIX, 'msgstore.sql'), EXTRA);
  loadSql(path.join(folder, 'wa.db'), path.join(FIX, 'wa.sql'));
  fs.writeFileSync(path.join(folder, 'Media', 'WhatsApp Images', 'IMG-20230906-WA0001.jpg'), PHOTO);
  return folder;
}

/** A legacy msgstore.db (before 2021): the subset of the `messages` schema the reader uses, and its side tables. */
export function buildLegacy(folder: string): void {
  fs.mkdirSync(path.join(folder, 'Media', 'WhatsApp Documents'), { recursive: true });
  fs.writeFileSync(path.join(folder, 'Media', 'WhatsApp Documents', 'contract-v2.pdf'), '%PDF-1.4 legacy document');
  // thumb_image holds a Java-serialised MediaData whose File path is a TC_STRING (0x74, u16 length, bytes).
  const filePath = '/storage/emulated/0/WhatsApp/Media/WhatsApp Documents/contract-v2.pdf';
  const javaString = Buffer.concat([Buffer.from([0x74, 0, filePath.length]), Buffer.from(filePath)]);
  const thumb = Buffer.concat([Buffer.from('aced0005737200', 'hex'), Buffer.from('com.whatsapp.MediaData'), javaString, Buffer.from('7870', 'hex')]);
  const db = new Database(path.join(folder, 'msgstore.db'));
  db.exec(`
    CREATE TABLE messages (_id INTEGER PRIMARY KEY AUTOINCREMENT, key_remote_jid TEXT NOT NULL, key_from_me INTEGER, key_id TEXT NOT NULL,
      status INTEGER, needs_push INTEGER, data TEXT, timestamp INTEGER, media_url TEXT, media_mime_type TEXT, media_wa_type TEXT,
      media_size INTEGER, media_name TEXT, media_caption TEXT, media_hash TEXT, media_duration INTEGER, origin INTEGER, latitude REAL,
      longitude REAL, thumb_image TEXT, remote_resource TEXT, received_timestamp INTEGER, send_timestamp INTEGER,
      receipt_server_timestamp INTEGER, receipt_device_timestamp INTEGER, read_device_timestamp INTEGER, played_device_timestamp INTEGER,
      raw_data BLOB, recipient_count INTEGER, participant_hash TEXT, starred INTEGER, quoted_row_id INTEGER, mentioned_jids TEXT,
      multicast_id TEXT, edit_version INTEGER, media_enc_hash TEXT, payment_transaction_id TEXT, forwarded INTEGER);
    CREATE TABLE messages_quotes (_id INTEGER PRIMARY KEY AUTOINCREMENT, key_remote_jid TEXT NOT NULL, key_from_me INTEGER, key_id TEXT NOT NULL,
      data TEXT, timestamp INTEGER);
    CREATE TABLE chat_list (_id INTEGER PRIMARY KEY AUTOINCREMENT, key_remote_jid TEXT UNIQUE, message_table_id INTEGER, subject TEXT, creation INTEGER);
    CREATE TABLE group_participants (_id INTEGER PRIMARY KEY AUTOINCREMENT, gjid TEXT NOT NULL, jid TEXT NOT NULL, admin INTEGER, pending INTEGER);
    CREATE TABLE props (_id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT UNIQUE, value TEXT);
    INSERT INTO props (key, value) VALUES ('user_push_name', 'Legacy Owner');
    INSERT INTO messages (_id, key_remote_jid, key_from_me, key_id, status, data, timestamp) VALUES (1, '-1', 0, '-1', -1, NULL, 0);
    INSERT INTO chat_list (key_remote_jid, subject, creation) VALUES ('447700900123-1500000000@g.us', 'Trading desk', 1500000000000);
    INSERT INTO group_participants (gjid, jid, admin) VALUES ('447700900123-1500000000@g.us', '447700900123@s.whatsapp.net', 1),
      ('447700900123-1500000000@g.us', '', 0);
    INSERT INTO messages (_id, key_remote_jid, key_from_me, key_id, status, data, timestamp, media_wa_type)
      VALUES (2, '447700900456@s.whatsapp.net', 0, 'LEG001', 0, 'Can you move the price?', 1514800000000, '0'),
             (3, '447700900456@s.whatsapp.net', 1, 'LEG002', 13, 'Not on WhatsApp.', 1514800060000, '0');
    INSERT INTO messages_quotes (_id, key_remote_jid, key_from_me, key_id, data, timestamp) VALUES (1, '447700900456@s.whatsapp.net', 0, 'LEG001', 'Can you move the price?', 1514800000000);
    UPDATE messages SET quoted_row_id = 1 WHERE _id = 3;
    INSERT INTO messages (_id, key_remote_jid, key_from_me, key_id, status, data, timestamp, media_wa_type, media_size, remote_resource)
      VALUES (4, '447700900123-1500000000@g.us', 0, 'LEG003', 6, 'Trading desk (private)', 1514801000000, '0', 1, '447700900123@s.whatsapp.net');
    INSERT INTO messages (_id, key_remote_jid, key_from_me, key_id, status, data, timestamp, media_wa_type, media_mime_type, media_size, media_name, media_caption, remote_resource)
      VALUES (5, '447700900123-1500000000@g.us', 0, 'LEG004', 0, NULL, 1514801060000, '9', 'application/pdf', 24, 'contract-v2.pdf', 'the contract', '447700900123@s.whatsapp.net');
    INSERT INTO messages (_id, key_remote_jid, key_from_me, key_id, status, data, timestamp, media_wa_type)
      VALUES (6, '447700900456@s.whatsapp.net', 1, 'LEG005', 13, NULL, 1514801120000, '15');
  `);
  db.prepare('UPDATE messages SET thumb_image = ? WHERE _id = 5').run(thumb);
  db.close();
}
