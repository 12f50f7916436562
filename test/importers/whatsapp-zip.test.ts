/**
 * WhatsApp exports with media (.zip and unpacked folder) through the CLI into real cases:
 * attachment bytes and hashes in the case, missing media recorded, custody hashes of every
 * inner file, hostile entries refused, re-imports and overlapping exports.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { PASSPHRASE, tempDir } from '../helpers/case.ts';
import { buildZip, setDeclaredSize } from '../helpers/zip-writer.ts';
import { EXPORT_FORMATS, chatEvents, renderExport } from '../helpers/whatsapp-export.ts';
import { openSession } from '../../src/app/open-session.ts';
import { openBlob } from '../../src/case/blobs.ts';
import { freshCase, holdfast, importJson, messagesOf } from './whatsapp-cli.ts';
import { dataOf } from '../../src/case/data/index.ts';

const dir = tempDir('holdfast-wa-zip-');
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const bytes = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed * 7) & 0xff));

const PHOTO = bytes(40_000, 1);
const VOICE = bytes(12_345, 2);
const PDF = Buffer.from('%PDF-1.4\n% test document\n');
const UNREFERENCED = Buffer.from('a sticker nobody mentions');

const IOS_CHAT = [
  '\u200e[30/06/2023, 12:00:00] Project X: \u200eMessages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.',
  '[30/06/2023, 12:00:05] Alice: Here is the photo',
  '\u200e[30/06/2023, 12:00:09] Alice: \u200e<attached: 00000003-PHOTO-2023-06-30-12-00-09.jpg>',
  '\u200e[30/06/2023, 12:01:00] Bob: \u200e<attached: 00000004-AUDIO-2023-06-30-12-01-00.opus>',
  '\u200e[30/06/2023, 12:02:00] Carol: \u200e<attached: 00000005-PHOTO-2023-06-30-12-02-00.jpg>',
  '[30/06/2023, 12:03:00] Bob: Contract.pdf • 2 pages \u200edocument omitted',
  '[30/06/2023, 12:04:00] Alice: Agreed, final price 40k \u200e<This message was edited>',
  '[30/06/2023, 12:05:00] Carol: \u200eThis message was deleted.',
  '\u200e[30/06/2023, 12:06:00] Project X: \u200eCarol left',
  '',
].join('\n');

async function iosZip(name: string, extra: { name: string; data: Buffer | string }[] = []): Promise<string> {
  const file = path.join(dir, name);
  fs.writeFileSync(file, await buildZip([
    { name: '_chat.txt', data: IOS_CHAT },
    { name: '00000003-PHOTO-2023-06-30-12-00-09.jpg', data: PHOTO, compress: false },
    { name: '00000004-AUDIO-2023-06-30-12-01-00.opus', data: VOICE },
    { name: 'STK-unreferenced.webp', data: UNREFERENCED },
    ...extra,
  ]));
  return file;
}

function withCase<T>(file: string, fn: (s: ReturnType<typeof openSession>) => T): T {
  const s = openSession(file, PASSPHRASE);
  try {
    return fn(s);
  } finally {
    s.close();
  }
}

async function blobBytes(caseFile: string, hash: string): Promise<Buffer> {
  const s = openSession(caseFile, PASSPHRASE);
  try {
    const parts: Buffer[] = [];
    for await (const c of openBlob(dataOf(s), hash)) parts.push(c as Buffer);
    return Buffer.concat(parts);
  } finally {
    s.close();
  }
}

test('iOS .zip: media bytes and SHA-256 in the case, a missing file recorded with a warning, edits, deletions, notices, custody hashes', async () => {
  const c = freshCase();
  const zip = await iosZip('WhatsApp Chat - Project X.zip');
  const r = await importJson(c, zip, '--tz', 'Europe/Paris');
  assert.equal(r.messages, 9);
  assert.equal(r.attachments, 4);
  const missing = r.warnings.filter((w) => w.code === 'MISSING_ATTACHMENT');
  assert.ok(missing.some((w) => w.locator === '_chat.txt:line 5' && /00000005-PHOTO-2023-06-30-12-02-00\.jpg.*not in WhatsApp Chat - Project X\.zip/.test(w.message)), JSON.stringify(missing));

  const ms = await messagesOf(c);
  assert.equal(ms[0]!.conversation, 'Project X');
  assert.deepEqual(ms.map((m) => [m.sentAt, m.sender, m.kind, m.text]), [
    ['2023-06-30T10:00:00.000Z', null, 'system', 'Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.'],
    ['2023-06-30T10:00:05.000Z', 'Alice', 'message', 'Here is the photo'],
    ['2023-06-30T10:00:09.000Z', 'Alice', 'message', ''],
    ['2023-06-30T10:01:00.000Z', 'Bob', 'message', ''],
    ['2023-06-30T10:02:00.000Z', 'Carol', 'message', ''],
    ['2023-06-30T10:03:00.000Z', 'Bob', 'message', ''],
    ['2023-06-30T10:04:00.000Z', 'Alice', 'message', 'Agreed, final price 40k'],
    ['2023-06-30T10:05:00.000Z', 'Carol', 'message', 'This message was deleted.'],
    ['2023-06-30T10:06:00.000Z', null, 'system', 'Carol left'],
  ]);
  assert.equal(ms[6]!.edited, true);
  assert.equal(ms[7]!.deleted, true);
  assert.equal(ms[8]!.systemType, 'leave');

  const [photo] = ms[2]!.attachments;
  assert.deepEqual([photo!.name, photo!.mime, photo!.size, photo!.sha256], ['00000003-PHOTO-2023-06-30-12-00-09.jpg', 'image/jpeg', PHOTO.length, sha(PHOTO)]);
  assert.deepEqual(await blobBytes(c, sha(PHOTO)), PHOTO);
  const [voice] = ms[3]!.attachments;
  assert.deepEqual([voice!.mime, voice!.size, voice!.sha256], ['audio/ogg', VOICE.length, sha(VOICE)]);
  assert.deepEqual(await blobBytes(c, sha(VOICE)), VOICE);
  const [gone] = ms[4]!.attachments;
  assert.equal(gone!.sha256, null);
  assert.match(gone!.missingReason!, /referenced by the chat but is not in/);
  const [doc] = ms[5]!.attachments;
  assert.deepEqual([doc!.name, doc!.mime, doc!.sha256], ['Contract.pdf', 'application/pdf', null]);
  assert.match(doc!.missingReason!, /left this media out/);

  // Custody: every inner file with its size and hash, read or not.
  const files = withCase(c, (s) => s.db.prepare('SELECT inner_path, size, sha256 FROM source_files ORDER BY inner_path').all()) as { inner_path: string; size: number; sha256: string }[];
  assert.deepEqual(files.map((f) => [f.inner_path, f.size, f.sha256]), [
    ['00000003-PHOTO-2023-06-30-12-00-09.jpg', PHOTO.length, sha(PHOTO)],
    ['00000004-AUDIO-2023-06-30-12-01-00.opus', VOICE.length, sha(VOICE)],
    ['STK-unreferenced.webp', UNREFERENCED.length, sha(UNREFERENCED)],
    ['_chat.txt', Buffer.byteLength(IOS_CHAT), sha(IOS_CHAT)],
  ]);

  // Re-importing the same zip adds nothing.
  const again = await importJson(c, zip, '--tz', 'Europe/Paris');
  assert.equal(again.alreadyImported, true);
  assert.equal((await messagesOf(c)).length, 9);
  const verify = await holdfast(['verify', c, '--json']);
  assert.equal(verify.status, 0, verify.stdout + verify.stderr);
});

test('Android .zip and unpacked folder: "(file attached)" with caption, attachment from the export', async () => {
  const chat = [
    '30/06/2023, 16:15 - Bob: IMG-20230630-WA0000.jpg (file attached)',
    'the site photo',
    '30/06/2023, 16:16 - Alice: Report.pdf • 3 pages (file attached)',
    '30/06/2023, 16:17 - Bob: <Media omitted>',
    '',
  ].join('\n');
  const zipFile = path.join(dir, 'WhatsApp Chat with Bob.zip');
  fs.writeFileSync(zipFile, await buildZip([
    { name: 'WhatsApp Chat with Bob.txt', data: chat },
    { name: 'IMG-20230630-WA0000.jpg', data: PHOTO },
    { name: 'Report.pdf', data: PDF },
  ]));
  const c = freshCase();
  const r = await importJson(c, zipFile, '--tz', 'UTC');
  assert.deepEqual([r.messages, r.attachments], [3, 3]);
  const ms = await messagesOf(c);
  assert.equal(ms[0]!.conversation, 'Bob');
  assert.deepEqual(ms.map((m) => [m.text, m.attachments.map((a) => [a.name, a.sha256])]), [
    ['the site photo', [['IMG-20230630-WA0000.jpg', sha(PHOTO)]]],
    ['', [['Report.pdf', sha(PDF)]]],
    ['', [['media omitted', null]]],
  ]);
  assert.equal(ms[0]!.direction, 'in');
  assert.equal(ms[1]!.direction, 'out');

  // The same export unpacked into a folder imports the same messages into the same conversation.
  const folder = path.join(dir, 'WhatsApp Chat with Bob');
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, 'WhatsApp Chat with Bob.txt'), chat);
  fs.writeFileSync(path.join(folder, 'IMG-20230630-WA0000.jpg'), PHOTO);
  const c2 = freshCase();
  const f = await importJson(c2, folder, '--tz', 'UTC');
  assert.equal(f.messages, 3);
  const fm = await messagesOf(c2);
  assert.equal(fm[0]!.attachments[0]!.sha256, sha(PHOTO));
  assert.match(fm[1]!.attachments[0]!.missingReason!, /not in/);
  // And into the case that has the zip already: nothing new.
  const same = await importJson(c, folder, '--tz', 'UTC');
  assert.deepEqual([same.messages, same.duplicatesSkipped], [0, 3]);
});

test('an overlapping later export adds only the new messages; a re-import adds nothing', async () => {
  const format = EXPORT_FORMATS.find((f) => f.id === 'en-GB-android')!;
  const events = chatEvents({ messages: 300, seed: 3 });
  const first = path.join(dir, 'march');
  const later = path.join(dir, 'june');
  fs.mkdirSync(first);
  fs.mkdirSync(later);
  const a = path.join(first, 'WhatsApp Chat with Team.txt');
  fs.writeFileSync(a, renderExport(events.slice(0, 200), format));
  const b = path.join(later, 'WhatsApp Chat - Team.zip');
  fs.writeFileSync(b, await buildZip([{ name: 'WhatsApp Chat with Team.txt', data: renderExport(events, format) }]));
  const c = freshCase();
  const r1 = await importJson(c, a, '--tz', 'Asia/Tokyo');
  assert.equal(r1.messages, 200);
  const r2 = await importJson(c, b, '--tz', 'Asia/Tokyo');
  assert.deepEqual([r2.messages, r2.duplicatesSkipped, r2.conversations], [100, 200, 0]);
  const r3 = await importJson(c, a, '--tz', 'Asia/Tokyo');
  assert.equal(r3.alreadyImported, true);
  const ms = await messagesOf(c);
  assert.equal(ms.length, 300);
  assert.equal(new Set(ms.map((m) => m.conversationId)).size, 1);
});

test('hostile entries in a WhatsApp zip are refused with warnings; the rest imports', async () => {
  const c = freshCase();
  const file = path.join(dir, 'WhatsApp Chat - Hostile.zip');
  const chat = '[01/07/2023, 10:00:00] Eve: \u200e<attached: 00000001-PHOTO-2023-07-01-10-00-00.jpg>\n[01/07/2023, 10:01:00] Eve: hi\n';
  const buf = await buildZip([
    { name: '_chat.txt', data: chat },
    { name: '00000001-PHOTO-2023-07-01-10-00-00.jpg', data: Buffer.alloc(1 << 20) },
    { name: '../../evil.sh', data: 'rm -rf /' },
    { name: 'C:/Windows/evil.dll', data: 'MZ' },
  ]);
  // The photo claims to expand to 4 GB from a few KB: a zip bomb.
  fs.writeFileSync(file, setDeclaredSize(buf, '00000001-PHOTO-2023-07-01-10-00-00.jpg', 0xf0000000));
  const r = await importJson(c, file, '--tz', 'UTC');
  assert.equal(r.messages, 2);
  assert.ok(r.warnings.some((w) => w.code === 'BAD_RECORD' && w.locator === 'entry ../../evil.sh' && /zip slip/.test(w.message)));
  assert.ok(r.warnings.some((w) => w.code === 'BAD_RECORD' && w.locator === 'entry C:/Windows/evil.dll'));
  assert.ok(r.warnings.some((w) => w.code === 'LIMIT_EXCEEDED' && /zip bomb/.test(w.message)));
  const ms = await messagesOf(c);
  assert.match(ms[0]!.attachments[0]!.missingReason!, /^refused: .*zip bomb/);
  const inner = withCase(c, (s) => s.db.prepare('SELECT inner_path FROM source_files').pluck().all()) as string[];
  assert.deepEqual(inner, ['_chat.txt']);
});

test('broken sources fail with a clear error naming the file, and the case keeps what it had', async () => {
  const c = freshCase();
  const good = await iosZip('WhatsApp Chat - Kept.zip');
  await importJson(c, good, '--tz', 'UTC');
  const before = await holdfast(['info', c, '--json']);
  const empty = path.join(dir, 'WhatsApp Chat with Empty.txt');
  fs.writeFileSync(empty, '');
  const random = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 2654435761) >>> 24));
  const noise = path.join(dir, 'noise.txt');
  fs.writeFileSync(noise, random);
  const noiseZip = path.join(dir, 'noise.zip');
  fs.writeFileSync(noiseZip, random);
  const whole = fs.readFileSync(good);
  const truncated = path.join(dir, 'WhatsApp Chat - Truncated.zip');
  fs.writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length * 0.6)));
  const cases: [string, string[], RegExp][] = [
    [empty, [], /^holdfast: IMPORT_UNSUPPORTED_SOURCE: .*WhatsApp Chat with Empty\.txt/],
    [empty, ['--format', 'whatsapp-txt'], /^holdfast: IMPORT_SOURCE_CORRUPT: .*WhatsApp Chat with Empty\.txt is empty/],
    [noise, ['--format', 'whatsapp-txt'], /^holdfast: IMPORT_SOURCE_CORRUPT: .*noise\.txt has no WhatsApp message lines/],
    [noiseZip, ['--format', 'whatsapp-txt'], /^holdfast: IMPORT_SOURCE_CORRUPT: .*noise\.zip is not a readable zip archive/],
    [truncated, [], /^holdfast: IMPORT_SOURCE_CORRUPT: .*WhatsApp Chat - Truncated\.zip is not a readable zip archive/],
  ];
  for (const [file, extra, expected] of cases) {
    const r = await holdfast(['import', c, file, '--tz', 'UTC', ...extra]);
    assert.equal(r.status, 1, `${file} ${extra.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr.trim(), expected);
  }
  const after = await holdfast(['info', c, '--json']);
  const counts = (s: string) => {
    const j = JSON.parse(s) as Record<string, unknown>;
    return [j.messages, j.attachments, j.conversations];
  };
  assert.deepEqual(counts(after.stdout), counts(before.stdout));
  assert.equal((await holdfast(['verify', c])).status, 0);
});
