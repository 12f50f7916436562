/**
 * Hostile sources beyond the generic sweep of hostile-inputs.test.ts, each generated here:
 * zip slip and zip bomb entries inside WhatsApp and Slack exports, XML with a DTD (billion laughs,
 * an external entity) in an SMS Backup & Restore file, SQLite sources that are locked, corrupt or
 * of an unexpected schema, deeply nested JSON, invalid UTF-8 in each text format, a 30 MB line.
 * Each import either succeeds with warnings or fails with one `holdfast: IMPORT_…` line naming the
 * file; the case keeps what it had; the child's peak memory stays bounded.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3-multiple-ciphers';
import { cli, cliJson, cliJsonl, makeCaseFile, PASSPHRASE, ROOT, tempDir } from '../helpers/case.ts';
import { whatsappLines } from '../helpers/generate.ts';
import { buildZip, zeros } from '../helpers/zip-writer.ts';
import { insert, oldChatDb } from '../helpers/imessage-db.ts';

const IMPORT_ERROR = /^holdfast: (IMPORT_UNSUPPORTED_SOURCE|IMPORT_SOURCE_CORRUPT|IMPORT_NEEDS_PASSWORD): /;
const MAX_RSS_KB = 1024 * 1024;

interface Outcome {
  status: number;
  stderr: string;
  stdout: string;
  /** Peak resident memory of the child (process.resourceUsage().maxRSS, KB). */
  maxRssKb: number;
}

/** `holdfast import` as a child that reports its own peak RSS on exit. */
function importMeasured(file: string, source: string, extra: string[] = []): Outcome {
  const dir = tempDir('holdfast-rss-');
  const preload = path.join(dir, 'rss.mjs');
  const out = path.join(dir, 'rss.txt');
  fs.writeFileSync(preload, `import fs from 'node:fs';\nprocess.on('exit', () => fs.writeFileSync(${JSON.stringify(out)}, String(process.resourceUsage().maxRSS)));\n`);
  const r = spawnSync(process.execPath, ['--import', preload, path.join(ROOT, 'bin/holdfast.js'), 'import', file, source, '--tz', 'UTC', '--json', ...extra], {
    env: { ...process.env, HOLDFAST_PASSPHRASE: PASSPHRASE },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    // A hang is a failure here, not a test file that never ends (a backtracking pattern once did that).
    timeout: 300_000,
  });
  assert.equal(r.signal, null, `${path.basename(file)}: the import did not finish within 5 minutes`);
  const maxRssKb = Number(fs.readFileSync(out, 'utf8'));
  fs.rmSync(dir, { recursive: true, force: true });
  return { status: r.status ?? -1, stderr: r.stderr, stdout: r.stdout, maxRssKb };
}

/** Success with warnings, or one typed import error naming the source; never a crash. */
function assertHandled(o: Outcome, source: string): { warnings: { code: string; message: string }[]; messages: number } | undefined {
  const name = path.basename(source);
  if (o.status === 0) return JSON.parse(o.stdout) as { warnings: { code: string; message: string }[]; messages: number };
  assert.equal(o.status, 1, `${name}: exit ${o.status}: ${o.stderr}`);
  assert.match(o.stderr, IMPORT_ERROR, `${name}: ${o.stderr}`);
  assert.ok(o.stderr.includes(name), `${name}: the error names the file: ${o.stderr}`);
  assert.equal(o.stderr.trim().split('\n').length, 1);
  return undefined;
}

function newCaseFile(): string {
  const file = path.join(tempDir(), 'c.hfcase');
  makeCaseFile(file);
  return file;
}

/**
 * Every file under the folders a zip slip would reach (the source's folder, its parents up to the
 * temp dir). Other tests create and remove folders there meanwhile: a folder gone while we walk is skipped.
 */
function findNamed(name: string, roots: string[]): string[] {
  const hits: string[] = [];
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const e of entries) {
      if (e.name === name) hits.push(path.join(dir, e.name));
      if (e.isDirectory()) walk(path.join(dir, e.name));
    }
  };
  for (const root of roots) walk(root);
  return hits;
}

test('zip slip and zip bomb entries in WhatsApp and Slack exports: nothing written outside, bounded memory, warnings', async () => {
  const file = newCaseFile();
  const dir = tempDir();
  const chat = [...whatsappLines({ messages: 40, seed: 81 }), '02/02/2024, 10:00 - Bob Jones: bomb.jpg (file attached)'];
  const bombSize = 200 * 1024 ** 2;
  const wa = path.join(dir, 'WhatsApp Chat with Hostile.zip');
  fs.writeFileSync(
    wa,
    await buildZip([
      { name: 'WhatsApp Chat with Hostile.txt', data: `${chat.join('\n')}\n` },
      { name: '../../slip-whatsapp.txt', data: 'escaped' },
      { name: '/tmp/slip-absolute.txt', data: 'escaped' },
      { name: 'bomb.jpg', data: zeros(bombSize), size: bombSize },
    ]),
  );
  const waOut = importMeasured(file, wa);
  const waResult = assertHandled(waOut, wa);
  assert.ok(waResult, `the readable part of the WhatsApp export imports: ${waOut.stderr}`);
  assert.equal(waResult.messages, 41);
  const texts = waResult.warnings.map((w) => w.message).join('\n');
  assert.match(texts, /zip slip/);
  assert.match(texts, /zip bomb|bomb\.jpg/);
  assert.ok(waOut.maxRssKb < MAX_RSS_KB, `peak RSS ${waOut.maxRssKb} KB on a ${bombSize}-byte bomb entry`);

  const slack = path.join(dir, 'Hostile Slack export.zip');
  const day = [{ type: 'message', user: 'U1', text: 'hello from slack', ts: '1672531200.000100' }];
  fs.writeFileSync(
    slack,
    await buildZip([
      { name: 'users.json', data: JSON.stringify([{ id: 'U1', name: 'alice', real_name: 'Alice' }]) },
      { name: 'channels.json', data: JSON.stringify([{ id: 'C1', name: 'general', created: 1672531200, members: ['U1'] }]) },
      { name: 'general/2023-01-01.json', data: JSON.stringify(day) },
      { name: 'general/../../slip-slack.json', data: JSON.stringify(day) },
      { name: 'general/2023-01-02.json', data: zeros(bombSize), size: bombSize },
    ]),
  );
  const slackOut = importMeasured(file, slack);
  assertHandled(slackOut, slack);
  assert.ok(slackOut.maxRssKb < MAX_RSS_KB, `peak RSS ${slackOut.maxRssKb} KB`);

  assert.deepEqual(findNamed('slip-whatsapp.txt', [path.dirname(dir), path.dirname(file)]), []);
  assert.deepEqual(findNamed('slip-slack.json', [path.dirname(dir), path.dirname(file)]), []);
  assert.ok(!fs.existsSync('/tmp/slip-absolute.txt'));
  assert.equal(cli(['verify', file]).status, 0);
});

test('XML with a DTD in an SMS backup: entities are never expanded nor fetched', () => {
  const file = newCaseFile();
  const dir = tempDir();
  const secretFile = path.join(dir, 'outside-secret.txt');
  const secret = 'EXTERNAL-ENTITY-CONTENT-5c1d';
  fs.writeFileSync(secretFile, secret);
  const laughs = ['<!ENTITY lol0 "LAUGH">'];
  for (let i = 1; i <= 9; i++) laughs.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE smses [ ${laughs.join(' ')} <!ENTITY xxe SYSTEM "file://${secretFile}"> <!ENTITY net SYSTEM "http://127.0.0.1:9/evil.dtd"> ]>
<smses count="3">
  <sms protocol="0" address="+15550100" date="1672531200000" type="1" body="laughs &lol9; end" read="1" status="-1" contact_name="A" />
  <sms protocol="0" address="+15550100" date="1672531260000" type="1" body="external &xxe; end" read="1" status="-1" contact_name="A" />
  <sms protocol="0" address="+15550100" date="1672531320000" type="2" body="plain message" read="1" status="-1" contact_name="A" />
</smses>
`;
  const src = path.join(dir, 'sms-20240101000000.xml');
  fs.writeFileSync(src, xml);
  const o = importMeasured(file, src);
  assertHandled(o, src);
  assert.ok(o.maxRssKb < MAX_RSS_KB, `peak RSS ${o.maxRssKb} KB`);
  const all = JSON.stringify(cliJsonl(['messages', file, '--jsonl']));
  assert.ok(!all.includes('LAUGHLAUGH'), 'the billion laughs were not expanded');
  assert.ok(!all.includes(secret), 'the external entity was not read');
  assert.equal(cli(['verify', file]).status, 0);
});

function chatDbWithMessages(file: string, n: number): void {
  const db = oldChatDb(file);
  const h = insert(db, 'handle', { id: '+15550100', service: 'SMS' });
  const c = insert(db, 'chat', { guid: 'SMS;-;+15550100', style: 45, chat_identifier: '+15550100', service_name: 'SMS' });
  insert(db, 'chat_handle_join', { chat_id: c, handle_id: h });
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const m = insert(db, 'message', { guid: `G${i}`, text: `message number ${i} ${'pad '.repeat(20)}`, handle_id: h, service: 'SMS', date: 600_000_000 + i, is_from_me: i % 2 });
      insert(db, 'chat_message_join', { chat_id: c, message_id: m });
    }
  })();
  db.close();
}

test('SQLite sources: locked by another writer, corrupt pages, an unexpected schema', () => {
  const file = newCaseFile();
  const dir = tempDir();
  // Locked: another process (here: this one) holds a write transaction on a rollback-journal database.
  const lockedDir = path.join(dir, 'locked');
  fs.mkdirSync(lockedDir);
  const locked = path.join(lockedDir, 'chat.db');
  chatDbWithMessages(locked, 300);
  const holder = new Database(locked);
  holder.pragma('journal_mode = DELETE');
  holder.exec('BEGIN EXCLUSIVE');
  holder.prepare("UPDATE message SET text = 'changed' WHERE ROWID = 1").run();
  try {
    assertHandled(importMeasured(file, locked), locked);
  } finally {
    holder.exec('ROLLBACK');
    holder.close();
  }
  // Corrupt: every page after the first two overwritten with random bytes.
  const corruptDir = path.join(dir, 'corrupt');
  fs.mkdirSync(corruptDir);
  const corrupt = path.join(corruptDir, 'chat.db');
  chatDbWithMessages(corrupt, 2000);
  const bytes = fs.readFileSync(corrupt);
  const page = bytes.readUInt16BE(16) || 65536;
  for (let at = 2 * page; at < bytes.length; at += page) randomBytes(page).copy(bytes, at);
  fs.writeFileSync(corrupt, bytes);
  assertHandled(importMeasured(file, corrupt), corrupt);
  // Unexpected schema: a database named like a Messages store whose tables are something else.
  const oddDir = path.join(dir, 'odd');
  fs.mkdirSync(oddDir);
  const odd = path.join(oddDir, 'chat.db');
  const db = new Database(odd);
  db.exec("CREATE TABLE message (a, b); INSERT INTO message VALUES (1, 'x'); CREATE TABLE chat (z);");
  db.close();
  assertHandled(importMeasured(file, odd, ['--format', 'imessage-db']), odd);
  assertHandled(importMeasured(file, odd, ['--format', 'whatsapp-android-db']), odd);
  assert.equal(cli(['verify', file]).status, 0);
});

test('deeply nested JSON (Telegram), invalid UTF-8 in every text format, a 30 MB line: bounded, no stack overflow', () => {
  const file = newCaseFile();
  const dir = tempDir();
  const deep = `{"name":"x","type":"personal_chat","id":1,"messages":[${'{"a":['.repeat(100_000)}${']}'.repeat(100_000)}]}`;
  const telegram = path.join(dir, 'result.json');
  fs.writeFileSync(telegram, deep);
  assertHandled(importMeasured(file, telegram, ['--format', 'telegram-json']), telegram);
  const invalid = Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0x28, 0xff, 0xfe]);
  const texts: [string, Buffer][] = [
    ['WhatsApp Chat with Broken.txt', Buffer.concat([Buffer.from('01/02/2024, 10:00 - Alice: hello '), invalid, Buffer.from('\n01/02/2024, 10:01 - Bob: ok\n')])],
    ['sms-20240102000000.xml', Buffer.concat([Buffer.from('<?xml version="1.0" encoding="UTF-8"?><smses count="1"><sms protocol="0" address="+1555" date="1672531200000" type="1" body="a'), invalid, Buffer.from('" read="1" status="-1" /></smses>')])],
    ['broken.mbox', Buffer.concat([Buffer.from('From a@b Mon Jan  1 00:00:00 2024\nFrom: a@b.example\nSubject: '), invalid, Buffer.from('\nDate: Mon, 1 Jan 2024 00:00:00 +0000\n\nbody '), invalid, Buffer.from('\n')])],
    ['broken.eml', Buffer.concat([Buffer.from('From: a@b.example\nSubject: x\nContent-Type: text/plain; charset=utf-8\n\n'), invalid])],
  ];
  for (const [name, content] of texts) {
    const src = path.join(dir, name);
    fs.writeFileSync(src, content);
    assertHandled(importMeasured(file, src), src);
  }
  const long = path.join(dir, 'WhatsApp Chat with Long.txt');
  fs.writeFileSync(long, `01/02/2024, 10:00 - Alice: ${'y'.repeat(30 * 1024 * 1024)}\n01/02/2024, 10:01 - Bob: short\n`);
  const o = importMeasured(file, long);
  assertHandled(o, long);
  assert.ok(o.maxRssKb < MAX_RSS_KB, `peak RSS ${o.maxRssKb} KB on a 30 MB line`);
  assert.equal(cli(['verify', file]).status, 0);
});
