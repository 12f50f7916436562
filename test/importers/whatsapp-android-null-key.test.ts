/**
 * Old Android msgstore.db files hold `messages` rows whose key_id is NULL (and rows without a
 * time): they are kept, identified by their row id, and a second import of the same database adds nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { tempDir } from '../helpers/case.ts';
import { createCase, importSource, messages } from './helpers.ts';

function legacyDb(folder: string): void {
  fs.mkdirSync(folder, { recursive: true });
  const db = new Database(path.join(folder, 'msgstore.db'));
  db.exec(`
    CREATE TABLE messages (_id INTEGER PRIMARY KEY AUTOINCREMENT, key_remote_jid TEXT NOT NULL, key_from_me INTEGER, key_id TEXT,
      status INTEGER, data TEXT, timestamp INTEGER, media_wa_type TEXT, remote_resource TEXT);
    CREATE TABLE chat_list (_id INTEGER PRIMARY KEY AUTOINCREMENT, key_remote_jid TEXT UNIQUE, subject TEXT);
    INSERT INTO chat_list (key_remote_jid) VALUES ('447700900456@s.whatsapp.net');
    INSERT INTO messages (_id, key_remote_jid, key_from_me, key_id, status, data, timestamp, media_wa_type) VALUES
      (2, '447700900456@s.whatsapp.net', 0, 'K1', 0, 'with a key', 1514800000000, '0'),
      (3, '447700900456@s.whatsapp.net', 0, NULL, 0, 'no key at all', 1514800060000, '0'),
      (4, '447700900456@s.whatsapp.net', 1, NULL, 0, 'no key, same text', 1514800120000, '0'),
      (5, '447700900456@s.whatsapp.net', 1, NULL, 0, 'no key and no time', NULL, '0');
  `);
  db.close();
}

test('msgstore.db rows with a NULL key_id are imported by row id, a timeless one flagged; re-importing a copy adds nothing', async () => {
  const dir = tempDir('holdfast-wa-nullkey-');
  const first = path.join(dir, 'phone', 'WhatsApp');
  legacyDb(first);
  const c = createCase();
  const r = await importSource(c, first);
  assert.equal(r.format, 'whatsapp-android-db');
  assert.equal(r.report.read, 4);
  assert.equal(r.report.imported, 4);
  assert.equal(r.report.flagged.timeUnknown, 1);
  assert.equal(r.report.skipped.count, 0);
  const list = await messages(c);
  assert.deepEqual(list.map((m) => m.text).sort(), ['no key and no time', 'no key at all', 'no key, same text', 'with a key']);
  assert.equal(list.find((m) => m.text === 'no key and no time')!.timeSource, 'none');
  // The same database copied elsewhere (another hash: a byte appended after the last page) dedupes to nothing new.
  const copy = path.join(dir, 'copy', 'WhatsApp');
  fs.mkdirSync(copy, { recursive: true });
  fs.copyFileSync(path.join(first, 'msgstore.db'), path.join(copy, 'msgstore.db'));
  fs.writeFileSync(path.join(copy, 'notes.txt'), 'examiner copy');
  const again = await importSource(c, copy, ['--format', 'whatsapp-android-db']);
  assert.equal(again.report.imported, 0);
  assert.equal(again.report.duplicates, 4);
});
