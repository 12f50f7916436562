/**
 * The import wizard in Chromium with an encrypted WhatsApp for Android backup: it asks for the
 * backup key (not a password), refuses a wrong key with the core's error, and imports with the
 * 64-digit key typed in or with encrypted_backup.key given as a file.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { NO_CHROMIUM } from '../e2e/browser.ts';
import { pageUnderTest } from './harness.ts';
import type { PageUnderTest } from './harness.ts';
import { tempDir } from '../helpers/case.ts';
import { buildFixtureFolder } from '../helpers/whatsapp-android-db.ts';
import { crypt15KeyFile, writeCrypt15 } from '../helpers/whatsapp-crypt.ts';

let p: PageUnderTest;
const root = crypto.randomBytes(32);
let backup: string;
let keyFile: string;

before(async () => {
  if (NO_CHROMIUM) return;
  p = await pageUnderTest('test/components/pages/import-wizard.tsx');
  const plain = tempDir('holdfast-plain-');
  const database = fs.readFileSync(path.join(buildFixtureFolder(plain), 'msgstore.db'));
  fs.rmSync(plain, { recursive: true, force: true });
  backup = path.join(p.app.dir, 'msgstore.db.crypt15');
  fs.writeFileSync(backup, writeCrypt15(database, root));
  keyFile = path.join(p.app.dir, 'encrypted_backup.key');
  fs.writeFileSync(keyFile, crypt15KeyFile(root));
});
after(() => p?.close());

async function detect(): Promise<void> {
  await p.open();
  await p.page.getByLabel('Source').fill(backup);
  await p.page.getByRole('button', { name: 'Next' }).click();
  await p.page.getByRole('region', { name: 'Detected source' }).getByText('encryption (backup key needed)').waitFor();
}

async function importAndReport(): Promise<string> {
  await p.page.getByRole('button', { name: 'Import', exact: true }).click();
  const report = p.page.getByRole('region', { name: 'Import report' });
  await report.waitFor({ timeout: 120_000 });
  return report.innerText();
}

test('a .crypt15 backup: the wizard asks for the key, refuses a wrong one, imports with the 64 digits', { skip: NO_CHROMIUM }, async () => {
  await p.app.ctx.create(path.join(p.app.dir, 'typed.hfcase'), 'component passphrase', { name: 'Backups', displayTz: 'UTC' });
  await detect();
  assert.equal(await p.page.getByLabel('Backup password').count(), 0, 'a WhatsApp backup opens with a key, not a password');
  const keyBox = p.page.getByLabel('WhatsApp backup key');
  assert.equal(await keyBox.getAttribute('type'), 'password', 'the key is not shown on screen');

  await keyBox.fill(crypto.randomBytes(32).toString('hex'));
  const refused = await importAndReport();
  assert.match(refused, /BAD_PASSPHRASE/);
  assert.match(refused, /The key does not open msgstore\.db\.crypt15/);
  assert.equal(p.app.ctx.session().db.prepare('SELECT count(*) FROM import_runs').pluck().get(), 0, 'nothing was written');

  await p.page.getByRole('button', { name: 'Change the details and try again' }).click();
  await p.page.getByLabel('WhatsApp backup key').fill(root.toString('hex').match(/.{4}/g)!.join(' '));
  assert.match(await importAndReport(), /8 messages/);
  assert.equal(p.app.ctx.session().db.prepare("SELECT count(*) FROM source_files WHERE inner_path = 'msgstore.db.crypt15 (decrypted)'").pluck().get(), 1);
  assert.deepEqual(p.errors, []);
});

test('a .crypt15 backup with encrypted_backup.key given as a file', { skip: NO_CHROMIUM }, async () => {
  await p.app.ctx.create(path.join(p.app.dir, 'file.hfcase'), 'component passphrase', { name: 'Backups', displayTz: 'UTC' });
  await detect();
  await p.page.getByLabel('WhatsApp key file').fill(keyFile);
  assert.match(await importAndReport(), /8 messages/);
  assert.equal(p.app.ctx.session().db.prepare('SELECT count(*) FROM messages').pluck().get(), 8);
  assert.deepEqual(p.errors, []);
});
