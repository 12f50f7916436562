/**
 * Regression tests for the outside security review's low and informational findings: one
 * passphrase policy, no native module chosen by the environment when packaged, the passphrase
 * removed from the environment once read, killed productions' folders cleaned, migration backups
 * re-keyed, and a truncated zip named as corrupt.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { cli, cliJson, makeCaseFile, PASSPHRASE, ROOT, tempDir } from '../helpers/case.ts';
import { main } from '../../src/cli/main.ts';
import { createCase, openCase } from '../../src/case/open.ts';
import { MIGRATIONS } from '../../src/case/migrations/index.ts';
import { HoldfastError } from '../../src/api/errors.ts';
import { sqliteBinding } from '../../electron/native-binding.ts';
import { chatter, writeExport, writeExportZip } from '../review/corpus.ts';

test('weak passphrases are refused with WEAK_PASSPHRASE by create and rekey; nothing changes', () => {
  const dir = tempDir();
  const file = path.join(dir, 'weak.hfcase');
  for (const weak of ['a', 'short pass', 'xxxxxxxxxxxxxxxx']) {
    const r = cli(['create', file], { HOLDFAST_PASSPHRASE: weak });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^holdfast: WEAK_PASSPHRASE: /);
    assert.ok(!fs.existsSync(file), 'no file is left behind');
  }
  makeCaseFile(file);
  const r = cli(['rekey', file], { HOLDFAST_NEW_PASSPHRASE: 'abc' });
  assert.match(r.stderr, /^holdfast: WEAK_PASSPHRASE: .*at least 12 characters/);
  assert.equal(cliJson<unknown[]>(['audit', file, '--action', 'case.rekey', '--json']).length, 0, 'a refused rekey is not recorded');
  assert.equal(cli(['info', file]).status, 0, 'the old passphrase still opens the case');
  assert.throws(() => createCase(path.join(dir, 'api.hfcase'), 'a'), (e: unknown) => e instanceof HoldfastError && e.code === 'WEAK_PASSPHRASE');
});

test('packaged, the app ignores HOLDFAST_SQLITE_BINDING and loads only the module it ships', () => {
  const env = { HOLDFAST_SQLITE_BINDING: '/tmp/evil.node' };
  assert.equal(sqliteBinding(env, true, '/app/resources/native/better_sqlite3.node', true), '/app/resources/native/better_sqlite3.node');
  assert.equal(sqliteBinding(env, true, '/app/resources/native/better_sqlite3.node', false), undefined);
  assert.equal(sqliteBinding(env, false, '/app/resources/native/better_sqlite3.node', true), '/tmp/evil.node', 'development builds may point at a local build');
});

test('HOLDFAST_PASSPHRASE is removed from the environment once read', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'env.hfcase');
  makeCaseFile(file);
  const env: NodeJS.ProcessEnv = { HOLDFAST_PASSPHRASE: PASSPHRASE, HOLDFAST_NEW_PASSPHRASE: 'a new long passphrase' };
  const out = new PassThrough();
  const code = await main({ argv: ['rekey', file], stdout: out, stderr: new PassThrough(), env, signal: new AbortController().signal });
  assert.equal(code, 0);
  assert.deepEqual(Object.keys(env), [], 'neither passphrase is left in the environment');
  assert.equal(cli(['info', file], { HOLDFAST_PASSPHRASE: 'a new long passphrase' }).status, 0);
});

test('a killed production leaves no plaintext folder after the next production elsewhere or the next open', () => {
  const dir = tempDir();
  const file = path.join(dir, 'case.hfcase');
  makeCaseFile(file);
  cliJson(['import', file, writeExport(dir, 'Desk', chatter({ start: Date.UTC(2024, 0, 2, 9), count: 5, stepMs: 3_600_000, authors: ['Alice Smith', 'Bob Jones'] })), '--json']);
  // A process starts a production (its temporary folder holds plaintext) and dies without cleaning up.
  const killed = (out: string) => {
    const script = `
      const { openSession } = await import(${JSON.stringify(path.join(ROOT, 'src/app/open-session.ts'))});
      const { ProductionOutput } = await import(${JSON.stringify(path.join(ROOT, 'src/production/output.ts'))});
      const { rememberPartial } = await import(${JSON.stringify(path.join(ROOT, 'src/production/abandoned.ts'))});
      const { dataOf } = await import(${JSON.stringify(path.join(ROOT, 'src/case/data/index.ts'))});
      const s = openSession(${JSON.stringify(file)}, ${JSON.stringify(PASSPHRASE)});
      const o = ProductionOutput.create(${JSON.stringify(out)});
      rememberPartial(dataOf(s), o.tempDir);
      await o.writeFile('TEXT/secret.txt', 'plaintext of a produced message');
      process.stdout.write(o.tempDir);
      process.kill(process.pid, 'SIGKILL');`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(r.signal, 'SIGKILL', r.stderr);
    assert.ok(fs.existsSync(path.join(r.stdout, 'TEXT', 'secret.txt')), 'the killed production left its folder');
    return r.stdout;
  };
  const first = killed(path.join(dir, 'elsewhere', 'prod-a'));
  assert.equal(cli(['produce', file, '--format', 'dat', '--out', path.join(dir, 'prod-b'), '--json']).status, 0);
  assert.ok(!fs.existsSync(first), 'the next production, in another folder, removed it');
  const second = killed(path.join(dir, 'elsewhere', 'prod-c'));
  assert.equal(cli(['info', file]).status, 0);
  assert.ok(!fs.existsSync(second), 'the next open of the case removed it');
});

test('rekey re-keys the encrypted copies made before migrations', () => {
  const dir = tempDir();
  const file = path.join(dir, 'old.hfcase');
  createCase(file, PASSPHRASE, {}, { migrations: [MIGRATIONS[0]!] }).db.close();
  const upgraded = openCase(file, PASSPHRASE);
  upgraded.db.close();
  const backup = upgraded.backupPath!;
  assert.ok(fs.existsSync(backup));
  assert.equal(cli(['rekey', file], { HOLDFAST_NEW_PASSPHRASE: 'the rotated passphrase' }).status, 0);
  assert.throws(() => openCase(backup, PASSPHRASE, { readonly: true, migrations: [MIGRATIONS[0]!] }), (e: unknown) => e instanceof HoldfastError && e.code === 'BAD_PASSPHRASE');
  const again = openCase(backup, 'the rotated passphrase', { readonly: true, migrations: [MIGRATIONS[0]!] });
  assert.equal(again.schemaVersion, 1);
  again.db.close();
});

test('a truncated zip is IMPORT_SOURCE_CORRUPT, not IMPORT_UNSUPPORTED_SOURCE', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'case.hfcase');
  makeCaseFile(file);
  const zip = await writeExportZip(dir, 'Cut', chatter({ start: Date.UTC(2024, 0, 2, 9), count: 40, stepMs: 60_000, authors: ['Alice Smith', 'Bob Jones'] }));
  const bytes = fs.readFileSync(zip);
  fs.writeFileSync(zip, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
  const r = cli(['import', file, zip]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^holdfast: IMPORT_SOURCE_CORRUPT: .*Cut\.zip/);
});
