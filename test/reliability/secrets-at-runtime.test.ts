/**
 * Secrets while the work runs: the passphrase never in a process's command line or title; no
 * plaintext of a message or attachment in any file an import or a production writes (temp folder
 * included) other than the production's own output; backup key material zeroed after use.
 */
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { cliJson, tempDir, filesContaining, ROOT } from '../helpers/case.ts';
import { whatsappLines } from '../helpers/generate.ts';
import { buildZip } from '../helpers/zip-writer.ts';

const SECRET = 'Runtime-Passphrase-Marker-90be';
const TEXT_MARKER = 'Plaintext-Message-Marker-3d7f';
const MEDIA_MARKER = 'Plaintext-Attachment-Marker-c41a';

function holdfast(args: string[], env: Record<string, string>): { pid: number; exited: Promise<{ code: number; stderr: string }> } {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/holdfast.js'), ...args], {
    env: { ...process.env, HOLDFAST_PASSPHRASE: SECRET, HOLDFAST_EXAMINER: 'Tester', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return { pid: child.pid!, exited: new Promise((resolve) => child.once('exit', (code) => resolve({ code: code ?? -1, stderr }))) };
}

/** Command line and titles of `pid` and its threads, sampled until it exits. */
async function sampleTitles(pid: number, exited: Promise<unknown>): Promise<string[]> {
  const seen = new Set<string>();
  let done = false;
  void exited.then(() => (done = true));
  while (!done) {
    try {
      seen.add(fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1'));
      seen.add(fs.readFileSync(`/proc/${pid}/comm`, 'latin1'));
      for (const t of fs.readdirSync(`/proc/${pid}/task`)) seen.add(fs.readFileSync(`/proc/${pid}/task/${t}/comm`, 'latin1'));
    } catch {
      // The process ended between two reads.
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return [...seen];
}

test('during an import and a production: no passphrase in command lines or titles, no plaintext outside the production', { skip: process.platform !== 'linux' ? 'reads /proc' : false }, async () => {
  const caseDir = tempDir('holdfast-case-');
  const tmp = tempDir('holdfast-tmpdir-');
  const inputs = tempDir('holdfast-inputs-');
  const file = path.join(caseDir, 'c.hfcase');
  cliJson(['create', file, '--json'], { HOLDFAST_PASSPHRASE: SECRET });
  const lines = [...whatsappLines({ messages: 3000, seed: 95 })];
  lines.push(`03/03/2024, 10:00 - Alice Smith: the code word is ${TEXT_MARKER}`, '03/03/2024, 10:01 - Alice Smith: notes.txt (file attached)');
  const zip = path.join(inputs, 'WhatsApp Chat with Secret.zip');
  fs.writeFileSync(zip, await buildZip([
    { name: 'WhatsApp Chat with Secret.txt', data: `${lines.join('\n')}\n` },
    { name: 'notes.txt', data: `attachment body ${MEDIA_MARKER}\n` },
  ]));
  const env = { TMPDIR: tmp, TEMP: tmp, TMP: tmp };

  const imp = holdfast(['import', file, zip, '--tz', 'UTC', '--json'], env);
  const titles = await sampleTitles(imp.pid, imp.exited);
  const imported = await imp.exited;
  assert.equal(imported.code, 0, imported.stderr);
  const out = path.join(inputs, 'production');
  const prod = holdfast(['produce', file, '--format', 'pdf', '--out', out, '--query', 'code word', '--json'], env);
  titles.push(...(await sampleTitles(prod.pid, prod.exited)));
  const produced = await prod.exited;
  assert.equal(produced.code, 0, produced.stderr);

  assert.ok(titles.length > 0);
  for (const t of titles) assert.ok(!t.includes(SECRET), `the passphrase shows in a command line or title: ${t}`);
  for (const marker of [TEXT_MARKER, MEDIA_MARKER, 'Alice Smith', SECRET]) {
    assert.deepEqual(filesContaining(caseDir, marker), [], `${marker} in plaintext in the case folder`);
    assert.deepEqual(filesContaining(tmp, marker), [], `${marker} in plaintext in the temp folder`);
  }
  // The inputs folder holds the source and the production: nothing else was written beside them.
  assert.deepEqual(fs.readdirSync(inputs).sort(), ['WhatsApp Chat with Secret.zip', 'production']);
  assert.ok(fs.existsSync(path.join(out, 'manifest.json')));
});

test('iOS backup unlocking zeroes the password bytes and every derived key it does not hand back', async () => {
  // Record every buffer PBKDF2 sees or returns (the module binds crypto.pbkdf2 when it loads).
  const seen: Buffer[] = [];
  const real = crypto.pbkdf2;
  mock.method(crypto, 'pbkdf2', (pw: Buffer, salt: Buffer, iter: number, len: number, digest: string, cb: (e: Error | null, k: Buffer) => void) => {
    seen.push(pw);
    real(pw, salt, iter, len, digest, (err, key) => {
      if (key) seen.push(key);
      cb(err, key);
    });
  });
  const { unlockKeybag, parseKeybag, wipeKeys } = await import('../../src/importers/ios-backup/keybag.ts');
  mock.restoreAll();
  const tlv = (tag: string, v: Buffer | number) => {
    const value = typeof v === 'number' ? Buffer.from([v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255]) : v;
    const head = Buffer.alloc(8);
    head.write(tag, 0, 'latin1');
    head.writeUInt32BE(value.length, 4);
    return Buffer.concat([head, value]);
  };
  const password = 'Backup-Password-Wipe-Test';
  const dpsl = crypto.randomBytes(20);
  const salt = crypto.randomBytes(20);
  const passcodeKey = crypto.pbkdf2Sync(crypto.pbkdf2Sync(Buffer.from(password), dpsl, 10, 32, 'sha256'), salt, 10, 32, 'sha1');
  const classKey = crypto.randomBytes(32);
  const wrap = crypto.createCipheriv('id-aes256-wrap', passcodeKey, Buffer.from('A6A6A6A6A6A6A6A6', 'hex'));
  const wrapped = Buffer.concat([wrap.update(classKey), wrap.final()]);
  const bag = parseKeybag(Buffer.concat([
    tlv('VERS', 4), tlv('TYPE', 1), tlv('UUID', crypto.randomBytes(16)), tlv('WRAP', 0), tlv('SALT', salt), tlv('ITER', 10),
    tlv('DPWT', 1), tlv('DPIC', 10), tlv('DPSL', dpsl), tlv('UUID', crypto.randomBytes(16)), tlv('CLAS', 1), tlv('WRAP', 2), tlv('KTYP', 0), tlv('WPKY', wrapped),
  ]));

  const keys = await unlockKeybag(bag, password);
  assert.ok(keys);
  assert.deepEqual(keys.get(1), classKey, 'the class key is unwrapped');
  assert.equal(seen.length, 4, 'password → DPSL key → passcode key');
  for (const b of seen) assert.ok(b.every((x) => x === 0), 'password bytes and derived keys are zeroed');
  const kept = keys.get(1)!;
  wipeKeys(keys);
  assert.ok(kept.every((x) => x === 0));
  assert.equal(keys.size, 0);

  seen.length = 0;
  assert.equal(await unlockKeybag(bag, 'wrong password'), undefined);
  assert.equal(seen.length, 4);
  for (const b of seen) assert.ok(b.every((x) => x === 0), 'zeroed on a wrong password too');
});
