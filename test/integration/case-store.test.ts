import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import Database from 'better-sqlite3-multiple-ciphers';
import { newCase, tempDir, PASSPHRASE, filesContaining } from '../helpers/case.ts';
import { openCase, createCase } from '../../src/case/open.ts';
import { MIGRATIONS } from '../../src/case/migrations/index.ts';
import type { Migration } from '../../src/case/migrations/types.ts';
import { putBlob, openBlob, CHUNK_SIZE } from '../../src/case/blobs.ts';
import { dataOf, rekeyOpenCase } from '../../src/case/data/index.ts';
import { HoldfastError } from '../../src/api/errors.ts';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return err instanceof HoldfastError ? err.code : `not a HoldfastError: ${String(err)}`;
  }
  return 'no error';
}

test('create, close and reopen an encrypted case', () => {
  const s = newCase();
  s.db.prepare("INSERT INTO custodians(name, created_at) VALUES ('Jane', 1)").run();
  s.close();
  const again = openCase(s.path, PASSPHRASE);
  assert.equal(again.db.prepare('SELECT name FROM custodians').pluck().get(), 'Jane');
  assert.equal(again.schemaVersion, MIGRATIONS.length);
  again.db.close();
});

test('a wrong passphrase is BAD_PASSPHRASE and leaves the file unchanged', () => {
  const s = newCase();
  s.close();
  const before = fs.readFileSync(s.path);
  assert.equal(code(() => openCase(s.path, 'not the passphrase')), 'BAD_PASSPHRASE');
  assert.deepEqual(fs.readFileSync(s.path), before);
});

test('files that are not cases are NOT_A_CASE', () => {
  const dir = tempDir();
  const plain = path.join(dir, 'plain.db');
  const db = new Database(plain);
  db.exec('CREATE TABLE t(x); INSERT INTO t VALUES (1)');
  db.close();
  const text = path.join(dir, 'notes.txt');
  fs.writeFileSync(text, 'hello, this is a text file\n'.repeat(300));
  const random = path.join(dir, 'random.bin');
  fs.writeFileSync(random, randomBytes(10_000));
  const empty = path.join(dir, 'empty.hfcase');
  fs.writeFileSync(empty, '');
  for (const f of [plain, text, random, empty]) assert.equal(code(() => openCase(f, PASSPHRASE)), 'NOT_A_CASE', f);
  // An encrypted database that is not a Holdfast case.
  const other = path.join(dir, 'other.db');
  fs.writeFileSync(other, '');
  const enc = new Database(other);
  enc.pragma(`cipher='sqlcipher'`);
  enc.pragma('legacy=4');
  enc.key(Buffer.from(PASSPHRASE));
  enc.exec('CREATE TABLE t(x)');
  enc.close();
  assert.equal(code(() => openCase(other, PASSPHRASE)), 'NOT_A_CASE');
});

test('a case from a newer schema is refused and not modified', () => {
  const s = newCase();
  s.db.prepare("UPDATE case_meta SET value = ? WHERE key = 'schema_version'").run(String(MIGRATIONS.length + 5));
  s.close();
  const before = fs.readFileSync(s.path);
  assert.equal(code(() => openCase(s.path, PASSPHRASE)), 'CASE_FROM_NEWER_VERSION');
  assert.deepEqual(fs.readFileSync(s.path), before);
});

test('migrations run in order, after an encrypted backup of the old file', () => {
  const s = newCase();
  s.db.prepare("INSERT INTO custodians(name, created_at) VALUES ('Kept', 1)").run();
  s.close();
  const next: Migration = { version: MIGRATIONS.length + 1, name: 'test-add-column', up: 'ALTER TABLE custodians ADD COLUMN email TEXT;' };
  const opened = openCase(s.path, PASSPHRASE, { migrations: [...MIGRATIONS, next] });
  assert.equal(opened.schemaVersion, MIGRATIONS.length + 1);
  assert.ok(opened.backupPath && fs.existsSync(opened.backupPath));
  assert.deepEqual(opened.db.prepare('SELECT name, email FROM custodians').all(), [{ name: 'Kept', email: null }]);
  opened.db.close();
  // The backup is the old schema, encrypted with the same passphrase.
  const backup = openCase(opened.backupPath!, PASSPHRASE);
  assert.equal(backup.schemaVersion, MIGRATIONS.length);
  backup.db.close();
  assert.equal(filesContaining(path.dirname(s.path), 'Kept').length, 0);
});

test('every migration applies on an empty database and yields the snapshot schema', () => {
  const dir = tempDir();
  const c = createCase(path.join(dir, 'snap.hfcase'), PASSPHRASE);
  const schema = c.db
    .prepare("SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
    .all()
    .map((r) => Object.values(r as object).join(' '));
  c.db.close();
  const snapshot = fs.readFileSync(new URL('./schema.snapshot.txt', import.meta.url), 'utf8').trim().split('\n');
  assert.deepEqual(schema, snapshot, 'schema changed: update test/integration/schema.snapshot.txt together with a new migration');
});

test('rekey changes the passphrase without losing anything', () => {
  const s = newCase();
  s.db.prepare("INSERT INTO custodians(name, created_at) VALUES ('Before rekey', 1)").run();
  rekeyOpenCase(s, 'new passphrase');
  s.close();
  assert.equal(code(() => openCase(s.path, PASSPHRASE)), 'BAD_PASSPHRASE');
  const again = openCase(s.path, 'new passphrase');
  assert.equal(again.db.prepare('SELECT name FROM custodians').pluck().get(), 'Before rekey');
  assert.equal(again.db.pragma('journal_mode', { simple: true }), 'wal');
  again.db.close();
});

test('a 50 MB attachment streams in and out in 1 MiB chunks', async () => {
  const s = newCase();
  const total = 50 * 1024 * 1024;
  const piece = 256 * 1024;
  let produced = 0;
  async function* source() {
    while (produced < total) {
      const b = Buffer.alloc(piece, produced / piece);
      produced += piece;
      yield b;
    }
  }
  const { createHash } = await import('node:crypto');
  const expected = createHash('sha256');
  for (let i = 0; i < total / piece; i++) expected.update(Buffer.alloc(piece, i));
  s.db.exec('BEGIN');
  const stored = await putBlob(dataOf(s), source(), { mime: 'video/mp4' });
  s.db.exec('COMMIT');
  assert.equal(stored.size, total);
  assert.equal(stored.sha256, expected.digest('hex'));
  const chunks = s.db.prepare('SELECT count(*) AS n, max(length(data)) AS biggest FROM blob_chunks WHERE sha256 = ?').get(stored.sha256) as { n: number; biggest: number };
  assert.equal(chunks.n, 50);
  assert.equal(chunks.biggest, CHUNK_SIZE);
  const back = createHash('sha256');
  let largestRead = 0;
  for await (const part of openBlob(dataOf(s), stored.sha256) as Readable) {
    largestRead = Math.max(largestRead, (part as Buffer).length);
    back.update(part as Buffer);
  }
  assert.equal(back.digest('hex'), stored.sha256);
  assert.ok(largestRead <= CHUNK_SIZE, 'read back one chunk at a time');
  // Same content again: stored once.
  s.db.exec('BEGIN');
  produced = 0;
  const again = await putBlob(dataOf(s), source(), {});
  s.db.exec('COMMIT');
  assert.equal(again.added, false);
  assert.equal(s.db.prepare('SELECT count(*) FROM blob_chunks').pluck().get(), 50);
  s.close();
});
