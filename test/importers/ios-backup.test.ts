/**
 * iPhone backups through the CLI's code (in this process; refusals of each error class also as a
 * child process: `cliHere`), on backups built by test/helpers/ios-backup-generator.ts
 * (independent of the importer): Messages and WhatsApp content with times, senders, conversations
 * and attachments; files listed but absent; custody records; re-import; and for an encrypted
 * backup: missing and wrong passwords, and no plaintext anywhere on disk.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cliHere, cliInProcess, filesContaining, makeCaseFile, PASSPHRASE, tempDir } from '../helpers/case.ts';
import { importSource, messages } from './helpers.ts';
import { generateIosBackup, OWNER_JID, SMS_ABSENT_PATH, SMS_ATTACHMENT_PATH, WA_DOMAIN, WA_MEDIA_LOCAL } from '../helpers/ios-backup-generator.ts';
import { openSession } from '../../src/app/open-session.ts';
import { detectImporter } from '../../src/importers/registry.ts';
import { iosBackup } from '../../src/importers/ios-backup/importer.ts';
import { HoldfastError } from '../../src/api/errors.ts';
import type { ImportResultDTO, MessageDTO } from '../../src/api/dto.ts';

const PASSWORD = 'Tr0ub4dor & 3 — «backup»';
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

function newCaseFile(dir: string): string {
  const file = path.join(dir, 'case.hfcase');
  makeCaseFile(file, { name: 'iPhone backup' });
  return file;
}

function find(list: MessageDTO[], text: string): MessageDTO {
  const m = list.find((x) => x.text.includes(text));
  assert.ok(m, `no message with "${text}"`);
  return m;
}

function sourceFiles(caseFile: string): Map<string, { size: number; sha256: string }> {
  const s = openSession(caseFile, PASSPHRASE);
  try {
    const rows = s.db.prepare('SELECT inner_path, size, sha256 FROM source_files').all() as { inner_path: string; size: number; sha256: string }[];
    return new Map(rows.map((r) => [r.inner_path, { size: r.size, sha256: r.sha256 }]));
  } finally {
    s.close();
  }
}

/** What a backup with the generator's content must import as (the same, encrypted or not). */
async function assertContent(caseFile: string, result: ImportResultDTO, marker: string, backup: ReturnType<typeof generateIosBackup>): Promise<void> {
  assert.equal(result.format, 'ios-backup');
  assert.equal(result.messages, 10);
  assert.equal(result.conversations, 4);
  const list = await messages(caseFile);
  assert.equal(list.length, 10);

  // Messages (sms.db): a direct chat and a group, nanosecond dates since 2001.
  const ask = find(list, `${marker} can you confirm the price?`);
  assert.equal(ask.sentAt, '2024-03-01T10:00:00.000Z');
  assert.equal(ask.senderHandle, '+447700900001');
  assert.equal(ask.direction, 'in');
  const sent = find(list, `${marker} confirmed, photo of the contract`);
  assert.equal(sent.sentAt, '2024-03-01T10:05:30.000Z');
  assert.equal(sent.direction, 'out');
  assert.equal(sent.conversationId, ask.conversationId);
  assert.deepEqual(sent.attachments.map((a) => [a.name, a.sha256, a.mime]), [['IMG_0412.jpeg', sha(backup.attachments.sms), 'image/jpeg']]);
  const group = find(list, `${marker} group hello from Alice`);
  assert.equal(group.conversation, 'Deal team');
  assert.equal(group.senderHandle, 'alice@example.com');
  const draft = find(list, `${marker} draft attached`);
  assert.equal(draft.attachments[0]!.sha256, null, 'the absent PDF is recorded as missing');
  assert.match(draft.attachments[0]!.missingReason ?? '', /absent/);

  // WhatsApp (ChatStorage.sqlite): seconds since 2001 (with fractions), owner from the app's preferences.
  const call = find(list, `${marker} call me about the shipment`);
  assert.equal(call.conversation, 'Bob Trader');
  assert.equal(call.sentAt, '2024-03-02T09:00:00.000Z');
  assert.equal(call.senderHandle, '+447700900002');
  assert.equal(call.sender, 'Bob Trader');
  const reply = find(list, `${marker} not here, use the other phone`);
  assert.equal(reply.sentAt, '2024-03-02T09:01:30.250Z');
  assert.equal(reply.direction, 'out');
  assert.equal(reply.senderHandle, `+${OWNER_JID.split('@')[0]}`);
  assert.equal(reply.sender, 'Olivia Owner');
  assert.equal(reply.replyTo, call.id);
  const photo = find(list, `${marker} the loading dock`);
  assert.equal(photo.forwardedFrom, 'unknown');
  assert.deepEqual(photo.attachments.map((a) => [a.name, a.sha256, a.mime]), [[path.posix.basename(WA_MEDIA_LOCAL), sha(backup.attachments.whatsapp), 'image/jpeg']]);
  const deleted = list.find((m) => m.conversation === 'Bob Trader' && m.deleted);
  assert.ok(deleted);
  assert.equal(deleted.sentAt, '2024-03-02T09:06:00.000Z');
  const joined = list.find((m) => m.conversation === 'Desk chat' && m.kind === 'system');
  assert.ok(joined);
  assert.equal(joined.systemType, 'join');
  assert.equal(joined.text, 'Carol Broker joined');
  const desk = find(list, `${marker} desk: volumes are up`);
  assert.equal(desk.conversation, 'Desk chat');
  assert.equal(desk.senderHandle, '+447700900003');
  assert.equal(desk.sender, 'Carol Broker');

  // The file listed but absent is a warning, not a failure.
  assert.ok(result.warnings.some((w) => w.code === 'MISSING_FILE' && w.locator === `MediaDomain/${SMS_ABSENT_PATH}`), JSON.stringify(result.warnings));

  // Custody: every backup file read, with the SHA-256 of its plaintext.
  const custody = sourceFiles(caseFile);
  for (const name of ['Info.plist', 'Manifest.plist', 'Status.plist', 'Manifest.db']) assert.ok(custody.has(name), name);
  const expected = [
    'HomeDomain/Library/SMS/sms.db', `MediaDomain/${SMS_ATTACHMENT_PATH}`, `${WA_DOMAIN}/ChatStorage.sqlite`, `${WA_DOMAIN}/Message/${WA_MEDIA_LOCAL}`,
    `${WA_DOMAIN}/Library/Preferences/group.net.whatsapp.WhatsApp.shared.plist`,
  ];
  for (const inner of expected) {
    assert.deepEqual(custody.get(inner), backup.files.get(inner), inner);
  }
  assert.equal(custody.size, expected.length + 4, [...custody.keys()].join(', '));
}

test('an unencrypted backup imports Messages and WhatsApp with attachments, custody, and nothing twice', async () => {
  const dir = tempDir();
  const marker = `PLAINMARK${crypto.randomBytes(4).toString('hex')}`;
  const backup = generateIosBackup(path.join(dir, '00008110-001A2B3C4D5E801E'), { marker });
  const caseFile = newCaseFile(dir);
  const result = await importSource(caseFile, backup.dir);
  await assertContent(caseFile, result, marker, backup);

  const again = await importSource(caseFile, backup.dir);
  assert.equal(again.alreadyImported, true);
  assert.equal((await messages(caseFile)).length, 10);
  // The evidence folder is untouched: no -shm/-wal/-journal created beside Manifest.db.
  assert.deepEqual(fs.readdirSync(backup.dir).filter((n) => !/^[0-9a-f]{2}$/.test(n)).sort(), ['Info.plist', 'Manifest.db', 'Manifest.plist', 'Status.plist']);
});

/** Files below `root` changed since `since` whose bytes contain `marker` (unreadable entries skipped). */
function recentFilesContaining(root: string, since: number, marker: string): string[] {
  const needles = [Buffer.from(marker, 'utf8'), Buffer.from(marker, 'utf16le')];
  const hits: string[] = [];
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      try {
        if (e.isDirectory()) walk(p);
        else if (e.isFile()) {
          const st = fs.statSync(p);
          if (st.mtimeMs >= since && st.size < 512 * 1024 * 1024 && needles.some((n) => fs.readFileSync(p).includes(n))) hits.push(p);
        }
      } catch {
        // vanished or unreadable: another process's temporary file
      }
    }
  };
  walk(root);
  return hits;
}

test('an encrypted backup: no password and a wrong one fail clearly, the right one imports, and no plaintext reaches the disk', async () => {
  const started = Date.now() - 1000;
  const dir = tempDir();
  const marker = `SECRETMARK${crypto.randomBytes(4).toString('hex')}`;
  const backup = generateIosBackup(path.join(dir, 'backup-encrypted'), { marker, password: PASSWORD, dpic: 2000, iter: 200 });
  const caseFile = newCaseFile(dir);
  const info = async () => JSON.parse((await cliInProcess(['info', caseFile, '--json'])).stdout) as { messages: number; sources: number };

  const none = await cliHere(['import', caseFile, backup.dir]);
  assert.equal(none.status, 1);
  assert.match(none.stderr, /^holdfast: IMPORT_NEEDS_PASSWORD: /);
  assert.ok(none.stderr.includes(backup.dir), 'the error names the backup');
  assert.match(none.stderr, /is encrypted/);
  assert.match(none.stderr, /--backup-password-env/);

  const wrong = await cliHere(['import', caseFile, backup.dir, '--backup-password-env', 'IPHONE_PW'], { IPHONE_PW: 'not the password' });
  assert.equal(wrong.status, 1);
  assert.match(wrong.stderr, /^holdfast: BAD_PASSPHRASE: The backup password does not unlock the encrypted iPhone backup at /);
  assert.ok(wrong.stderr.includes(backup.dir));
  assert.equal((await info()).messages, 0);
  assert.equal((await info()).sources, 0);

  const result = await importSource(caseFile, backup.dir, ['--backup-password-env', 'IPHONE_PW'], { IPHONE_PW: PASSWORD });
  await assertContent(caseFile, result, marker, backup);
  // The password is used, never stored or printed.
  assert.ok(!JSON.stringify(result).includes(PASSWORD));

  const again = await importSource(caseFile, backup.dir, ['--backup-password-env', 'IPHONE_PW'], { IPHONE_PW: PASSWORD });
  assert.equal(again.alreadyImported, true);
  assert.equal((await messages(caseFile)).length, 10);

  // Nothing decrypted was written: not in the backup, not in the case, not anywhere in the temp folder.
  assert.deepEqual(filesContaining(dir, marker), []);
  assert.deepEqual(recentFilesContaining(os.tmpdir(), started, marker), []);
  assert.deepEqual(filesContaining(dir, 'SQLite format 3').filter((f) => f.startsWith(backup.dir)), [], 'no unencrypted database in the backup');
});

test('a damaged backup: corrupt Manifest.plist and a missing Manifest.db are typed errors naming the file', async () => {
  const dir = tempDir();
  const backup = generateIosBackup(path.join(dir, 'b'), { marker: 'DAMAGED' });
  const caseFile = newCaseFile(dir);
  fs.writeFileSync(path.join(backup.dir, 'Manifest.plist'), 'bplist00 this is not a plist');
  const r1 = await cliHere(['import', caseFile, backup.dir, '--format', 'ios-backup']);
  assert.equal(r1.status, 1);
  assert.match(r1.stderr, /^holdfast: IMPORT_SOURCE_CORRUPT: Manifest\.plist in the iPhone backup at .* is not a readable property list/);

  fs.rmSync(path.join(backup.dir, 'Manifest.db'));
  const r2 = await cliHere(['import', caseFile, backup.dir, '--format', 'ios-backup']);
  assert.equal(r2.status, 1);
  assert.match(r2.stderr, /^holdfast: IMPORT_UNSUPPORTED_SOURCE: .* is not an iPhone backup folder \(no Manifest\.db\)/);
});

test('an encrypted backup whose file was damaged after the backup: that file is a warning, the rest imports', async () => {
  const dir = tempDir();
  const backup = generateIosBackup(path.join(dir, 'b'), { marker: 'TRUNCATED', password: PASSWORD, dpic: 2000, iter: 200 });
  const photoId = crypto.createHash('sha1').update(`${WA_DOMAIN}-Message/${WA_MEDIA_LOCAL}`).digest('hex');
  const photo = path.join(backup.dir, photoId.slice(0, 2), photoId);
  fs.truncateSync(photo, fs.statSync(photo).size - 7); // no longer whole AES blocks
  const caseFile = newCaseFile(dir);
  const result = await importSource(caseFile, backup.dir, ['--backup-password-env', 'IPHONE_PW'], { IPHONE_PW: PASSWORD });
  assert.equal(result.messages, 10);
  const dock = find(await messages(caseFile), 'TRUNCATED the loading dock');
  assert.equal(dock.attachments[0]!.sha256, null);
  assert.match(dock.attachments[0]!.missingReason ?? '', /AES block size/);
  assert.ok(!sourceFiles(caseFile).has(`${WA_DOMAIN}/Message/${WA_MEDIA_LOCAL}`), 'a file that could not be read is not in the custody record');
});

test('detection and probe: the folder is recognised as a backup, and an encrypted one says so without its password', async () => {
  const dir = tempDir();
  const backup = generateIosBackup(path.join(dir, 'b'), { marker: 'PROBE', password: PASSWORD, dpic: 2000, iter: 200 });
  const detected = await detectImporter(backup.dir);
  assert.equal(detected.importer.id, 'ios-backup');
  assert.equal(detected.variant, 'encrypted');
  assert.deepEqual(await iosBackup.probe(backup.dir, { tz: 'UTC' }), { variant: 'encrypted', encrypted: true });
  assert.equal((await iosBackup.probe(backup.dir, { tz: 'UTC', password: PASSWORD })).encrypted, true);
  await assert.rejects(iosBackup.probe(backup.dir, { tz: 'UTC', password: 'nope' }), (e) => e instanceof HoldfastError && e.code === 'BAD_PASSPHRASE');

  // The folder of all backups (MobileSync/Backup) is recognised, and the import names the backups inside.
  generateIosBackup(path.join(dir, 'second'), { marker: 'PROBE2' });
  assert.equal((await detectImporter(dir)).importer.id, 'ios-backup');
  await assert.rejects(iosBackup.preflight!(dir, { tz: 'UTC' }), (e) =>
    e instanceof HoldfastError && e.code === 'IMPORT_UNSUPPORTED_SOURCE' && e.message.includes('holds 2 iPhone backups') && e.message.includes(backup.dir));
});
