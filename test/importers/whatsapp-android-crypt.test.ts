/**
 * WhatsApp for Android's own encrypted backups through the CLI's code (refusals of each error class
 * also through a child process, `cliHere`) and the app's API: .crypt15
 * (the 64-digit key and encrypted_backup.key, with wa.db.crypt15 beside it), .crypt14 and .crypt12
 * (the `key` file), written by test/helpers/whatsapp-crypt.ts from generated msgstore.db/wa.db
 * databases. Each imports exactly as its decrypted database does, with the custody record holding
 * the encrypted file's hash and the decrypted database's; a missing, wrong or mismatched key and a
 * truncated or altered file are refused before anything is written; nothing decrypted touches the disk.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { cliHere, cliInProcess, cliJson, filesContaining, makeCaseFile, PASSPHRASE, tempDir } from '../helpers/case.ts';
import { importSource, messages } from './helpers.ts';
import { buildFixtureFolder, buildLegacy, PHOTO } from '../helpers/whatsapp-android-db.ts';
import { crypt15KeyFile, legacyKeyFile, newLegacyKey, writeCrypt12, writeCrypt14, writeCrypt15 } from '../helpers/whatsapp-crypt.ts';
import { inProcessHarness, jobDone } from '../helpers/app.ts';
import { openSession } from '../../src/app/open-session.ts';
import { whatsappAndroidDb } from '../../src/importers/whatsapp-android/importer.ts';
import { withDecryptedBackup } from '../../src/importers/whatsapp-android/crypt.ts';
import { detectImporter } from '../../src/importers/registry.ts';
import { HoldfastError } from '../../src/api/errors.ts';
import type { ImportResultDTO, MessageDTO } from '../../src/api/dto.ts';

/** Text that only the decrypted databases hold (a message of the fixture). */
const MARKER = 'Last group message';

const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

function newCaseFile(dir: string, name = 'case.hfcase'): string {
  const file = path.join(dir, name);
  makeCaseFile(file, { name: 'WhatsApp backups' });
  return file;
}

/** What a reviewer sees of each message, keyed by its row (locators name different files). */
function content(list: MessageDTO[]): string[] {
  return list
    .map((m) => JSON.stringify([m.source.locator.replace(/^.*: /, ''), m.conversation, m.sentAt, m.sender, m.senderHandle, m.direction, m.kind, m.text, m.attachments.map((a) => a.sha256), m.reactions.map((r) => r.value)]))
    .sort();
}

function caseRows(caseFile: string): { runs: number; sources: number; messages: number; files: { inner_path: string; size: number; sha256: string }[]; options: string[] } {
  const s = openSession(caseFile, PASSPHRASE);
  try {
    const count = (t: string) => s.db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
    return {
      runs: count('import_runs'), sources: count('sources'), messages: count('messages'),
      files: s.db.prepare('SELECT inner_path, size, sha256 FROM source_files ORDER BY inner_path').all() as { inner_path: string; size: number; sha256: string }[],
      options: s.db.prepare('SELECT options FROM sources').pluck().all() as string[],
    };
  } finally {
    s.close();
  }
}

function assertNothingWritten(caseFile: string): void {
  const rows = caseRows(caseFile);
  assert.deepEqual([rows.runs, rows.sources, rows.messages], [0, 0, 0], 'no import run, source or message was written');
}

interface Plain {
  msgstore: Buffer;
  waDb: Buffer;
  /** The reviewer's view of the same databases imported decrypted. */
  expected: string[];
}

let plainMade: Plain | undefined;

/**
 * The generated databases (current schema, wa.db, a photo in Media/) and their plaintext import, made
 * once for the file (no test changes them); the plaintext files are deleted afterwards.
 */
async function plainCollection(): Promise<Plain> {
  if (plainMade) return plainMade;
  const work = tempDir('holdfast-plain-');
  try {
    const folder = buildFixtureFolder(work);
    const caseFile = newCaseFile(work);
    await importSource(caseFile, folder);
    plainMade = { msgstore: fs.readFileSync(path.join(folder, 'msgstore.db')), waDb: fs.readFileSync(path.join(folder, 'wa.db')), expected: content(await messages(caseFile)) };
    return plainMade;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** A phone's WhatsApp folder: Databases/msgstore.db.crypt15, Backups/wa.db.crypt15 (no feature table, no checksum), Media/. */
function crypt15Folder(dir: string, plain: Plain, root: Buffer): string {
  const wa = path.join(dir, 'WhatsApp');
  fs.mkdirSync(path.join(wa, 'Databases'), { recursive: true });
  fs.mkdirSync(path.join(wa, 'Backups'));
  fs.mkdirSync(path.join(wa, 'Media', 'WhatsApp Images'), { recursive: true });
  fs.writeFileSync(path.join(wa, 'Databases', 'msgstore.db.crypt15'), writeCrypt15(plain.msgstore, root));
  fs.writeFileSync(path.join(wa, 'Backups', 'wa.db.crypt15'), writeCrypt15(plain.waDb, root, { featureTable: false, checksum: false }));
  fs.writeFileSync(path.join(wa, 'Media', 'WhatsApp Images', 'IMG-20230906-WA0001.jpg'), PHOTO);
  return wa;
}

function listing(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

test('crypt15 with the 64-digit key: a WhatsApp folder (Databases/msgstore.db.crypt15, Backups/wa.db.crypt15, Media/) imports as its decrypted databases do, in memory', async () => {
  const dir = tempDir();
  const plain = await plainCollection();
  const root = crypto.randomBytes(32);
  const hex = root.toString('hex');
  const wa = crypt15Folder(dir, plain, root);
  const before = listing(wa);
  const caseFile = newCaseFile(dir);

  const none = await cliHere(['import', caseFile, wa]);
  assert.equal(none.status, 1);
  assert.match(none.stderr, /^holdfast: IMPORT_NEEDS_PASSWORD: .*msgstore\.db\.crypt15 is an encrypted WhatsApp backup\. .*--backup-key-env NAME.*--backup-key-file PATH/);
  assertNothingWritten(caseFile);

  const wrong = await cliHere(['import', caseFile, wa, '--backup-key-env', 'WA_KEY'], { WA_KEY: crypto.randomBytes(32).toString('hex') });
  assert.equal(wrong.status, 1);
  assert.match(wrong.stderr, /^holdfast: BAD_PASSPHRASE: The key does not open Databases\/msgstore\.db\.crypt15: .*MD5 checksum matches/);
  assertNothingWritten(caseFile);

  const short = await cliHere(['import', caseFile, wa, '--backup-key-env', 'WA_KEY'], { WA_KEY: hex.slice(0, 63) });
  assert.equal(short.status, 1);
  assert.match(short.stderr, /^holdfast: BAD_PASSPHRASE: The backup key is not a WhatsApp backup key: it must be 64 hexadecimal digits .* has 63 characters/);
  assert.ok(!short.stderr.includes(hex.slice(0, 63)), 'the key is never echoed');
  assertNothingWritten(caseFile);

  const unset = await cliHere(['import', caseFile, wa, '--backup-key-env', 'NOT_SET_ANYWHERE']);
  assert.equal(unset.status, 2, 'an unset variable is a usage error');

  // The key as WhatsApp shows it: 16 groups of four digits.
  const spaced = hex.toUpperCase().match(/.{4}/g)!.join(' ');
  const tmp = path.join(dir, 'tmp');
  fs.mkdirSync(tmp);
  const result = cliJson<ImportResultDTO>(['import', caseFile, wa, '--backup-key-env', 'WA_KEY', '--json'], { WA_KEY: spaced, TMPDIR: tmp });
  assert.equal(result.format, 'whatsapp-android-db');
  assert.equal(result.messages, 8);
  assert.ok(!result.warnings.some((w) => w.code === 'BAD_RECORD'), JSON.stringify(result.warnings));
  const list = await messages(caseFile);
  // The same messages, senders (names from wa.db.crypt15), times and attachments as the decrypted databases give.
  assert.deepEqual(content(list), plain.expected);
  assert.ok(list.every((m) => m.source.locator.startsWith('Databases/msgstore.db.crypt15: ')), 'locators name the backup file');
  const photo = list.find((m) => m.source.locator.endsWith('message row 7500'))!;
  assert.equal(photo.attachments[0]!.sha256, sha256(PHOTO));

  // Custody: each encrypted file's hash and its decrypted database's, and the medium.
  const rows = caseRows(caseFile);
  const enc = (p: string) => fs.readFileSync(path.join(wa, p));
  assert.deepEqual(rows.files, [
    { inner_path: 'Backups/wa.db.crypt15', size: enc('Backups/wa.db.crypt15').length, sha256: sha256(enc('Backups/wa.db.crypt15')) },
    { inner_path: 'Backups/wa.db.crypt15 (decrypted)', size: plain.waDb.length, sha256: sha256(plain.waDb) },
    { inner_path: 'Databases/msgstore.db.crypt15', size: enc('Databases/msgstore.db.crypt15').length, sha256: sha256(enc('Databases/msgstore.db.crypt15')) },
    { inner_path: 'Databases/msgstore.db.crypt15 (decrypted)', size: plain.msgstore.length, sha256: sha256(plain.msgstore) },
    { inner_path: 'Media/WhatsApp Images/IMG-20230906-WA0001.jpg', size: PHOTO.length, sha256: sha256(PHOTO) },
  ]);
  // The key is used, never kept: the source records only that one was supplied.
  assert.deepEqual(rows.options.map((o) => JSON.parse(o) as unknown), [{ backupKey: 'supplied' }]);
  const audit = (await cliInProcess(['audit', caseFile, '--json'])).stdout;
  for (const form of [hex, hex.toUpperCase(), spaced]) {
    assert.ok(!audit.includes(form) && !JSON.stringify(result).includes(form) && !JSON.stringify(rows).includes(form), 'the key appears nowhere');
  }

  // Nothing decrypted on disk: the evidence folder is unchanged, the temporary folder empty, and no file holds the plaintext.
  assert.deepEqual(listing(wa), before);
  assert.deepEqual(fs.readdirSync(tmp), []);
  assert.deepEqual(filesContaining(dir, MARKER), []);
  assert.deepEqual(filesContaining(dir, 'SQLite format 3\0'), []);

  const again = await importSource(caseFile, wa, ['--backup-key-env', 'WA_KEY'], { WA_KEY: hex });
  assert.equal(again.alreadyImported, true);
  assert.equal((await messages(caseFile)).length, list.length);
  assert.equal(caseRows(caseFile).runs, 1);
});

test('crypt15 with encrypted_backup.key, given as the backup file itself; the crypt14 key file is refused for it', async () => {
  const dir = tempDir();
  const plain = await plainCollection();
  const root = crypto.randomBytes(32);
  const wa = crypt15Folder(dir, plain, root);
  const backup = path.join(wa, 'Databases', 'msgstore.db.crypt15');
  const keyFile = path.join(dir, 'encrypted_backup.key');
  fs.writeFileSync(keyFile, crypt15KeyFile(root));
  const legacyKey = path.join(dir, 'key');
  fs.writeFileSync(legacyKey, legacyKeyFile(newLegacyKey()));
  assert.equal(fs.statSync(legacyKey).size, 158);
  const caseFile = newCaseFile(dir);

  assert.equal((await detectImporter(backup)).importer.id, 'whatsapp-android-db');
  assert.deepEqual(await whatsappAndroidDb.probe(backup, { tz: 'UTC' }), { variant: 'crypt15', encrypted: true });
  const probed = await whatsappAndroidDb.probe(backup, { tz: 'UTC', backupKeyFile: keyFile });
  assert.equal(probed.messages, 8);
  assert.equal(probed.encrypted, true);

  const mismatched = await cliHere(['import', caseFile, backup, '--backup-key-file', legacyKey]);
  assert.equal(mismatched.status, 1);
  assert.match(mismatched.stderr, /^holdfast: BAD_PASSPHRASE: .*msgstore\.db\.crypt15 is an end-to-end encrypted backup \(crypt15\): it opens with the 64-digit key or encrypted_backup\.key/);
  assertNothingWritten(caseFile);

  const both = await cliHere(['import', caseFile, backup, '--backup-key-file', keyFile, '--backup-key-env', 'X'], { X: root.toString('hex') });
  assert.equal(both.status, 2);
  assert.equal((await cliHere(['import', caseFile, backup, '--backup-key-file', path.join(dir, 'absent.key')])).status, 2);

  const result = await importSource(caseFile, backup, ['--backup-key-file', keyFile]);
  assert.equal(result.messages, 8);
  // The source is the encrypted file: its identity hash is that file's SHA-256.
  assert.equal(result.sha256, sha256(fs.readFileSync(backup)));
  assert.deepEqual(content(await messages(caseFile)), plain.expected);
  // Given the file itself, wa.db.crypt15 is still found in the WhatsApp folder's Backups/.
  assert.ok(caseRows(caseFile).files.some((f) => f.inner_path === 'Backups/wa.db.crypt15 (decrypted)' && f.sha256 === sha256(plain.waDb)));
});

test('crypt14 with the key file; a wrong key file, a truncated file and altered bytes are refused before anything is written', async () => {
  const dir = tempDir();
  const plain = await plainCollection();
  const folder = path.join(dir, 'phone');
  fs.mkdirSync(path.join(folder, 'Media', 'WhatsApp Images'), { recursive: true });
  fs.writeFileSync(path.join(folder, 'Media', 'WhatsApp Images', 'IMG-20230906-WA0001.jpg'), PHOTO);
  const k = newLegacyKey();
  const sealed = writeCrypt14(plain.msgstore, k);
  const backup = path.join(folder, 'msgstore.db.crypt14');
  fs.writeFileSync(backup, sealed);
  const keyFile = path.join(dir, 'key');
  fs.writeFileSync(keyFile, legacyKeyFile(k));
  const otherKey = path.join(dir, 'other-key');
  fs.writeFileSync(otherKey, legacyKeyFile(newLegacyKey()));
  const caseFile = newCaseFile(dir);

  const refuse = async (file: string, key: string, code: string, message: RegExp) => {
    const r = await cliHere(['import', caseFile, file, '--backup-key-file', key]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`^holdfast: ${code}: `));
    assert.match(r.stderr, message);
    assertNothingWritten(caseFile);
  };
  await refuse(backup, otherKey, 'BAD_PASSPHRASE', /The key file does not open msgstore\.db\.crypt14: it belongs to another backup key \(its server salt differs/);

  const hexKey = path.join(dir, 'key.txt');
  fs.writeFileSync(hexKey, `${crypto.randomBytes(32).toString('hex')}\n`);
  await refuse(backup, hexKey, 'BAD_PASSPHRASE', /msgstore\.db\.crypt14 is a crypt14 backup: it opens with the 158-byte "key" file/);

  const notAKey = path.join(dir, 'notes.txt');
  fs.writeFileSync(notAKey, 'not a key at all');
  await refuse(backup, notAKey, 'BAD_PASSPHRASE', /The key file .*notes\.txt is not a WhatsApp backup key/);

  const variants: [string, Buffer, RegExp][] = [
    ['truncated', sealed.subarray(0, sealed.length - 1000), /cannot be authenticated: .*damaged or truncated/],
    ['cut inside its header', sealed.subarray(0, 40), /is truncated: 40 bytes/],
    ['body byte changed', Buffer.from(sealed).fill(0x5a, 5000, 5001), /cannot be authenticated/],
    ['tag changed', Buffer.from(sealed).fill(0, sealed.length - 32, sealed.length - 16), /cannot be authenticated/],
  ];
  for (const [what, bytes, message] of variants) {
    const bad = path.join(dir, what, 'msgstore.db.crypt14');
    fs.mkdirSync(path.dirname(bad));
    fs.writeFileSync(bad, bytes);
    await refuse(bad, keyFile, 'IMPORT_SOURCE_CORRUPT', message);
  }

  const result = await importSource(caseFile, backup, ['--backup-key-file', keyFile]);
  assert.equal(result.sha256, sha256(sealed));
  // No wa.db beside it: the same messages, with phone numbers where wa.db would give names.
  const list = await messages(caseFile);
  assert.equal(list.length, 8);
  assert.equal(list.find((m) => m.source.locator === 'msgstore.db.crypt14: message row 7500')!.attachments[0]!.sha256, sha256(PHOTO));
  assert.deepEqual(caseRows(caseFile).files.map((f) => [f.inner_path, f.sha256]), [
    ['Media/WhatsApp Images/IMG-20230906-WA0001.jpg', sha256(PHOTO)],
    ['msgstore.db.crypt14', sha256(sealed)],
    ['msgstore.db.crypt14 (decrypted)', sha256(plain.msgstore)],
  ]);
  assert.equal((await importSource(caseFile, backup, ['--backup-key-file', keyFile])).alreadyImported, true);
  assert.equal((await messages(caseFile)).length, 8);
});

test('crypt12 of a legacy-schema msgstore.db, in Databases/ beside Media/, with the key file', async () => {
  const dir = tempDir();
  const work = tempDir('holdfast-plain-');
  buildLegacy(work);
  const database = fs.readFileSync(path.join(work, 'msgstore.db'));
  const wa = path.join(dir, 'WhatsApp');
  fs.mkdirSync(path.join(wa, 'Databases'), { recursive: true });
  fs.cpSync(path.join(work, 'Media'), path.join(wa, 'Media'), { recursive: true });
  fs.rmSync(work, { recursive: true, force: true });
  const k = newLegacyKey(1);
  fs.writeFileSync(path.join(wa, 'Databases', 'msgstore.db.crypt12'), writeCrypt12(database, k));
  const keyFile = path.join(dir, 'key');
  fs.writeFileSync(keyFile, legacyKeyFile(k));
  const caseFile = newCaseFile(dir);

  const wrong = await cliHere(['import', caseFile, wa, '--backup-key-file', keyFile.replace(/key$/, 'wrong')]);
  assert.equal(wrong.status, 2, 'a key file that does not exist is a usage error');
  const other = path.join(dir, 'other');
  const otherKey = newLegacyKey(1);
  otherKey.serverSalt = k.serverSalt;
  fs.writeFileSync(other, legacyKeyFile(otherKey));
  const r = await cliHere(['import', caseFile, wa, '--backup-key-file', other]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^holdfast: BAD_PASSPHRASE: The key does not open Databases\/msgstore\.db\.crypt12: .*the file itself is whole/);
  assertNothingWritten(caseFile);

  const result = await importSource(caseFile, wa, ['--backup-key-file', keyFile]);
  assert.equal(result.messages, 5);
  const list = await messages(caseFile);
  const rename = list.find((m) => m.source.locator === 'Databases/msgstore.db.crypt12: messages row 4')!;
  assert.equal(rename.systemType, 'rename');
  assert.equal(rename.text, '+447700900123 changed the group name to “Trading desk (private)”');
  const doc = list.find((m) => m.source.locator === 'Databases/msgstore.db.crypt12: messages row 5')!;
  assert.equal(doc.attachments[0]!.sha256, sha256(Buffer.from('%PDF-1.4 legacy document')));
  assert.ok(caseRows(caseFile).files.some((f) => f.inner_path === 'Databases/msgstore.db.crypt12 (decrypted)' && f.sha256 === sha256(database)));
  assert.deepEqual(filesContaining(dir, 'Can you move the price?'), []);
});

test('the app: imports.start takes the 64-digit key or a key file; without one the job fails with IMPORT_NEEDS_PASSWORD', async () => {
  const h = await inProcessHarness();
  try {
    const plain = await plainCollection();
    const root = crypto.randomBytes(32);
    const wa = crypt15Folder(h.dir, plain, root);
    const keyFile = path.join(h.dir, 'encrypted_backup.key');
    fs.writeFileSync(keyFile, crypt15KeyFile(root));
    await h.client.call('cases.create', { path: path.join(h.dir, 'a.hfcase'), passphrase: PASSPHRASE, matter: 'Backups', examiner: 'Tester' });
    const detected = await h.client.call('imports.detect', { path: wa });
    assert.equal(detected.format, 'whatsapp-android-db');
    assert.equal(detected.probe.encrypted, true);

    const bare = await jobDone(h.client, (await h.client.call('imports.start', { source: wa, tz: 'UTC' })).jobId);
    assert.equal(bare.state, 'failed');
    assert.equal(bare.error?.code, 'IMPORT_NEEDS_PASSWORD');

    const hex = root.toString('hex');
    const byKey = await jobDone(h.client, (await h.client.call('imports.start', { source: wa, tz: 'UTC', backupKey: hex })).jobId);
    assert.equal(byKey.state, 'succeeded', JSON.stringify(byKey.error));
    if (byKey.kind !== 'import' || !byKey.result) assert.fail('no import result');
    assert.equal(byKey.result.messages, 8);
    assert.ok(!JSON.stringify(await h.client.call('jobs.list', {})).includes(hex), 'jobs do not show the key');

    await h.client.call('cases.create', { path: path.join(h.dir, 'b.hfcase'), passphrase: PASSPHRASE, matter: 'Backups', examiner: 'Tester' });
    const byFile = await jobDone(h.client, (await h.client.call('imports.start', { source: wa, tz: 'UTC', backupKeyFile: keyFile })).jobId);
    assert.equal(byFile.state, 'succeeded', JSON.stringify(byFile.error));
    if (byFile.kind !== 'import' || !byFile.result) assert.fail('no import result');
    assert.equal(byFile.result.messages, 8);
  } finally {
    await h.close();
  }
});

test('key files that are not WhatsApp keys are refused with what is wrong with them', async () => {
  const dir = tempDir();
  const backup = path.join(dir, 'msgstore.db.crypt15');
  fs.writeFileSync(backup, writeCrypt15(Buffer.from('SQLite format 3\0'), crypto.randomBytes(32)));
  const javaOf = (n: number) => crypt15KeyFile(crypto.randomBytes(n));
  const cases: [string, Buffer, RegExp][] = [
    ['20 key bytes', javaOf(20), /holds 20 key bytes: neither encrypted_backup\.key \(32\) nor the crypt12\/crypt14 key file \(131\)/],
    ['cut serialisation', javaOf(32).subarray(0, 40), /it says 32 key bytes but holds 13/],
    ['a serialised string', Buffer.from('aced00057400056869686869', 'hex'), /does not hold an array/],
  ];
  for (const [what, bytes, message] of cases) {
    const file = path.join(dir, what);
    fs.writeFileSync(file, bytes);
    await assert.rejects(
      whatsappAndroidDb.preflight!(backup, { tz: 'UTC', backupKeyFile: file }),
      (e) => e instanceof HoldfastError && e.code === 'BAD_PASSPHRASE' && message.test(e.message),
      what,
    );
  }
});

test('a backup that decrypts and authenticates but holds no SQLite database is IMPORT_SOURCE_CORRUPT', () => {
  const root = crypto.randomBytes(32);
  const sealed = writeCrypt15(Buffer.from('a text file, not a database'.repeat(10)), root);
  assert.throws(
    () => withDecryptedBackup(sealed, 'crypt15', { kind: 'root', root }, { file: '/evidence/msgstore.db.crypt15', label: 'msgstore.db.crypt15' }, () => undefined),
    (e) => e instanceof HoldfastError && e.code === 'IMPORT_SOURCE_CORRUPT' && /was decrypted, but the content is not a SQLite database/.test(e.message) && e.details?.file === '/evidence/msgstore.db.crypt15',
  );
});
