/**
 * WhatsApp for Android msgstore.db through the CLI's code (in this process; refusals of each error
 * class also as a child process: `cliHere`): the chat-history-manager dumps (current
 * schema, with wa.db names) loaded as the documented `sqlite3 x.db < msgstore.sql` would, plus a
 * photo with its Media file, a missing photo, a reaction and a linked-id sender added to them; a
 * database whose last transaction sits only in its -wal; and a legacy `messages` database.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { cliHere, cliInProcess, makeCaseFile, PASSPHRASE, tempDir } from '../helpers/case.ts';
import { importSource, messages } from './helpers.ts';
import { buildFixtureFolder, buildLegacy, FIX, PHOTO } from '../helpers/whatsapp-android-db.ts';
import { openSession } from '../../src/app/open-session.ts';
import type { MessageDTO } from '../../src/api/dto.ts';

function newCaseFile(dir: string): string {
  const file = path.join(dir, 'case.hfcase');
  makeCaseFile(file, { name: 'WhatsApp Android' });
  return file;
}


function byLocator(list: MessageDTO[], locator: string): MessageDTO {
  const m = list.find((x) => x.source.locator === locator);
  assert.ok(m, `no message at ${locator}: ${list.map((x) => x.source.locator).join(', ')}`);
  return m;
}

function sourceFiles(caseFile: string): { inner_path: string; size: number; sha256: string }[] {
  const s = openSession(caseFile, PASSPHRASE);
  try {
    return s.db.prepare('SELECT inner_path, size, sha256 FROM source_files ORDER BY inner_path').all() as { inner_path: string; size: number; sha256: string }[];
  } finally {
    s.close();
  }
}

test('the chat-history-manager msgstore.db and wa.db import with texts, times, senders and conversations', async () => {
  const dir = tempDir();
  const folder = buildFixtureFolder(dir);
  const caseFile = newCaseFile(dir);
  const result = await importSource(caseFile, folder);
  assert.equal(result.format, 'whatsapp-android-db');
  assert.equal(result.messages, 8);
  assert.equal(result.conversations, 2);
  const list = await messages(caseFile);
  // A row without its sent time keeps the time it was received, with a warning.
  assert.equal(byLocator(list, 'msgstore.db: message row 7502').sentAt, '2023-09-06T11:36:40.000Z');
  assert.ok(result.warnings.some((w) => w.code === 'BAD_DATE' && w.locator === 'msgstore.db: message row 7502'));

  // Group "My Group": user 1 added the owner (a system event), then the owner's edited, forwarded reply.
  const joined = byLocator(list, 'msgstore.db: message row 169');
  assert.equal(joined.conversation, 'My Group');
  assert.equal(joined.kind, 'system');
  assert.equal(joined.systemType, 'join');
  assert.equal(joined.sentAt, '2022-01-31T05:43:59.000Z');
  assert.equal(joined.senderHandle, '11111@s.whatsapp.net');
  assert.equal(joined.text, '11111@s.whatsapp.net added Aaaaa Aaaaaaaaaaa');

  const last = byLocator(list, 'msgstore.db: message row 750');
  assert.equal(last.text, 'Last group message');
  assert.equal(last.sentAt, '2022-08-25T08:51:48.000Z');
  assert.equal(last.direction, 'out');
  // The owner's own JID comes from the "you were added" event; the name from props.user_push_name.
  assert.equal(last.senderHandle, '00000@s.whatsapp.net');
  assert.equal(last.sender, 'Aaaaa Aaaaaaaaaaa');
  assert.equal(last.edited, true);
  assert.equal(last.forwardedFrom, 'unknown');
  assert.equal(last.replyTo, joined.id);
  assert.deepEqual(last.reactions.map((r) => [r.value, r.sender, r.sentAt]), [['👍', '11111@s.whatsapp.net', '2022-08-25T08:53:20.000Z']]);

  const lid = byLocator(list, 'msgstore.db: message row 760');
  assert.equal(lid.senderHandle, '987654321098765@lid', 'a linked id is kept as such, not read as a phone number');

  // Direct chat with 11111: a live location from them, then the owner's deleted message.
  const location = byLocator(list, 'msgstore.db: message row 4863');
  assert.equal(location.conversation, '11111@s.whatsapp.net');
  assert.equal(location.sentAt, '2023-06-26T05:26:10.000Z');
  assert.equal(location.direction, 'in');
  assert.equal(location.senderHandle, '11111@s.whatsapp.net');
  assert.match(location.text, /^Location: New Bahari, Jl\. Gurita No\.21x, Denpasar, Bali \(-8\.70385650502691, 115\.2167366675177\d*\)/);

  const deleted = byLocator(list, 'msgstore.db: message row 7454');
  assert.equal(deleted.deleted, true);
  assert.equal(deleted.text, '');
  assert.equal(deleted.sentAt, '2023-09-06T09:52:18.000Z');
  assert.equal(deleted.direction, 'out');

  const photo = byLocator(list, 'msgstore.db: message row 7500');
  assert.equal(photo.text, 'Look at this');
  assert.equal(photo.attachments.length, 1);
  assert.equal(photo.attachments[0]!.name, 'IMG-20230906-WA0001.jpg');
  assert.equal(photo.attachments[0]!.sha256, crypto.createHash('sha256').update(PHOTO).digest('hex'));
  assert.equal(photo.attachments[0]!.mime, 'image/jpeg');

  const absent = byLocator(list, 'msgstore.db: message row 7501');
  assert.equal(absent.attachments[0]!.sha256, null);
  assert.ok(result.warnings.some((w) => w.code === 'MISSING_ATTACHMENT' && w.locator === 'msgstore.db: message row 7501'), JSON.stringify(result.warnings));

  // Custody: both databases and the media file read, each with its own hash.
  const files = sourceFiles(caseFile);
  assert.deepEqual(files.map((f) => f.inner_path), ['Media/WhatsApp Images/IMG-20230906-WA0001.jpg', 'msgstore.db', 'wa.db']);
  for (const f of files) {
    const bytes = fs.readFileSync(path.join(folder, f.inner_path));
    assert.equal(f.sha256, crypto.createHash('sha256').update(bytes).digest('hex'), f.inner_path);
    assert.equal(f.size, bytes.length);
  }

  // Importing again adds nothing; the evidence folder is untouched (no -shm/-journal beside it).
  const again = await importSource(caseFile, folder);
  assert.equal(again.alreadyImported, true);
  assert.equal((await messages(caseFile)).length, list.length);
  assert.deepEqual(fs.readdirSync(folder).sort(), ['Media', 'msgstore.db', 'wa.db']);
});

test('a msgstore.db given alone imports without names; contact names come only from wa.db', async () => {
  const dir = tempDir();
  const folder = buildFixtureFolder(dir);
  const alone = path.join(dir, 'alone');
  fs.mkdirSync(alone);
  fs.copyFileSync(path.join(folder, 'msgstore.db'), path.join(alone, 'msgstore.db'));
  const caseFile = newCaseFile(dir);
  const result = await importSource(caseFile, path.join(alone, 'msgstore.db'));
  assert.equal(result.format, 'whatsapp-android-db');
  const list = await messages(caseFile);
  // Without wa.db and Media/, the photo is recorded as missing and the owner keeps the profile name.
  assert.equal(byLocator(list, 'msgstore.db: message row 7500').attachments[0]!.sha256, null);
  assert.equal(byLocator(list, 'msgstore.db: message row 750').sender, 'Aaaaa Aaaaaaaaaaa');
});

test('a transaction that only reached msgstore.db-wal is imported, and the -wal is in the custody record', async () => {
  const dir = tempDir();
  const folder = path.join(dir, 'wal');
  fs.mkdirSync(folder);
  const live = path.join(dir, 'live.db');
  const db = new Database(live);
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec(fs.readFileSync(path.join(FIX, 'msgstore.sql'), 'utf8'));
  db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  db.prepare(`INSERT INTO message VALUES (8000, 148, 0, 'WALONLY0001', 0, 0, 0, 0, NULL, 0, 0, 1695000000000, 1695000000000, -1, 0, 'Only in the WAL', 0, 0, 8000, 0, NULL)`).run();
  // Copy while the writer is open: the new row is in the -wal, not yet in the database file.
  fs.copyFileSync(live, path.join(folder, 'msgstore.db'));
  fs.copyFileSync(`${live}-wal`, path.join(folder, 'msgstore.db-wal'));
  db.close();
  assert.equal(fs.readFileSync(path.join(folder, 'msgstore.db')).includes(Buffer.from('Only in the WAL')), false);

  const caseFile = newCaseFile(dir);
  const result = await importSource(caseFile, folder);
  assert.equal(result.messages, 5);
  const walRow = byLocator(await messages(caseFile), 'msgstore.db: message row 8000');
  assert.equal(walRow.text, 'Only in the WAL');
  assert.equal(walRow.sentAt, '2023-09-18T01:20:00.000Z');
  assert.deepEqual(sourceFiles(caseFile).map((f) => f.inner_path), ['msgstore.db', 'msgstore.db-wal']);
  assert.deepEqual(fs.readdirSync(folder).sort(), ['msgstore.db', 'msgstore.db-wal']);
});

test('a legacy-schema msgstore.db imports with system events, quotes, deletions and media', async () => {
  const dir = tempDir();
  const folder = path.join(dir, 'legacy');
  buildLegacy(folder);
  const caseFile = newCaseFile(dir);
  const result = await importSource(caseFile, folder);
  assert.equal(result.format, 'whatsapp-android-db');
  assert.equal(result.messages, 5);
  assert.equal(result.conversations, 2);
  const list = await messages(caseFile);

  const ask = byLocator(list, 'msgstore.db: messages row 2');
  assert.equal(ask.text, 'Can you move the price?');
  assert.equal(ask.sentAt, '2018-01-01T09:46:40.000Z');
  assert.equal(ask.senderHandle, '+447700900456');
  assert.equal(ask.direction, 'in');

  const reply = byLocator(list, 'msgstore.db: messages row 3');
  assert.equal(reply.sender, 'Legacy Owner');
  assert.equal(reply.direction, 'out');
  assert.equal(reply.replyTo, ask.id);

  const rename = byLocator(list, 'msgstore.db: messages row 4');
  assert.equal(rename.conversation, 'Trading desk');
  assert.equal(rename.kind, 'system');
  assert.equal(rename.systemType, 'rename');
  assert.equal(rename.text, '+447700900123 changed the group name to “Trading desk (private)”');

  const doc = byLocator(list, 'msgstore.db: messages row 5');
  assert.equal(doc.text, 'the contract');
  assert.equal(doc.senderHandle, '+447700900123');
  assert.equal(doc.attachments[0]!.name, 'contract-v2.pdf');
  assert.equal(doc.attachments[0]!.sha256, crypto.createHash('sha256').update('%PDF-1.4 legacy document').digest('hex'));

  assert.equal(byLocator(list, 'msgstore.db: messages row 6').deleted, true);
  assert.deepEqual(sourceFiles(caseFile).map((f) => f.inner_path), ['Media/WhatsApp Documents/contract-v2.pdf', 'msgstore.db']);
});

test('bad inputs: an encrypted .crypt14 backup without its key and a foreign SQLite file fail with clear typed errors', async () => {
  const dir = tempDir();
  const caseFile = newCaseFile(dir);
  const crypt = path.join(dir, 'msgstore.db.crypt14');
  fs.writeFileSync(crypt, crypto.randomBytes(4096));
  const r1 = await cliHere(['import', caseFile, crypt, '--format', 'whatsapp-android-db']);
  assert.equal(r1.status, 1);
  assert.match(r1.stderr, /^holdfast: IMPORT_NEEDS_PASSWORD: .*msgstore\.db\.crypt14 is an encrypted WhatsApp backup\. Give its key/);

  const other = path.join(dir, 'msgstore.db');
  const db = new Database(other);
  db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)');
  db.close();
  const r2 = await cliHere(['import', caseFile, other, '--format', 'whatsapp-android-db']);
  assert.equal(r2.status, 1);
  assert.match(r2.stderr, /^holdfast: IMPORT_UNSUPPORTED_SOURCE: .*msgstore\.db is a SQLite database but has neither/);
  assert.equal((JSON.parse((await cliInProcess(['info', caseFile, '--json'])).stdout) as { messages: number }).messages, 0);
});
