/** Passphrases and backup passwords never reach errors, output, the case's own tables or its files. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { cli, cliJson, tempDir, filesContaining } from '../helpers/case.ts';
import { whatsappLines } from '../helpers/generate.ts';

const CASE_SECRET = 'Passphrase-Marker-7f3a9c';
const BACKUP_SECRET = 'Backup-Password-Marker-51e0';

test('secrets stay out of errors, output, tables and files', () => {
  const dir = tempDir();
  const file = path.join(dir, 'c.hfcase');
  const env = { HOLDFAST_PASSPHRASE: CASE_SECRET, BACKUP_PW: BACKUP_SECRET };
  cliJson(['create', file, '--json'], env);
  const chat = path.join(tempDir(), 'WhatsApp Chat with X.txt');
  fs.writeFileSync(chat, `${[...whatsappLines({ messages: 30, seed: 9 })].join('\n')}\n`);
  const outputs = [
    cli(['import', file, chat, '--tz', 'UTC', '--backup-password-env', 'BACKUP_PW', '--json'], env),
    cli(['info', file], { HOLDFAST_PASSPHRASE: `${CASE_SECRET}-wrong` }),
    cli(['import', file, path.join(dir, 'missing.txt')], env),
    cli(['audit', file, '--json'], env),
    cli(['rekey', file], { ...env, HOLDFAST_NEW_PASSPHRASE: `${CASE_SECRET}-new` }),
  ];
  for (const o of outputs) {
    for (const secret of [CASE_SECRET, BACKUP_SECRET]) {
      assert.ok(!o.stdout.includes(secret) && !o.stderr.includes(secret), `secret leaked in output: ${o.stderr}${o.stdout}`);
    }
  }
  assert.deepEqual(filesContaining(dir, CASE_SECRET), []);
  assert.deepEqual(filesContaining(dir, BACKUP_SECRET), []);
  // Inside the decrypted case too: the source records that a password was supplied, never its value.
  const db = new Database(file, { readonly: true });
  db.pragma(`cipher='sqlcipher'`);
  db.pragma('legacy=4');
  db.key(Buffer.from(`${CASE_SECRET}-new`));
  const everything = JSON.stringify([
    db.prepare('SELECT * FROM sources').all(),
    db.prepare('SELECT * FROM import_runs').all(),
    db.prepare('SELECT * FROM audit_log').all(),
    db.prepare('SELECT * FROM case_meta').all(),
  ]);
  db.close();
  assert.ok(everything.includes('"password":"supplied"') || everything.includes('supplied'));
  for (const secret of [CASE_SECRET, BACKUP_SECRET]) assert.ok(!everything.includes(secret), 'no secret inside the case tables');
});
