/**
 * WAL replay in memory (src/importers/sqlite/wal.ts) on logs written by SQLite itself: committed
 * transactions are applied; a torn last frame, a damaged frame and a foreign file are not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { tempDir } from '../helpers/case.ts';
import { applyWal } from '../../src/importers/sqlite/wal.ts';
import { openSqliteImage } from '../../src/importers/sqlite/memory-db.ts';

/** A database whose file holds row 1, and whose -wal holds two more transactions (rows 2, then 3). */
function walPair(): { db: Buffer; wal: Buffer; frameSize: number } {
  const dir = tempDir();
  const file = path.join(dir, 'live.db');
  const live = new Database(file);
  live.pragma('journal_mode = WAL');
  live.pragma('wal_autocheckpoint = 0');
  live.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO t VALUES (1, 'in the file')`);
  live.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  live.prepare('INSERT INTO t VALUES (2, ?)').run('first transaction in the log');
  live.prepare('INSERT INTO t VALUES (3, ?)').run('second transaction in the log');
  const db = fs.readFileSync(file);
  const wal = fs.readFileSync(`${file}-wal`);
  const pageSize = live.pragma('page_size', { simple: true }) as number;
  live.close();
  return { db, wal, frameSize: 24 + pageSize };
}

const rows = (image: Buffer) => {
  const db = openSqliteImage(image, { label: 'test.db', file: 'test.db' });
  try {
    return (db.prepare('SELECT id FROM t ORDER BY id').pluck().all() as number[]);
  } finally {
    db.close();
  }
};

test('every committed transaction of the log is applied', () => {
  const { db, wal } = walPair();
  assert.deepEqual(rows(db), [1]);
  const r = applyWal(db, wal);
  assert.equal(r.ignored, undefined);
  assert.ok(r.framesApplied >= 2);
  assert.deepEqual(rows(r.image), [1, 2, 3]);
});

test('a torn last frame drops only the transaction it belongs to', () => {
  const { db, wal, frameSize } = walPair();
  const torn = wal.subarray(0, wal.length - Math.floor(frameSize / 2));
  assert.deepEqual(rows(applyWal(db, torn).image), [1, 2]);
});

test('a damaged frame ends the log there (checksums are cumulative)', () => {
  const { db, wal, frameSize } = walPair();
  const frames = (wal.length - 32) / frameSize;
  const damaged = Buffer.from(wal);
  damaged[32 + (frames - 1) * frameSize + 24 + 100]! ^= 0xff; // inside the page of the last frame
  assert.deepEqual(rows(applyWal(db, damaged).image), [1, 2]);
});

test('a file that is not a WAL is ignored with the reason', () => {
  const { db } = walPair();
  const r = applyWal(db, Buffer.from('not a write-ahead log at all, just some text'));
  assert.match(r.ignored ?? '', /bad magic/);
  assert.deepEqual(rows(r.image), [1]);
});
