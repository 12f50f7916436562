/**
 * Signal for Android backups through the CLI's code (in this process; refusals of each error class
 * also as a child process: importers/helpers.ts, `cliHere`): a backup written by the test in the
 * real frame format (encrypted frames, attachment data, avatars, key-values) carrying Signal's 2024 schema;
 * wrong and missing passphrases, truncated and foreign files; and frame-level properties (every
 * byte authenticated, round trip of SQL parameters) on the parser.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { cliHere, cliInProcess, filesContaining, PASSPHRASE as CASE_PASSPHRASE, tempDir } from '../helpers/case.ts';
import { backupKeys, insert, LEGACY_SIGNAL_SCHEMA, SIGNAL_SCHEMA, signalBackupBytes, writeSignalBackup } from '../helpers/signal-backup.ts';
import type { Frame, Param } from '../helpers/signal-backup.ts';
import { bySourceLocator, createCase, expectImportFailure, importSource, messages } from './helpers.ts';
import { BackupFrames, readHeader } from '../../src/importers/signal-backup/backup-file.ts';
import { signalAndroidBackup } from '../../src/importers/signal-backup/importer.ts';
import { SqlReplay } from '../../src/importers/signal-backup/replay.ts';
import { HoldfastError } from '../../src/api/errors.ts';
import { openSession } from '../../src/app/open-session.ts';
import type { ImportResultDTO } from '../../src/api/dto.ts';

const PASSPHRASE = '12345 67890 12345 67890 12345 67890';
const ENV = { SIGNAL_PW: PASSPHRASE };
const PW = ['--backup-password-env', 'SIGNAL_PW'];
const T0 = 1_717_236_000_000; // 2024-06-01T10:00:00Z
const CHART = Buffer.from('\x89PNG\r\n\x1a\n chart bytes for the custody check', 'latin1');
const GROUP = '__signal_group__v2__!6a1c2f09d3c1e2b3a4f5e6d7c8b9a0f1';
const INBOX = 0x800000 | 0x200000 | 20;
const SENT = 0x800000 | 0x200000 | 23;
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

function msg(id: number, thread: number, from: number, to: number, type: number, sent: number, body: string | null, extra: Record<string, Param> = {}): Frame {
  return insert('message', { _id: id, date_sent: sent, date_received: sent + 500, thread_id: thread, from_recipient_id: from, to_recipient_id: to, type, body, ...extra });
}

/** Alice's backup: a 1:1 thread with Bob and the group "Desk" with Bob and Carol. */
export function aliceFrames(): Frame[] {
  return [
    { sql: 'CREATE TABLE sqlite_sequence(name,seq)' },
    ...SIGNAL_SCHEMA.map((sql) => ({ sql })),
    insert('recipient', { _id: 1, e164: '+447700900001', aci: 'a1a1a1a1-0000-4000-8000-000000000001', profile_joined_name: 'Alice Custodian' }),
    insert('recipient', { _id: 2, e164: '+447700900002', aci: 'b2b2b2b2-0000-4000-8000-000000000002', profile_given_name: 'Bob', profile_family_name: 'Trader' }),
    insert('recipient', { _id: 3, e164: '+14155550103', aci: 'c3c3c3c3-0000-4000-8000-000000000003', system_joined_name: 'Carol Broker', profile_joined_name: 'carol' }),
    insert('recipient', { _id: 4, type: 3, group_id: GROUP }),
    insert('thread', { _id: 1, recipient_id: 2, date: T0 }),
    insert('thread', { _id: 2, recipient_id: 4, date: T0 }),
    insert('groups', { _id: 1, group_id: GROUP, recipient_id: 4, title: 'Desk', master_key: crypto.randomBytes(32) }),
    insert('group_membership', { _id: 1, group_id: GROUP, recipient_id: 1 }),
    insert('group_membership', { _id: 2, group_id: GROUP, recipient_id: 2 }),
    insert('group_membership', { _id: 3, group_id: GROUP, recipient_id: 3 }),
    msg(1, 1, 2, 1, INBOX, T0, 'Can you move the price before the close?'),
    msg(2, 1, 1, 2, SENT, T0 + 60_000, 'Yes. Call me on Signal only.', { quote_id: T0, quote_author: 2, quote_body: 'Can you move the price before the close?' }),
    msg(3, 2, 3, 4, INBOX, T0 + 120_000, 'Chart attached'),
    msg(4, 2, 1, 4, SENT, T0 + 180_000, 'Numbers are 4.1', { latest_revision_id: 6 }),
    msg(5, 2, 2, 4, INBOX, T0 + 240_000, null, { remote_deleted: 1 }),
    msg(6, 2, 1, 4, SENT, T0 + 200_000, 'Numbers are 4.2', { original_message_id: 4, revision_number: 1 }),
    msg(7, 2, 2, 4, INBOX, T0 + 300_000, 'Thanks \ufffc, send it over'),
    msg(8, 1, 2, 1, 3, T0 + 360_000, null),
    msg(9, 2, 2, 4, INBOX, T0 + 420_000, 'Video of the board'),
    msg(10, 2, 2, 4, INBOX, T0 + 480_000, 'A story', { story_type: 1 }),
    insert('mention', { _id: 1, thread_id: 2, message_id: 7, recipient_id: 3, range_start: 7, range_length: 1 }),
    insert('reaction', { _id: 1, message_id: 1, author_id: 1, emoji: '👍', date_sent: T0 + 30_000, date_received: T0 + 30_500 }),
    insert('reaction', { _id: 2, message_id: 3, author_id: 2, emoji: '❤️', date_sent: T0 + 130_000, date_received: T0 + 130_500 }),
    insert('attachment', { _id: 1, message_id: 3, content_type: 'image/png', data_size: CHART.length, file_name: 'chart.png', transfer_state: 0 }),
    { attachment: { rowId: 1, data: CHART } },
    insert('attachment', { _id: 2, message_id: 9, content_type: 'video/mp4', data_size: 5_000_000, file_name: null, transfer_state: 2 }),
    insert('attachment', { _id: 3, message_id: 2, content_type: 'image/jpeg', data_size: 10, quote: 1 }),
    { sql: 'INSERT INTO message_fts_data VALUES (?, ?)', params: [1, Buffer.from('index')] },
    { preference: { file: 'org.thoughtcrime.securesms_preferences', key: 'pref_theme', value: 'dark' } },
    { avatar: { name: '2', data: Buffer.from('avatar jpeg') } },
    { keyValue: { key: 'account.e164', string: '+447700900001' } },
  ];
}

function writeAlice(dir: string, name = 'signal-2024-06-01-12-00-00.backup', version: 0 | 1 = 1): string {
  const file = path.join(dir, name);
  writeSignalBackup(file, aliceFrames(), { passphrase: PASSPHRASE, version });
  return file;
}

function importSignal(caseFile: string, file: string, extra: string[] = []): Promise<ImportResultDTO> {
  return importSource(caseFile, file, [...PW, ...extra], ENV);
}

/** What a `--json` command prints, run by the CLI's code in this process. */
async function cliJson<T>(args: string[]): Promise<T> {
  const r = await cliInProcess(args);
  assert.equal(r.status, 0, `holdfast ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

test('a Signal backup imports threads, senders, times, quotes, mentions, edits, deletions, reactions and attachments', async () => {
  const dir = tempDir();
  const file = writeAlice(dir);
  const caseFile = createCase(dir);
  const result = await importSignal(caseFile, file);
  assert.equal(result.format, 'signal-android-backup');
  assert.equal(result.messages, 8);
  assert.equal(result.conversations, 2);
  assert.equal(result.attachments, 2);
  const L = path.basename(file);
  const list = await messages(caseFile);

  const ask = bySourceLocator(list, `${L}: message row 1`);
  assert.equal(ask.text, 'Can you move the price before the close?');
  assert.equal(ask.senderHandle, '+447700900002');
  assert.equal(ask.sender, 'Bob Trader');
  assert.equal(ask.direction, 'in');
  assert.equal(ask.sentAt, '2024-06-01T10:00:00.000Z');
  assert.equal(ask.conversation, 'Bob Trader');
  assert.deepEqual(ask.reactions.map((r) => [r.value, r.sender, r.sentAt]), [['👍', 'Alice Custodian', '2024-06-01T10:00:30.000Z']]);

  const reply = bySourceLocator(list, `${L}: message row 2`);
  assert.equal(reply.direction, 'out');
  assert.equal(reply.senderHandle, '+447700900001');
  assert.equal(reply.replyTo, ask.id);
  assert.equal(reply.attachments.length, 0, 'the quote thumbnail is not an attachment of the reply');

  const chart = bySourceLocator(list, `${L}: message row 3`);
  assert.equal(chart.conversation, 'Desk');
  assert.equal(chart.sender, 'Carol Broker');
  assert.deepEqual(chart.attachments.map((a) => [a.name, a.mime, a.sha256, a.size]), [['chart.png', 'image/png', sha(CHART), CHART.length]]);
  assert.deepEqual(chart.reactions.map((r) => [r.value, r.sender]), [['❤️', 'Bob Trader']]);

  const edited = bySourceLocator(list, `${L}: message row 6`);
  assert.equal(edited.text, 'Numbers are 4.2');
  assert.equal(edited.edited, true);
  assert.equal(edited.sentAt, '2024-06-01T10:03:00.000Z', 'an edited message keeps the time it was first sent');
  assert.deepEqual(edited.edits.map((e) => [e.text, e.editedAt]), [['Numbers are 4.1', '2024-06-01T10:03:00.000Z']]);
  assert.ok(!list.some((m) => m.source.locator === `${L}: message row 4`), 'the earlier revision is an edit, not a message');

  const deleted = bySourceLocator(list, `${L}: message row 5`);
  assert.equal(deleted.deleted, true);
  assert.equal(deleted.text, '');
  assert.equal(bySourceLocator(list, `${L}: message row 7`).text, 'Thanks @Carol Broker, send it over');
  const call = bySourceLocator(list, `${L}: message row 8`);
  assert.equal(call.kind, 'system');
  assert.equal(call.systemType, 'call');
  assert.equal(call.text, 'Missed voice call');
  const video = bySourceLocator(list, `${L}: message row 9`);
  assert.equal(video.attachments[0]!.sha256, null);
  assert.equal(video.attachments[0]!.name, 'attachment-2.mp4');
  assert.ok(result.warnings.some((w) => w.code === 'MISSING_ATTACHMENT' && w.locator === `${L}: attachment row 2`), JSON.stringify(result.warnings));
  assert.ok(result.warnings.some((w) => w.code === 'UNSUPPORTED_FEATURE' && /1 stories/.test(w.message)));
  assert.ok(result.warnings.some((w) => w.code === 'UNSUPPORTED_FEATURE' && /avatars/.test(w.message)));

  // Group members: Alice, Bob, Carol.
  const s = openSession(caseFile, CASE_PASSPHRASE);
  try {
    const members = s.db.prepare('SELECT h.value FROM conversation_members m JOIN handles h ON h.id = m.handle_id WHERE m.conversation_id = ? ORDER BY h.value').pluck().all(chart.conversationId);
    assert.deepEqual(members, ['+14155550103', '+447700900001', '+447700900002']);
  } finally {
    s.close();
  }

  // Re-import adds nothing; no plaintext reached the disk (the case is encrypted, the replay ran in memory).
  assert.equal((await importSignal(caseFile, file)).alreadyImported, true);
  assert.equal((await messages(caseFile)).length, list.length);
  for (const marker of ['Can you move the price', 'chart bytes for the custody']) assert.deepEqual(filesContaining(dir, marker), [], marker);
});

test('passphrase errors come before anything is written; truncated, tampered and foreign files are refused', async () => {
  const dir = tempDir();
  const file = writeAlice(dir);
  const caseFile = createCase(dir);
  const none = await expectImportFailure(caseFile, file, 'IMPORT_NEEDS_PASSWORD');
  assert.match(none, /--backup-password-env/);
  const r = await cliHere(['import', caseFile, file, ...PW], { SIGNAL_PW: '000000000000000000000000000000' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^holdfast: BAD_PASSPHRASE: The passphrase does not decrypt the Signal backup/);
  const bytes = fs.readFileSync(file);
  const cut = path.join(dir, 'signal-2024-06-01-12-00-01.backup');
  fs.writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
  const env = ['--backup-password-env', 'SIGNAL_PW'];
  const run = async (f: string, code: string, extra: string[] = []) => {
    const res = await cliHere(['import', caseFile, f, ...env, ...extra], ENV);
    assert.equal(res.status, 1, res.stdout);
    assert.match(res.stderr, new RegExp(`^holdfast: ${code}: `), res.stderr);
    return res.stderr;
  };
  assert.match(await run(cut, 'IMPORT_SOURCE_CORRUPT'), /truncated/);
  const tampered = path.join(dir, 'signal-2024-06-01-12-00-02.backup');
  const t = Buffer.from(bytes);
  t[t.length - 400]! ^= 0x01;
  fs.writeFileSync(tampered, t);
  assert.match(await run(tampered, 'IMPORT_SOURCE_CORRUPT'), /MAC/);
  const foreign = path.join(dir, 'signal-2024-06-01-12-00-03.backup');
  fs.writeFileSync(foreign, crypto.randomBytes(4096));
  await run(foreign, 'IMPORT_UNSUPPORTED_SOURCE', ['--format', 'signal-android-backup']);
  await run(foreign, 'IMPORT_UNSUPPORTED_SOURCE');
  const info = await cliJson<{ messages: number }>(['info', caseFile, '--json']);
  assert.equal(info.messages, 0);
});

test('a version-0 backup (length in clear) imports too; detection and probe say it is encrypted', async () => {
  const dir = tempDir();
  const file = writeAlice(dir, 'evidence-17.backup', 0);
  assert.equal(readHeader(fs.openSync(file, 'r'), file).version, 0);
  assert.deepEqual(await signalAndroidBackup.detect(file), { confidence: 0.8, variant: 'encrypted' });
  assert.deepEqual(await signalAndroidBackup.probe(file, { tz: 'UTC' }), { variant: 'encrypted', encrypted: true });
  await assert.rejects(signalAndroidBackup.probe(file, { tz: 'UTC', password: '1'.repeat(30) }), (e) => e instanceof HoldfastError && e.code === 'BAD_PASSPHRASE');
  const caseFile = createCase(dir);
  const result = await importSignal(caseFile, file);
  assert.equal(result.format, 'signal-android-backup');
  assert.equal(result.messages, 8);
  assert.ok((await cliJson<{ id: string }[]>(['formats', '--json'])).some((f) => f.id === 'signal-android-backup'));
});

test('an older backup (sms + mms tables, part attachments, number in a preference) imports with authors, quotes and reactions', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'signal-2021-03-01-08-00-00.backup');
  const photo = Buffer.from('\xff\xd8\xff legacy photo', 'latin1');
  const group = '__textsecure_group__!00112233445566778899aabbccddeeff';
  writeSignalBackup(file, [
    ...LEGACY_SIGNAL_SCHEMA.map((sql) => ({ sql })),
    insert('recipient', { _id: 1, phone: '+447700900001', uuid: 'A1A1A1A1-0000-4000-8000-000000000001', signal_profile_name: 'Alice' }),
    insert('recipient', { _id: 2, phone: '+447700900002', uuid: 'B2B2B2B2-0000-4000-8000-000000000002', system_display_name: 'Bob (work)' }),
    insert('recipient', { _id: 3, phone: '+14155550103', signal_profile_name: 'Carol' }),
    insert('recipient', { _id: 4, group_id: group }),
    insert('thread', { _id: 1, thread_recipient_id: 2 }),
    insert('thread', { _id: 2, thread_recipient_id: 4 }),
    insert('groups', { _id: 1, group_id: group, recipient_id: 4, title: 'Old desk', members: '1,2,3' }),
    insert('sms', { _id: 1, thread_id: 1, address: 2, date: T0 + 900, date_sent: T0, type: INBOX, body: 'Old school SMS-table message' }),
    insert('sms', { _id: 2, thread_id: 1, address: 2, date: T0 + 60_000, date_sent: T0 + 60_000, type: SENT, body: 'My reply' }),
    insert('mms', { _id: 1, thread_id: 2, date: T0 + 120_000, date_received: T0 + 120_400, msg_box: SENT, body: 'Photo for the desk', address: 4 }),
    insert('part', { _id: 7, mid: 1, ct: 'image/jpeg', data_size: photo.length, file_name: 'desk.jpg', unique_id: 1614585720123 }),
    { attachment: { rowId: 7, attachmentId: 1614585720123, data: photo } },
    insert('mms', { _id: 2, thread_id: 2, date: T0 + 180_000, date_received: T0 + 180_400, msg_box: INBOX, body: 'Nice', address: 3, quote_id: T0 + 120_000, quote_author: '1' }),
    insert('reaction', { _id: 1, message_id: 1, is_mms: 1, author_id: 3, emoji: '🔥', date_sent: T0 + 150_000, date_received: T0 + 150_500 }),
    insert('reaction', { _id: 2, message_id: 1, is_mms: 0, author_id: 1, emoji: '😮', date_sent: T0 + 10_000, date_received: T0 + 10_500 }),
    { preference: { file: 'org.thoughtcrime.securesms_preferences', key: 'pref_local_number', value: '+447700900001' } },
  ], { passphrase: PASSPHRASE, version: 0 });
  const caseFile = createCase(dir);
  const result = await importSignal(caseFile, file);
  assert.equal(result.messages, 4);
  assert.equal(result.conversations, 2);
  const L = path.basename(file);
  const list = await messages(caseFile);
  const first = bySourceLocator(list, `${L}: sms row 1`);
  assert.equal(first.senderHandle, '+447700900002');
  assert.equal(first.sender, 'Bob (work)');
  assert.equal(first.sentAt, '2024-06-01T10:00:00.000Z');
  assert.deepEqual(first.reactions.map((r) => [r.value, r.sender]), [['😮', 'Alice']], 'an sms-table reaction stays on the sms row');
  const reply = bySourceLocator(list, `${L}: sms row 2`);
  assert.equal(reply.direction, 'out');
  assert.equal(reply.senderHandle, '+447700900001', 'the owner comes from the pref_local_number preference');
  const photoMsg = bySourceLocator(list, `${L}: mms row 1`);
  assert.equal(photoMsg.conversation, 'Old desk');
  assert.equal(photoMsg.direction, 'out');
  assert.equal(photoMsg.senderHandle, '+447700900001');
  assert.deepEqual(photoMsg.attachments.map((a) => [a.name, a.sha256]), [['desk.jpg', sha(photo)]]);
  assert.deepEqual(photoMsg.reactions.map((r) => [r.value, r.sender]), [['🔥', 'Carol']]);
  const nice = bySourceLocator(list, `${L}: mms row 2`);
  assert.equal(nice.senderHandle, '+14155550103');
  assert.equal(nice.replyTo, photoMsg.id);
});

/** Frames read back with keys derived once (the 250,000 rounds are tested above). */
const SALT = crypto.randomBytes(32);
let keys: ReturnType<typeof backupKeys> | undefined;
function readAll(bytes: Buffer): Frame[] {
  keys ??= backupKeys(PASSPHRASE, SALT);
  const file = path.join(tempDir(), 'x.backup');
  fs.writeFileSync(file, bytes);
  const fd = fs.openSync(file, 'r');
  const frames = new BackupFrames(fd, file, readHeader(fd, file), keys);
  const out: Frame[] = [];
  try {
    for (let ev = frames.next(); ev; ev = frames.next()) {
      if (ev.frame.statement) out.push({ sql: ev.frame.statement.sql, params: ev.frame.statement.params.map((p) => (p instanceof Uint8Array ? Buffer.from(p) : p)) });
    }
  } finally {
    frames.close();
  }
  return out;
}

const param = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 50 }), fc.integer(), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d)), fc.uint8Array({ maxLength: 40 }).map((u) => Buffer.from(u)), fc.constant(null),
);

test('property: SQL frames and their parameters survive the round trip, in both format versions', () => {
  fc.assert(fc.property(fc.array(fc.tuple(fc.string({ maxLength: 60 }), fc.array(param, { maxLength: 6 })), { maxLength: 8 }), fc.constantFrom(0 as const, 1 as const), (stmts, version) => {
    keys ??= backupKeys(PASSPHRASE, SALT);
    const frames: Frame[] = stmts.map(([sql, params]) => ({ sql, params }));
    const back = readAll(signalBackupBytes(frames, { passphrase: PASSPHRASE, keys, salt: SALT, version }));
    const norm = (p: Param) => (typeof p === 'bigint' && p >= BigInt(Number.MIN_SAFE_INTEGER) && p <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(p) : p);
    assert.deepEqual(back, frames.map((f) => ('sql' in f ? { sql: f.sql, params: (f.params ?? []).map(norm) } : f)));
  }), { numRuns: 40 });
});

test('property: any changed byte after the header, and any truncation, is refused (IMPORT_SOURCE_CORRUPT; BAD_PASSPHRASE inside the first frame)', () => {
  keys ??= backupKeys(PASSPHRASE, SALT);
  const bytes = signalBackupBytes(aliceFrames(), { passphrase: PASSPHRASE, keys, salt: SALT });
  const headerEnd = 4 + bytes.readUInt32BE(0);
  const refused = (b: Buffer) => assert.throws(() => readAll(b), (e: unknown) => e instanceof HoldfastError && ['IMPORT_SOURCE_CORRUPT', 'BAD_PASSPHRASE'].includes(e.code));
  fc.assert(fc.property(fc.integer({ min: headerEnd, max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, xor) => {
    const b = Buffer.from(bytes);
    b[at]! ^= xor;
    refused(b);
  }), { numRuns: 60 });
  fc.assert(fc.property(fc.integer({ min: headerEnd, max: bytes.length - 1 }), (len) => refused(bytes.subarray(0, len))), { numRuns: 40 });
});

test('hostile SQL in a backup is refused: nothing attached, no pragma, one statement per frame', () => {
  const dir = tempDir();
  const leak = path.join(dir, 'leak.db');
  const replay = new SqlReplay();
  try {
    replay.run('CREATE TABLE t (a TEXT)', []);
    replay.run(`ATTACH DATABASE '${leak}' AS leak`, []);
    replay.run('PRAGMA writable_schema = 1', []);
    replay.run('CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1; END', []);
    replay.run('CREATE VIRTUAL TABLE v USING fts5(a)', []);
    replay.run(`INSERT INTO t VALUES ('a'); ATTACH DATABASE '${leak}' AS leak2`, []);
    replay.run('INSERT INTO t VALUES (?)', ['kept']);
    assert.equal(replay.refused, 4);
    assert.equal(replay.failed, 1);
    assert.deepEqual(replay.finish().prepare('SELECT a FROM t').pluck().all(), ['kept']);
    assert.equal(fs.existsSync(leak), false);
  } finally {
    replay.close();
  }
});
