/**
 * WhatsApp for iOS ChatStorage.sqlite as importer `whatsapp-ios-db`: the app-group folder (database,
 * Message/Media, preferences naming the owner), the database alone, and a reduced schema with only
 * the core columns (as some extractions and older versions have).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { cliJson, cliJsonl, makeCaseFile, PASSPHRASE, tempDir } from '../helpers/case.ts';
import { WA_MEDIA_LOCAL, writeWhatsAppFolder } from '../helpers/ios-backup-generator.ts';
import { openSession } from '../../src/app/open-session.ts';
import type { ImportResultDTO, MessageDTO } from '../../src/api/dto.ts';

const APPLE_EPOCH_S = 978_307_200;

function newCaseFile(dir: string): string {
  const file = path.join(dir, 'case.hfcase');
  makeCaseFile(file, { name: 'WhatsApp iOS' });
  return file;
}

const messagesOf = (caseFile: string) => cliJsonl<MessageDTO>(['messages', caseFile, '--jsonl', '--include-personal']);

test('the WhatsApp app-group folder imports with media, the owner from its preferences, replies and group events', () => {
  const dir = tempDir();
  const folder = path.join(dir, 'group.net.whatsapp.WhatsApp.shared');
  const photo = writeWhatsAppFolder(folder, 'FOLDER');
  const caseFile = newCaseFile(dir);
  const result = cliJson<ImportResultDTO>(['import', caseFile, folder, '--json']);
  assert.equal(result.format, 'whatsapp-ios-db');
  assert.equal(result.messages, 6);
  assert.equal(result.conversations, 2);
  assert.deepEqual(result.warnings, []);
  const list = messagesOf(caseFile);
  const by = (pk: number) => {
    const m = list.find((x) => x.source.locator === `ChatStorage.sqlite: ZWAMESSAGE ${pk}`);
    assert.ok(m, `ZWAMESSAGE ${pk}`);
    return m;
  };
  assert.equal(by(1).text, 'FOLDER call me about the shipment');
  assert.equal(by(1).sentAt, '2024-03-02T09:00:00.000Z');
  assert.equal(by(1).rawTime, String(Date.parse('2024-03-02T09:00:00Z') / 1000 - APPLE_EPOCH_S));
  assert.equal(by(2).sender, 'Olivia Owner');
  assert.equal(by(2).senderHandle, '+447700900009');
  assert.equal(by(2).replyTo, by(1).id);
  assert.equal(by(3).attachments[0]!.sha256, crypto.createHash('sha256').update(photo).digest('hex'));
  assert.equal(by(4).deleted, true);
  assert.equal(by(5).kind, 'system');
  assert.equal(by(5).conversation, 'Desk chat');
  assert.equal(by(6).sender, 'Carol Broker');

  const s = openSession(caseFile, PASSPHRASE);
  try {
    const inner = (s.db.prepare('SELECT inner_path FROM source_files ORDER BY inner_path').pluck().all() as string[]);
    assert.deepEqual(inner, ['ChatStorage.sqlite', 'Library/Preferences/group.net.whatsapp.WhatsApp.shared.plist', `Message/${WA_MEDIA_LOCAL}`]);
    // Stanza ids are the platform's message ids: a second copy of the same chat dedupes against them.
    const ext = s.db.prepare('SELECT external_id FROM messages ORDER BY id').pluck().all() as string[];
    assert.ok(ext.every((e) => /^3EB0A1B2C3D4E5F6000\d$/.test(e)), ext.join(','));
  } finally {
    s.close();
  }
});

test('ChatStorage.sqlite alone: media recorded as missing, the owner unnamed but distinct per store', () => {
  const dir = tempDir();
  const folder = path.join(dir, 'full');
  writeWhatsAppFolder(folder, 'ALONE');
  const alone = path.join(dir, 'alone');
  fs.mkdirSync(alone);
  fs.copyFileSync(path.join(folder, 'ChatStorage.sqlite'), path.join(alone, 'ChatStorage.sqlite'));
  const caseFile = newCaseFile(dir);
  const result = cliJson<ImportResultDTO>(['import', caseFile, path.join(alone, 'ChatStorage.sqlite'), '--json']);
  assert.equal(result.messages, 6);
  assert.ok(result.warnings.some((w) => w.code === 'MISSING_ATTACHMENT'));
  const out = messagesOf(caseFile).find((m) => m.direction === 'out');
  assert.ok(out);
  assert.equal(out.sender, 'Device owner');
  assert.equal(out.senderHandle, 'device-owner:whatsapp-ios:A1B2C3D4-0000-4000-8000-0000000000AA');
});

test('a reduced ChatStorage schema (no stanza ids, group members or media columns) still imports', () => {
  const dir = tempDir();
  const file = path.join(dir, 'ChatStorage.sqlite');
  const db = new Database(file);
  db.exec(`
    CREATE TABLE ZWAMESSAGE (Z_PK INTEGER PRIMARY KEY, ZCHATSESSION INTEGER, ZFROMJID TEXT, ZTOJID TEXT, ZTEXT TEXT, ZMESSAGEDATE REAL, ZMESSAGETYPE INTEGER, ZISFROMME INTEGER);
    CREATE TABLE ZWACHATSESSION (Z_PK INTEGER PRIMARY KEY, ZCONTACTJID TEXT, ZPARTNERNAME TEXT, ZSESSIONTYPE INTEGER);
    INSERT INTO ZWACHATSESSION VALUES (1, '100000000000001@lid', 'Dana', 0), (2, '120000000000000001@g.us', 'Ops', 1);
    INSERT INTO ZWAMESSAGE VALUES (1, 1, '100000000000001@lid', NULL, 'hello from a linked id', 730000000.5, 0, 0),
      (2, 1, NULL, '100000000000001@lid', 'hi Dana', 730000060, 0, 1),
      (3, 2, '14155550101@s.whatsapp.net', NULL, 'ops update', 730000120, 0, 0),
      (4, 2, NULL, NULL, 'bad date', NULL, 0, 0);
  `);
  db.close();
  const caseFile = newCaseFile(dir);
  const result = cliJson<ImportResultDTO>(['import', caseFile, file, '--format', 'whatsapp-ios-db', '--json']);
  assert.equal(result.messages, 3);
  assert.deepEqual(result.warnings.map((w) => [w.code, w.locator]), [['BAD_DATE', 'ChatStorage.sqlite: ZWAMESSAGE 4']]);
  const list = messagesOf(caseFile);
  const first = list.find((m) => m.text === 'hello from a linked id');
  assert.ok(first);
  assert.equal(first.senderHandle, '100000000000001@lid', 'a linked id is not a phone number');
  assert.equal(first.sender, 'Dana');
  assert.equal(first.sentAt, new Date((730000000.5 + APPLE_EPOCH_S) * 1000).toISOString());
  const ops = list.find((m) => m.text === 'ops update');
  assert.ok(ops);
  assert.equal(ops.conversation, 'Ops');
  assert.equal(ops.senderHandle, '+14155550101');
  // Re-importing the same file adds nothing.
  assert.equal(cliJson<ImportResultDTO>(['import', caseFile, file, '--format', 'whatsapp-ios-db', '--json']).alreadyImported, true);
  assert.equal(messagesOf(caseFile).length, 3);
});
