import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { openZip, hashEntry, looksLikeZip, unsafeEntryName } from '../../src/importers/zip/zip.ts';
import { HoldfastError } from '../../src/api/errors.ts';
import { tempDir } from '../helpers/case.ts';
import { buildZip, setDeclaredSize, zeros } from '../helpers/zip-writer.ts';

const dir = tempDir('holdfast-zip-');
let n = 0;
function write(buf: Buffer, name = `z${n++}.zip`): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, buf);
  return p;
}

async function readAll(s: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of s) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

async function rejectsCorrupt(p: Promise<unknown>, file: string, position?: RegExp): Promise<HoldfastError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof HoldfastError, `expected HoldfastError, got ${String(err)}`);
    assert.equal(err.code, 'IMPORT_SOURCE_CORRUPT');
    assert.equal(err.details?.file, file);
    assert.ok(err.message.includes(file), err.message);
    if (position) assert.match(String(err.details?.position), position);
    return err;
  }
  assert.fail('expected a rejection');
}

test('lists entries and streams stored and deflated content; hashes entries', async () => {
  const text = 'line one\nline two ünïcødé\n'.repeat(1000);
  const photo = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) & 0xff));
  const file = write(await buildZip([
    { name: '_chat.txt', data: text },
    { name: 'media/IMG-20230630-WA0000.jpg', data: photo, compress: false },
    { name: 'Ünïcode name ☃.txt', data: 'snow' },
  ]));
  assert.ok(looksLikeZip(file));
  const zip = await openZip(file);
  try {
    assert.deepEqual(zip.entries.map((e) => e.name), ['_chat.txt', 'media/IMG-20230630-WA0000.jpg', 'Ünïcode name ☃.txt']);
    assert.deepEqual(zip.warnings, []);
    const chat = zip.find('_chat.txt')!;
    assert.equal(chat.size, Buffer.byteLength(text));
    assert.ok(chat.compressedSize < chat.size);
    assert.equal((await readAll(await zip.openEntry(chat))).toString('utf8'), text);
    const img = zip.find('media/IMG-20230630-WA0000.jpg')!;
    // Two entries open at once, read in either order.
    const [a, b] = await Promise.all([zip.openEntry(img), zip.openEntry(zip.find('Ünïcode name ☃.txt')!)]);
    assert.equal((await readAll(b)).toString(), 'snow');
    assert.deepEqual(await readAll(a), photo);
    assert.deepEqual(await hashEntry(zip, img), { sha256: createHash('sha256').update(photo).digest('hex'), size: photo.length });
    assert.equal(zip.find('missing.txt'), undefined);
  } finally {
    zip.close();
  }
});

test('zip slip names are ignored with warnings; the rest is readable', async () => {
  const file = write(await buildZip([
    { name: '../evil.txt', data: 'x' },
    { name: 'a/../../evil2.txt', data: 'x' },
    { name: '/etc/passwd', data: 'x' },
    { name: 'C:/Windows/evil.txt', data: 'x' },
    { name: 'media\\..\\evil3.txt', data: 'x' },
    { name: 'ok.txt', data: 'fine' },
  ]));
  const zip = await openZip(file);
  try {
    assert.deepEqual(zip.entries.map((e) => e.name), ['ok.txt']);
    assert.equal(zip.warnings.length, 5);
    const byEntry = Object.fromEntries(zip.warnings.map((w) => [w.locator, w.message]));
    assert.match(byEntry['entry ../evil.txt']!, /"\.\." path segment.*zip slip/);
    assert.match(byEntry['entry a/../../evil2.txt']!, /"\.\." path segment/);
    assert.match(byEntry['entry /etc/passwd']!, /absolute path/);
    assert.match(byEntry['entry C:/Windows/evil.txt']!, /drive letter/);
    assert.match(byEntry['entry media\\..\\evil3.txt']!, /backslash/);
    assert.ok(zip.warnings.every((w) => w.code === 'BAD_RECORD'));
    assert.equal((await readAll(await zip.openEntry(zip.entries[0]!))).toString(), 'fine');
  } finally {
    zip.close();
  }
  assert.equal(unsafeEntryName('media/ok..jpg'), undefined);
  assert.equal(unsafeEntryName('..'), 'a ".." path segment');
});

test('a real high-ratio entry (zip bomb) is refused; limits are configurable', async () => {
  const big = 100 * 1024 * 1024;
  const file = write(await buildZip([
    { name: 'bomb.bin', data: zeros(big), size: big },
    { name: 'small.txt', data: ' '.repeat(100_000) },
  ]));
  const zip = await openZip(file);
  try {
    assert.deepEqual(zip.entries.map((e) => e.name), ['small.txt'], 'a small entry that compresses well is fine');
    assert.equal(zip.warnings.length, 1);
    assert.equal(zip.warnings[0]!.code, 'LIMIT_EXCEEDED');
    assert.equal(zip.warnings[0]!.locator, 'entry bomb.bin');
    assert.match(zip.warnings[0]!.message, /expands \d+:1 to 104857600 bytes.*zip bomb/);
  } finally {
    zip.close();
  }
  const capped = await openZip(file, { maxRatio: 1e9, maxEntryBytes: 50 * 1024 * 1024 });
  assert.deepEqual(capped.entries.map((e) => e.name), ['small.txt']);
  assert.match(capped.warnings[0]!.message, /more than the limit of 52428800/);
  capped.close();
  const total = await openZip(file, { maxRatio: 1e9, maxTotalBytes: big + 10 });
  assert.deepEqual(total.entries.map((e) => e.name), ['bomb.bin']);
  assert.match(total.warnings[0]!.message, /entry "small.txt".*in total/);
  total.close();
  const permissive = await openZip(file, { maxRatio: 1e9 });
  assert.deepEqual(await hashEntry(permissive, permissive.find('bomb.bin')!), {
    sha256: createHash('sha256').update(Buffer.alloc(big)).digest('hex'),
    size: big,
  });
  permissive.close();
});

test('an entry that lies about its size is refused or fails as corrupt, never expands past the declaration', async () => {
  const file = write(setDeclaredSize(await buildZip([{ name: 'liar.bin', data: Buffer.alloc(1 << 20) }]), 'liar.bin', 0xf0000000));
  const zip = await openZip(file);
  assert.equal(zip.entries.length, 0);
  assert.match(zip.warnings[0]!.message, /zip bomb/);
  zip.close();
  // Declaring less than the content holds: reading stops with an error naming the entry.
  const short = write(setDeclaredSize(await buildZip([{ name: 'short.bin', data: Buffer.alloc(1 << 20) }]), 'short.bin', 1000));
  const z2 = await openZip(short);
  await rejectsCorrupt(readAll(await z2.openEntry(z2.find('short.bin')!)), short, /^entry short\.bin$/);
  z2.close();
});

test('truncated, empty and random files are IMPORT_SOURCE_CORRUPT naming the file', async () => {
  const good = await buildZip([{ name: 'a.txt', data: 'hello '.repeat(100) }, { name: 'b.txt', data: 'world' }]);
  const truncated = write(good.subarray(0, good.length - 30));
  const err = await rejectsCorrupt(openZip(truncated), truncated);
  assert.match(err.message, /not a readable zip archive/);
  await rejectsCorrupt(openZip(write(Buffer.alloc(0))), path.join(dir, `z${n - 1}.zip`));
  const random = write(Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24)));
  await rejectsCorrupt(openZip(random), random);
  assert.equal(looksLikeZip(random), false);
  // The central directory survives but the data is cut short.
  const cd = good.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  const holed = Buffer.concat([good.subarray(0, 10), good.subarray(cd)]);
  const holedFile = write(holed);
  await assert.rejects(openZip(holedFile), (e: unknown) => e instanceof HoldfastError && e.code === 'IMPORT_SOURCE_CORRUPT');
});

test('damaged entry content is an error naming the entry (deflate error or CRC mismatch)', async () => {
  const text = Buffer.from('The quick brown fox jumps over the lazy dog. '.repeat(200));
  const buf = await buildZip([{ name: 'deflated.txt', data: text }, { name: 'stored.txt', data: text, compress: false }]);
  // Flip bytes inside each entry's data (after its 30-byte local header and name).
  const damaged = Buffer.from(buf);
  const storedAt = damaged.indexOf(Buffer.from('stored.txt')) + 'stored.txt'.length + 100;
  damaged.writeUInt8(damaged.readUInt8(storedAt) ^ 0xff, storedAt);
  const deflAt = damaged.indexOf(Buffer.from('deflated.txt')) + 'deflated.txt'.length + 5;
  for (let i = 0; i < 40; i++) damaged.writeUInt8(damaged.readUInt8(deflAt + i) ^ 0x5a, deflAt + i);
  const file = write(damaged);
  const zip = await openZip(file);
  const e1 = await rejectsCorrupt(readAll(await zip.openEntry(zip.find('stored.txt')!)), file, /^entry stored\.txt$/);
  assert.match(e1.message, /CRC-32 mismatch/);
  await rejectsCorrupt(readAll(await zip.openEntry(zip.find('deflated.txt')!)), file, /^entry deflated\.txt$/);
  zip.close();
});

test('a missing file is NOT_FOUND', async () => {
  await assert.rejects(openZip(path.join(dir, 'nope.zip')), (e: unknown) => e instanceof HoldfastError && e.code === 'NOT_FOUND');
});
