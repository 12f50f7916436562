/**
 * Faults around the case file: two writers, a full disk, a read-only file system. The disk tests
 * mount a small tmpfs, which needs root (as on CI); elsewhere they are skipped with the reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import Database from 'better-sqlite3-multiple-ciphers';
import { cli, cliJson, makeCaseFile, PASSPHRASE, ROOT, tempDir } from '../helpers/case.ts';
import { whatsappLines } from '../helpers/generate.ts';

interface InfoJson {
  messages: number;
  sources: number;
}

function writeChat(file: string, messages: number, seed: number): void {
  fs.writeFileSync(file, `${[...whatsappLines({ messages, seed })].join('\n')}\n`);
}

function mountTmpfs(sizeKb: number): string | undefined {
  const dir = tempDir('holdfast-tmpfs-');
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', dir]);
  return r.status === 0 ? dir : undefined;
}

function unmount(dir: string): void {
  spawnSync('umount', [dir]);
}

const canMount = (() => {
  const dir = mountTmpfs(64);
  if (!dir) return false;
  unmount(dir);
  return true;
})();

test('a second writer is refused with CASE_BUSY while an import runs; nothing is lost', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'c.hfcase');
  makeCaseFile(file);
  const big = path.join(dir, 'WhatsApp Chat with Big.txt');
  writeChat(big, 120_000, 21);
  const small = path.join(dir, 'WhatsApp Chat with Small.txt');
  writeChat(small, 30, 22);
  const first = spawn(process.execPath, [path.join(ROOT, 'bin/holdfast.js'), 'import', file, big, '--tz', 'UTC', '--json'], {
    env: { ...process.env, HOLDFAST_PASSPHRASE: PASSPHRASE },
  });
  let out = '';
  first.stdout.on('data', (d) => (out += d));
  const exited = new Promise<number>((r) => first.once('exit', (code) => r(code ?? -1)));
  // Wait until the first import holds the lock (its run is recorded as running), then try a second one.
  const reader = new Database(file, { readonly: true });
  reader.pragma(`cipher='sqlcipher'`);
  reader.pragma('legacy=4');
  reader.key(Buffer.from(PASSPHRASE));
  const deadline = Date.now() + 120_000;
  let running = false;
  while (!running && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    try {
      running = reader.prepare("SELECT 1 FROM case_lock WHERE id = 1").get() !== undefined;
    } catch {
      // the writer may hold the file briefly; ask again
    }
  }
  reader.close();
  assert.ok(running, 'the first import took the write lock');
  const second = cli(['import', file, small, '--tz', 'UTC']);
  assert.equal(second.status, 1);
  assert.match(second.stderr, /^holdfast: CASE_BUSY: .*busy: import of WhatsApp Chat with Big\.txt by process \d+/);
  assert.equal(await exited, 0);
  const result = JSON.parse(out) as { messages: number };
  assert.equal(result.messages, 120_000);
  assert.equal(cliJson<InfoJson>(['info', file, '--json']).messages, 120_000, 'the refused import added nothing');
  assert.equal(cli(['verify', file]).status, 0);
});

test('a full disk fails the import with DISK_FULL and keeps everything the case had', { skip: canMount ? false : 'needs root to mount a small tmpfs' }, () => {
  const mnt = mountTmpfs(32768);
  assert.ok(mnt);
  try {
    const file = path.join(mnt, 'c.hfcase');
    makeCaseFile(file);
    const src = tempDir();
    const small = path.join(src, 'WhatsApp Chat with Small.txt');
    writeChat(small, 200, 31);
    cliJson(['import', file, small, '--tz', 'UTC', '--json']);
    // Fill the disk but for ~1.5 MB, as other files on a nearly full disk would.
    const ballast = path.join(mnt, 'ballast.bin');
    const free = fs.statfsSync(mnt).bavail * fs.statfsSync(mnt).bsize;
    fs.writeFileSync(ballast, Buffer.alloc(Math.max(0, free - 1536 * 1024)));
    const big = path.join(src, 'WhatsApp Chat with Big.txt');
    writeChat(big, 25_000, 32);
    const r = cli(['import', file, big, '--tz', 'UTC']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^holdfast: DISK_FULL: .*c\.hfcase/);
    // The user frees space; the case opens with exactly what it had, and the failed run left nothing.
    fs.rmSync(ballast);
    const info = cliJson<InfoJson>(['info', file, '--json']);
    assert.deepEqual({ messages: info.messages, sources: info.sources }, { messages: 200, sources: 1 });
    assert.equal(cli(['verify', file]).status, 0);
    assert.equal(cliJson<{ messages: number }>(['import', file, big, '--tz', 'UTC', '--json']).messages, 25_000, 'the same import completes once there is room');
  } finally {
    unmount(mnt);
  }
});

test('a case on a read-only file system gives CASE_READ_ONLY for writes', { skip: canMount ? false : 'needs root to mount a small tmpfs' }, () => {
  const mnt = mountTmpfs(4096);
  assert.ok(mnt);
  try {
    const file = path.join(mnt, 'c.hfcase');
    makeCaseFile(file);
    const src = tempDir();
    const chat = path.join(src, 'WhatsApp Chat with X.txt');
    writeChat(chat, 10, 41);
    assert.equal(spawnSync('mount', ['-o', 'remount,ro', mnt]).status, 0);
    const r = cli(['import', file, chat, '--tz', 'UTC']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^holdfast: CASE_READ_ONLY: /);
  } finally {
    unmount(mnt);
  }
});
