/**
 * Android telephony database (mmssms.db) through the real CLI: a file-system extraction laid out as
 * on the phone (user_de provider folder, MMS part files in app_parts/), written in the provider's
 * schema; plus parser-level properties over generated SMS rows and broken inputs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import Database from 'better-sqlite3-multiple-ciphers';
import { cli, cliJson, PASSPHRASE, tempDir } from '../helpers/case.ts';
import { writeMmsSmsDb } from '../helpers/mmssms-db.ts';
import type { MmsSmsContent } from '../helpers/mmssms-db.ts';
import { bySourceLocator, createCase, expectImportFailure, importSource, messages } from './helpers.ts';
import { openSession } from '../../src/app/open-session.ts';
import { openSqliteImage } from '../../src/importers/sqlite/memory-db.ts';
import { TelephonyReader, isoDecoded } from '../../src/importers/android-sms/reader.ts';
import { androidMmsSmsDb } from '../../src/importers/android-sms/importer.ts';
import { locateTelephonySource, resolvePartFile } from '../../src/importers/android-sms/source.ts';
import type { ImportRecord, MessageRecord } from '../../src/importers/types.ts';

const PROVIDER = 'data/user_de/0/com.android.providers.telephony';
const PHOTO = Buffer.from('\xff\xd8\xff\xe0 group photo bytes', 'latin1');
const PHOTO_DATA = `/${PROVIDER}/app_parts/PART_1700001000123_IMG_0042.jpg`;
const sha = (b: Buffer | string) => crypto.createHash('sha256').update(b).digest('hex');

const CONTENT: MmsSmsContent = {
  addresses: { 1: '07700 900123', 2: '+447700900456', 3: '+14155550101' },
  threads: { 1: [1], 2: [2, 3] },
  sms: [
    { id: 1, thread: 1, address: '07700 900123', date: 1700000000000, type: 1, body: 'Are we still on for the fix?' },
    { id: 2, thread: 1, address: '07700900123', date: 1700000060000, type: 2, body: 'Yes. Delete this after.' },
    { id: 3, thread: 1, address: '07700900123', date: 0, dateSent: 1700000120000, type: 1, body: 'Late one' },
  ],
  mms: [
    {
      id: 10, thread: 2, date: 1700001000, box: 1,
      addrs: [['+447700900456', 137], ['+447700900999', 151], ['+14155550101', 151]],
      parts: [
        { ct: 'application/smil', cl: 'smil.xml', text: '<smil><body><par><img src="IMG_0042.jpg"/></par></body></smil>', seq: -1 },
        { ct: 'text/plain', cl: 'text_0.txt', text: 'Group photo 📷', seq: 0 },
        { ct: 'image/jpeg', cl: 'IMG_0042.jpg', data: PHOTO_DATA, seq: 1 },
      ],
    },
    {
      id: 11, thread: 2, date: 1700001100, box: 2,
      addrs: [['+447700900999', 137], ['+447700900456', 151], ['+14155550101', 151]],
      parts: [{ ct: 'text/plain', cl: 'text_0.txt', text: 'Thanks all' }, { ct: 'image/png', cl: 'chart.png', data: `/${PROVIDER}/app_parts/PART_gone.png` }],
    },
    { id: 12, thread: 1, date: 1700001200, box: 1, mType: 134, addrs: [['07700900123', 137]], parts: [] },
    {
      id: 13, thread: 1, date: 1700001300, box: 1, sub: Buffer.from('été', 'utf8').toString('latin1'), subCs: 106,
      addrs: [['07700 900123', 137], ['insert-address-token', 151]], parts: [{ ct: 'text/plain', cl: 'text_0.txt', text: 'With a subject' }],
    },
  ],
};

function buildExtraction(dir: string): string {
  const root = path.join(dir, 'extraction');
  fs.mkdirSync(path.join(root, PROVIDER, 'databases'), { recursive: true });
  fs.mkdirSync(path.join(root, PROVIDER, 'app_parts'), { recursive: true });
  writeMmsSmsDb(path.join(root, PROVIDER, 'databases', 'mmssms.db'), CONTENT);
  fs.writeFileSync(path.join(root, PHOTO_DATA), PHOTO);
  return root;
}

test('an extraction with mmssms.db imports SMS, MMS with parts, group threads, directions and E.164 numbers', async () => {
  const dir = tempDir();
  const root = buildExtraction(dir);
  const caseFile = createCase(dir);
  const result = await importSource(caseFile, root, ['--region', 'GB']);
  assert.equal(result.format, 'android-mmssms-db');
  assert.equal(result.messages, 6);
  assert.equal(result.conversations, 2);
  assert.equal(result.attachments, 2);
  const L = `${PROVIDER}/databases/mmssms.db`;
  const list = await messages(caseFile);

  const ask = bySourceLocator(list, `${L}: sms row 1`);
  assert.equal(ask.text, 'Are we still on for the fix?');
  assert.equal(ask.senderHandle, '+447700900123', 'a national number is read in the case region');
  assert.equal(ask.direction, 'in');
  assert.equal(ask.sentAt, '2023-11-14T22:13:20.000Z');
  const reply = bySourceLocator(list, `${L}: sms row 2`);
  assert.equal(reply.direction, 'out');
  assert.equal(reply.senderHandle, '+447700900999', "the owner's number, learnt from the from address of a sent MMS");
  assert.equal(reply.conversationId, ask.conversationId);
  assert.equal(bySourceLocator(list, `${L}: sms row 3`).sentAt, '2023-11-14T22:15:20.000Z');
  assert.ok(result.warnings.some((w) => w.code === 'BAD_DATE' && w.locator === `${L}: sms row 3`));

  const photo = bySourceLocator(list, `${L}: pdu row 10`);
  assert.equal(photo.text, 'Group photo 📷');
  assert.equal(photo.senderHandle, '+447700900456');
  assert.equal(photo.sentAt, '2023-11-14T22:30:00.000Z', 'MMS dates are seconds');
  assert.notEqual(photo.conversationId, ask.conversationId);
  assert.equal(photo.conversation, '+14155550101, +447700900456');
  assert.deepEqual(photo.attachments.map((a) => [a.name, a.mime, a.sha256, a.size]), [['IMG_0042.jpg', 'image/jpeg', sha(PHOTO), PHOTO.length]]);
  const sent = bySourceLocator(list, `${L}: pdu row 11`);
  assert.equal(sent.direction, 'out');
  assert.equal(sent.conversationId, photo.conversationId);
  assert.equal(sent.attachments[0]!.sha256, null);
  assert.ok(result.warnings.some((w) => w.code === 'MISSING_ATTACHMENT' && w.locator === `${L}: part row 5`), JSON.stringify(result.warnings));
  assert.equal(bySourceLocator(list, `${L}: pdu row 13`).subject, 'été', 'a UTF-8 subject stored as ISO-8859-1 is re-decoded');
  assert.ok(!list.some((m) => m.source.locator === `${L}: pdu row 12`));
  assert.ok(result.warnings.some((w) => w.code === 'UNSUPPORTED_FEATURE' && /1 MMS delivery or read reports/.test(w.message)));

  // Group members: the owner and both other parties.
  const s = openSession(caseFile, PASSPHRASE);
  try {
    const members = s.db.prepare(`SELECT h.value FROM conversation_members m JOIN handles h ON h.id = m.handle_id WHERE m.conversation_id = ? ORDER BY h.value`)
      .pluck().all(photo.conversationId);
    assert.deepEqual(members, ['+14155550101', '+447700900456', '+447700900999']);
    const files = s.db.prepare('SELECT inner_path, size, sha256 FROM source_files ORDER BY inner_path').all() as { inner_path: string; size: number; sha256: string }[];
    assert.deepEqual(files.map((f) => f.inner_path), [PHOTO_DATA.slice(1), L]);
    for (const f of files) assert.equal(f.sha256, sha(fs.readFileSync(path.join(root, f.inner_path))), f.inner_path);
    // The region used for national numbers is part of the source's record.
    assert.equal(JSON.parse(s.db.prepare('SELECT options FROM sources').pluck().get() as string).region, 'GB');
  } finally {
    s.close();
  }

  const again = await importSource(caseFile, root, ['--region', 'GB']);
  assert.equal(again.alreadyImported, true);
  assert.equal((await messages(caseFile)).length, list.length);
  assert.deepEqual(fs.readdirSync(path.join(root, PROVIDER, 'databases')), ['mmssms.db'], 'nothing written beside the evidence');
});

test('a truncated mmssms.db and a foreign database fail with typed errors and leave the case unchanged', async () => {
  const dir = tempDir();
  const root = buildExtraction(dir);
  const caseFile = createCase(dir);
  const full = fs.readFileSync(path.join(root, PROVIDER, 'databases', 'mmssms.db'));
  const truncated = path.join(dir, 'cut', 'mmssms.db');
  fs.mkdirSync(path.dirname(truncated));
  fs.writeFileSync(truncated, full.subarray(0, 4096 + 100));
  await expectImportFailure(caseFile, truncated, 'IMPORT_SOURCE_CORRUPT');
  const foreign = path.join(dir, 'foreign', 'mmssms.db');
  fs.mkdirSync(path.dirname(foreign));
  const db = new Database(foreign);
  db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)');
  db.close();
  const err = await expectImportFailure(caseFile, foreign, 'IMPORT_UNSUPPORTED_SOURCE');
  assert.match(err, /neither the sms nor the pdu table/);
  const text = path.join(dir, 'text', 'mmssms.db');
  fs.mkdirSync(path.dirname(text));
  fs.writeFileSync(text, 'not a database at all');
  await expectImportFailure(caseFile, text, 'IMPORT_SOURCE_CORRUPT', ['--format', 'android-mmssms-db']);
});

test('detection: the extraction folder and a renamed database are recognised; probe counts SMS and MMS', async () => {
  const dir = tempDir();
  const root = buildExtraction(dir);
  assert.deepEqual(await androidMmsSmsDb.detect(root), { confidence: 0.9, variant: 'folder' });
  const renamed = path.join(dir, 'evidence-item-7.sqlite');
  fs.copyFileSync(path.join(root, PROVIDER, 'databases', 'mmssms.db'), renamed);
  assert.equal((await androidMmsSmsDb.detect(renamed)).confidence, 0.8);
  assert.equal((await androidMmsSmsDb.detect(path.join(root, PHOTO_DATA))).confidence, 0);
  assert.equal((await androidMmsSmsDb.probe(root, { tz: 'UTC' })).messages, 7);
  const formats = cliJson<{ id: string }[]>(['formats', '--json']);
  assert.ok(formats.some((f) => f.id === 'android-mmssms-db'));
  // The app's wizard asks the same detection through the API.
  const r = cli(['import', createCase(dir), renamed, '--json']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as { format: string }).format, 'android-mmssms-db');
});

function readRecords(file: string, region?: string): ImportRecord[] {
  const db = openSqliteImage(fs.readFileSync(file), { label: 'mmssms.db', file });
  try {
    const reader = new TelephonyReader({ db, label: 'mmssms.db', region, part: (p) => ({ name: p.name }), warn: () => {}, signal: new AbortController().signal });
    return [...reader.read()];
  } finally {
    db.close();
  }
}

test('property: every SMS row becomes one message with its text, time and direction, whatever the text and address', () => {
  const dir = tempDir();
  let n = 0;
  fc.assert(fc.property(
    fc.array(fc.record({
      body: fc.option(fc.string({ unit: 'grapheme', maxLength: 200 }), { nil: null }),
      address: fc.oneof(fc.stringMatching(/^\+?[0-9 ]{6,14}$/), fc.emailAddress(), fc.string({ maxLength: 12 })),
      type: fc.integer({ min: 1, max: 6 }),
      date: fc.integer({ min: 1, max: 4102444800000 }),
    }), { maxLength: 30 }),
    (rows) => {
      const file = path.join(dir, `p${n++}.db`);
      writeMmsSmsDb(file, {
        addresses: {}, threads: {}, mms: [],
        sms: rows.map((r, i) => ({ id: i + 1, thread: 100 + i, address: r.address, date: r.date, type: r.type, body: r.body })),
      });
      const msgs = readRecords(file, 'US').filter((r): r is MessageRecord => r.type === 'message');
      assert.equal(msgs.length, rows.length);
      msgs.forEach((m, i) => {
        assert.equal(m.text, rows[i]!.body ?? '');
        assert.equal(m.sentAt, rows[i]!.date);
        assert.equal(m.direction, rows[i]!.type === 1 ? 'in' : 'out');
        if (m.direction === 'in' && rows[i]!.address.trim()) assert.ok(m.sender);
      });
    },
  ), { numRuns: 30 });
});

test('isoDecoded re-reads UTF-8 bytes stored as ISO-8859-1 and leaves everything else alone', () => {
  fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
    assert.equal(isoDecoded(Buffer.from(s, 'utf8').toString('latin1'), 106), s);
    assert.equal(isoDecoded(s, 4), s);
  }));
});

test('a part path never reaches outside the extraction', () => {
  const dir = tempDir();
  const root = buildExtraction(dir);
  const src = locateTelephonySource(root)!;
  assert.equal(resolvePartFile(src, PHOTO_DATA), path.join(root, PHOTO_DATA));
  fs.writeFileSync(path.join(dir, 'outside.txt'), 'secret');
  for (const hostile of ['/../outside.txt', '../outside.txt', `/${PROVIDER}/app_parts/../../../../../../outside.txt`, path.join(dir, 'outside.txt')]) {
    assert.equal(resolvePartFile(src, hostile), undefined, hostile);
  }
  // Only the file name of a foreign absolute path is looked for, and only in app_parts/.
  assert.equal(resolvePartFile(src, '/somewhere/else/PART_1700001000123_IMG_0042.jpg'), path.join(root, PROVIDER, 'app_parts', 'PART_1700001000123_IMG_0042.jpg'));
});
