import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3-multiple-ciphers';
import { cli, cliJson, cliJsonl, tempDir, PASSPHRASE, ROOT, filesContaining } from '../helpers/case.ts';
import { whatsappLines } from '../helpers/generate.ts';

interface ImportJson {
  sourceId: number;
  sha256: string;
  messages: number;
  conversations: number;
  duplicatesSkipped: number;
  alreadyImported: boolean;
}
interface InfoJson {
  messages: number;
  sources: number;
  conversations: number;
  schemaVersion: number;
}

function writeChat(file: string, lines: Iterable<string>): void {
  fs.writeFileSync(file, `${[...lines].join('\n')}\n`);
}

/** A raw SQLCipher connection, as someone with the passphrase and a SQLCipher client would have. */
function rawConnection(file: string): Database.Database {
  const db = new Database(file);
  db.pragma(`cipher='sqlcipher'`);
  db.pragma('legacy=4');
  db.key(Buffer.from(PASSPHRASE));
  return db;
}

test('create, info and formats follow the CLI contract', () => {
  const dir = tempDir();
  const file = path.join(dir, 'matter.hfcase');
  const created = cliJson<{ caseId: string; path: string; schemaVersion: number }>(['create', file, '--name', 'Matter X', '--json']);
  assert.equal(created.path, file);
  assert.match(created.caseId, /^[0-9a-f-]{36}$/);
  const info = cliJson<InfoJson>(['info', file, '--json']);
  assert.deepEqual({ messages: info.messages, sources: info.sources }, { messages: 0, sources: 0 });
  assert.equal(info.schemaVersion, created.schemaVersion);
  const again = cli(['create', file]);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /^holdfast: VALIDATION: .*already exists/m);
  const formats = cliJson<{ id: string; name: string; description: string }[]>(['formats', '--json']);
  assert.ok(formats.some((f) => f.id === 'whatsapp-txt'));
  const usage = cli(['import', file]);
  assert.equal(usage.status, 2, 'a missing SOURCE is a usage error');
});

test('wrong passphrase and foreign files give their codes on one stderr line', () => {
  const dir = tempDir();
  const file = path.join(dir, 'c.hfcase');
  cliJson(['create', file, '--json']);
  const bad = cli(['info', file, '--json'], { HOLDFAST_PASSPHRASE: 'wrong' });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^holdfast: BAD_PASSPHRASE: .*c\.hfcase/);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
  const text = path.join(dir, 'readme.txt');
  fs.writeFileSync(text, 'just text\n');
  assert.match(cli(['info', text]).stderr, /^holdfast: NOT_A_CASE: /);
  const missing = cli(['info', path.join(dir, 'nope.hfcase')]);
  assert.match(missing.stderr, /^holdfast: NOT_FOUND: /);
  const noPass = cli(['info', file], { HOLDFAST_PASSPHRASE: '' });
  assert.equal(noPass.status, 2, 'no passphrase and no terminal: usage error, never a prompt that hangs');
});

test('re-importing a source adds nothing; an overlapping later export adds only the new messages', () => {
  const dir = tempDir();
  const file = path.join(dir, 'c.hfcase');
  cliJson(['create', file, '--json']);
  const all = [...whatsappLines({ messages: 150, seed: 7 })];
  const first = path.join(dir, 'WhatsApp Chat with Trading Desk.txt');
  writeChat(first, all.slice(0, 100));
  const a = cliJson<ImportJson>(['import', file, first, '--tz', 'UTC', '--custodian', 'Alice', '--json']);
  assert.equal(a.messages, 100);
  const again = cliJson<ImportJson>(['import', file, first, '--json']);
  assert.equal(again.alreadyImported, true);
  assert.equal(again.messages, 0);
  assert.equal(again.sourceId, a.sourceId);
  fs.mkdirSync(path.join(dir, 'later'));
  const later = path.join(dir, 'later', 'WhatsApp Chat with Trading Desk.txt');
  writeChat(later, all.slice(40, 150));
  const b = cliJson<ImportJson>(['import', file, later, '--tz', 'UTC', '--custodian', 'Bob', '--json']);
  assert.equal(b.messages, 50, 'only messages 100..149 are new');
  assert.equal(b.duplicatesSkipped, 60);
  assert.equal(cliJson<InfoJson>(['info', file, '--json']).messages, 150);
  const msgs = cliJsonl<{ text: string; sentAt: string }>(['messages', file, '--jsonl']);
  assert.equal(msgs.length, 150);
  assert.deepEqual(msgs.map((m) => m.text.split('#')[1]), Array.from({ length: 150 }, (_, i) => String(i)));
  const audit = cliJson<{ action: string }[]>(['audit', file, '--json']);
  assert.deepEqual(audit.map((e) => e.action), ['case.create', 'case.signing-key', 'import', 'import.skipped', 'import']);
  assert.equal(cli(['verify', file]).status, 0);
});

test('verify names a message row and an audit entry changed behind the application\'s back', () => {
  const dir = tempDir();
  const file = path.join(dir, 'c.hfcase');
  cliJson(['create', file, '--json']);
  const chat = path.join(dir, 'WhatsApp Chat with X.txt');
  writeChat(chat, whatsappLines({ messages: 20, seed: 3 }));
  cliJson(['import', file, chat, '--tz', 'UTC', '--json']);
  assert.equal(cliJson<{ ok: boolean }>(['verify', file, '--json']).ok, true);
  const db = rawConnection(file);
  db.prepare("UPDATE messages SET text = 'nothing to see here' WHERE id = 5").run();
  db.exec('DROP TRIGGER audit_no_update');
  db.prepare("UPDATE audit_log SET actor = 'someone else' WHERE seq = 2").run();
  db.close();
  const r = cli(['verify', file, '--json']);
  assert.equal(r.status, 1);
  const result = JSON.parse(r.stdout) as { ok: boolean; problems: { table: string; id: number; field: string }[] };
  assert.equal(result.ok, false);
  assert.ok(result.problems.some((p) => p.table === 'messages' && p.id === 5 && p.field === 'content_sha256'));
  assert.ok(result.problems.some((p) => p.table === 'audit_log' && p.id === 2 && p.field === 'hash'));
});

test('rekey: the new passphrase opens the case, the old one no longer does', () => {
  const dir = tempDir();
  const file = path.join(dir, 'c.hfcase');
  cliJson(['create', file, '--json']);
  assert.deepEqual(cliJson(['rekey', file, '--json'], { HOLDFAST_NEW_PASSPHRASE: 'rotated passphrase' }), { ok: true });
  assert.match(cli(['info', file]).stderr, /BAD_PASSPHRASE/);
  assert.equal(cliJson<InfoJson>(['info', file, '--json'], { HOLDFAST_PASSPHRASE: 'rotated passphrase' }).messages, 0);
});

test('a killed import leaves the case consistent, and running it again completes it exactly', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'c.hfcase');
  cliJson(['create', file, '--json']);
  const chat = path.join(dir, 'WhatsApp Chat with Big.txt');
  writeChat(chat, whatsappLines({ messages: 60_000, seed: 11 }));
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/holdfast.js'), 'import', file, chat, '--tz', 'UTC'], {
    env: { ...process.env, HOLDFAST_PASSPHRASE: PASSPHRASE },
    stdio: 'ignore',
  });
  // Kill it once it has committed some messages (a reader sees the WAL), mid-run.
  const reader = rawConnection(file);
  const deadline = Date.now() + 60_000;
  let seen = 0;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 25));
    try {
      seen = reader.prepare('SELECT count(*) FROM messages').pluck().get() as number;
    } catch {
      continue;
    }
    if (seen > 0) break;
  }
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  reader.close();
  assert.ok(seen > 0 && seen < 60_000, `killed mid-import (saw ${seen} messages)`);
  const info = cliJson<InfoJson>(['info', file, '--json']);
  assert.equal(info.messages, 0, 'nothing half-imported is visible after reopening');
  assert.equal(info.sources, 0);
  assert.equal(cliJson<{ ok: boolean }>(['verify', file, '--json']).ok, true);
  const audit = cliJson<{ action: string; details: { reason?: string } }[]>(['audit', file, '--json']);
  assert.ok(audit.some((e) => e.action === 'import.rollback' && e.details.reason === 'interrupted'));
  const redo = cliJson<ImportJson>(['import', file, chat, '--tz', 'UTC', '--json']);
  assert.equal(redo.messages, 60_000);
  assert.equal(cliJson<InfoJson>(['info', file, '--json']).messages, 60_000);
});

test('an independent SQLCipher 4 client opens the case with the passphrase alone; no plaintext on disk', async () => {
  const dir = tempDir();
  const caseDir = path.join(dir, 'case');
  fs.mkdirSync(caseDir);
  const file = path.join(caseDir, 'c.hfcase');
  cliJson(['create', file, '--json']);
  const marker = 'ZEBRA-PLAINTEXT-MARKER-4471';
  const chat = path.join(dir, 'WhatsApp Chat with Marker.txt');
  writeChat(chat, [...whatsappLines({ messages: 50, seed: 5 }), `01/02/2024, 10:00 - Alice Smith: the code word is ${marker}`]);
  cliJson(['import', file, chat, '--tz', 'UTC', '--json']);
  assert.deepEqual(filesContaining(caseDir, marker), [], 'no file of the case holds the marker in plaintext');
  assert.deepEqual(filesContaining(caseDir, 'Alice Smith'), []);
  const { default: sqlcipher } = await import('@journeyapps/sqlcipher');
  const rows = await new Promise<{ text: string }[]>((resolve, reject) => {
    const db = new sqlcipher.Database(file);
    db.serialize(() => {
      db.run(`PRAGMA key = '${PASSPHRASE}'`);
      db.all(`SELECT text FROM messages WHERE text LIKE '%${marker}%'`, (err: Error | null, r: { text: string }[]) => {
        db.close();
        if (err) reject(err);
        else resolve(r);
      });
    });
  });
  assert.deepEqual(rows, [{ text: `the code word is ${marker}` }]);
  const refused = await new Promise<Error | null>((resolve) => {
    const db = new sqlcipher.Database(file);
    db.serialize(() => {
      db.run("PRAGMA key = 'wrong'");
      db.all('SELECT count(*) FROM messages', (err: Error | null) => {
        db.close();
        resolve(err);
      });
    });
  });
  assert.match(String(refused), /not a database/);
});
