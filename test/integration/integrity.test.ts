/**
 * Tamper evidence that survives the passphrase: anchors outside the case, signed productions that a
 * recipient checks with no case, and legal holds the database itself enforces.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { generateKeyPairSync, sign } from 'node:crypto';
import Database from 'better-sqlite3-multiple-ciphers';
import { cliHere, cliInProcess, PASSPHRASE, tempDir } from '../helpers/case.ts';
import type { CaseInfoDTO, ProductionResultDTO } from '../../src/api/dto.ts';
import { toErrorDTO } from '../../src/api/errors.ts';
import { auditHash, GENESIS_HASH } from '../../src/case/audit.ts';
import { purgeMessages } from '../../src/review/purge.ts';
import { createCase, openCase } from '../../src/case/open.ts';
import { MIGRATIONS } from '../../src/case/migrations/index.ts';
import { signingKeyInfo } from '../../src/case/signing-key.ts';
import { chatter, writeExport, writeExportZip } from '../review/corpus.ts';
import { createCaseFile, importFile, messagesOf, withCase } from '../review/helpers.ts';
import { dataOf, dataOfConnection } from '../../src/case/data/index.ts';

/** A connection made behind the application's back, as the SQLCipher command-line client would. */
function rawConnection(file: string): Database.Database {
  const db = new Database(file);
  db.pragma(`cipher='sqlcipher'`);
  db.pragma('legacy=4');
  db.key(Buffer.from(PASSPHRASE));
  return db;
}

interface Head {
  seq: number;
  hash: string;
  at: string;
}

/**
 * What a passphrase holder can do with the SQLCipher client: drop the protecting triggers, delete a
 * held message, lower the import's count so the row check balances, and rebuild the whole chain.
 */
function forge(file: string): void {
  const db = rawConnection(file);
  for (const t of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").pluck().all() as string[]) db.exec(`DROP TRIGGER "${t}"`);
  const victim = db.prepare('SELECT message_id FROM hold_items ORDER BY message_id LIMIT 1').pluck().get() as number;
  db.prepare('DELETE FROM hold_items WHERE message_id = ?').run(victim);
  db.prepare('DELETE FROM message_occurrences WHERE message_id = ?').run(victim);
  db.prepare('DELETE FROM messages WHERE id = ?').run(victim);
  const entry = db.prepare("SELECT seq, details FROM audit_log WHERE action = 'import' ORDER BY seq LIMIT 1").get() as { seq: number; details: string };
  const details = JSON.parse(entry.details) as { messages: number };
  details.messages -= 1;
  db.prepare('UPDATE audit_log SET details = ? WHERE seq = ?').run(JSON.stringify(details), entry.seq);
  let prev = GENESIS_HASH;
  for (const r of db.prepare('SELECT seq, at, actor, action, details FROM audit_log ORDER BY seq').all() as { seq: number; at: number; actor: string; action: string; details: string }[]) {
    const hash = auditHash(prev, r);
    db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?').run(prev, hash, r.seq);
    prev = hash;
  }
  db.close();
}

/** What a `--json` command prints (exit 0 required), run by the CLI's code in this process. */
async function cliJson<T = unknown>(args: string[]): Promise<T> {
  const r = await cliInProcess(args);
  assert.equal(r.status, 0, `holdfast ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

test('a chain rebuilt behind the application is caught by an earlier production\'s anchor; an untouched case passes', async () => {
  const dir = tempDir();
  const caseFile = createCaseFile(dir);
  await importFile(caseFile, writeExport(dir, 'Desk', chatter({ start: Date.UTC(2024, 0, 2, 9), count: 12, stepMs: 3_600_000, authors: ['Alice Smith', 'Bob Jones'], seed: 5 })), 'Alice');
  await cliJson(['hold', caseFile, 'create', '--name', 'SEC', '--custodian', 'Alice', '--json']);
  const out = path.join(dir, 'production-001');
  await cliJson<ProductionResultDTO>(['produce', caseFile, '--format', 'xlsx', '--out', out, '--json']);
  const manifestFile = path.join(out, 'manifest.json');
  const inManifest = (JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { auditHead: Head }).auditHead;
  const head = await cliJson<Head>(['audit', caseFile, '--head', '--json']);
  assert.ok(head.seq > inManifest.seq, 'the production itself was audited after its manifest was sealed');
  assert.match(head.hash, /^[0-9a-f]{64}$/);
  assert.ok(!Number.isNaN(Date.parse(head.at)));
  const written = `${head.seq}:${head.hash}`;

  const untouched = path.join(dir, 'untouched.hfcase');
  fs.copyFileSync(caseFile, untouched);
  assert.equal((await cliHere(['verify', untouched, '--anchor', manifestFile, '--anchor', written])).status, 0, 'an untouched case holds both anchors');

  forge(caseFile);
  const plain = await cliHere(['verify', caseFile]);
  assert.equal(plain.status, 0, `without an anchor the rebuilt chain looks whole: ${plain.stdout}`);
  for (const anchor of [manifestFile, written]) {
    const r = await cliHere(['verify', caseFile, '--anchor', anchor]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^holdfast: VERIFY_FAILED: audit_log \d+ anchor: entry \d+ hashes to .* the chain was rewritten/);
  }
  const json = await cliHere(['verify', caseFile, '--anchor', manifestFile, '--json']);
  assert.equal(json.status, 1);
  assert.deepEqual((JSON.parse(json.stdout) as { problems: { field: string }[] }).problems.map((p) => p.field), ['anchor']);

  // An anchor beyond the chain's end (entries removed) and input that is no anchor.
  assert.match((await cliHere(['verify', untouched, '--anchor', `${head.seq + 50}:${head.hash}`])).stderr, /VERIFY_FAILED: .*no longer has: entries were removed/);
  assert.match((await cliHere(['verify', untouched, '--anchor', 'not-an-anchor'])).stderr, /^holdfast: VALIDATION: /);
});

test('productions are signed with the case key; verify-production needs no case and catches a changed file or manifest', async () => {
  const dir = tempDir();
  const caseFile = createCaseFile(dir);
  await importFile(caseFile, await writeExportZip(dir, 'Media', [
    { at: Date.UTC(2024, 1, 1, 9), author: 'Alice Smith', text: 'see the photo', media: { name: 'IMG-0001.jpg', data: Buffer.from('not really a jpeg, but bytes') } },
    { at: Date.UTC(2024, 1, 1, 10), author: 'Bob Jones', text: 'got it' },
  ]), 'Alice');
  const info = await cliJson<CaseInfoDTO>(['info', caseFile, '--json']);
  assert.equal(info.signingKey?.algorithm, 'Ed25519');
  assert.match(info.signingKey!.fingerprint, /^SHA256:[A-Za-z0-9+/]{43}$/);
  assert.match((await cliHere(['info', caseFile])).stdout, new RegExp(`fingerprint\\s+${info.signingKey!.fingerprint.replace(/[+/]/g, '\\$&')}`));

  const out = path.join(dir, 'prod');
  await cliJson(['produce', caseFile, '--format', 'dat', '--out', out, '--json']);
  const check = (env: Record<string, string> = {}) => cliHere(['verify-production', out, '--json'], { HOLDFAST_PASSPHRASE: '', ...env });
  let r = await check();
  assert.equal(r.status, 0, r.stderr);
  const ok = JSON.parse(r.stdout) as { fingerprint: string; auditHead: Head; bates: { first: string } };
  assert.equal(ok.fingerprint, info.signingKey!.fingerprint, 'verify-production prints the key the case shows');
  assert.equal(ok.bates.first, 'HF0000001');
  assert.ok(ok.auditHead.seq > 0);
  assert.match((await cliHere(['verify-production', out], { HOLDFAST_PASSPHRASE: '' })).stdout, new RegExp(`signed by\\s+${info.signingKey!.fingerprint.replace(/[+/]/g, '\\$&')}`));

  // A changed produced file.
  const native = fs.readdirSync(path.join(out, 'NATIVES'))[0]!;
  const nativePath = path.join(out, 'NATIVES', native);
  const original = fs.readFileSync(nativePath);
  fs.writeFileSync(nativePath, Buffer.concat([original, Buffer.from('!')]));
  r = await check();
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`^holdfast: VERIFY_FAILED: .*NATIVES/${native.replace('.', '\\.')} was changed`));
  fs.writeFileSync(nativePath, original);
  assert.equal((await check()).status, 0);

  // A changed manifest (the file's new hash written into it): the signature no longer matches.
  const manifestPath = path.join(out, 'manifest.json');
  const manifestText = fs.readFileSync(manifestPath, 'utf8');
  fs.writeFileSync(manifestPath, manifestText.replace('"HF0000001"', '"HF0000002"'));
  r = await check();
  assert.equal(r.status, 1);
  assert.match(r.stderr, /VERIFY_FAILED: .*the signature in manifest\.sig does not match manifest\.json/);

  // Re-signed with another key: the signature checks, but the fingerprint is not the case's.
  const other = generateKeyPairSync('ed25519');
  const sigPath = path.join(out, 'manifest.sig');
  const sig = JSON.parse(fs.readFileSync(sigPath, 'utf8')) as Record<string, string>;
  sig.publicKey = other.publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('base64');
  sig.signature = sign(null, fs.readFileSync(manifestPath), other.privateKey).toString('base64');
  fs.writeFileSync(sigPath, JSON.stringify(sig));
  r = await check();
  assert.equal(r.status, 0);
  assert.notEqual((JSON.parse(r.stdout) as { fingerprint: string }).fingerprint, info.signingKey!.fingerprint);

  // An extra file slipped into the folder.
  fs.writeFileSync(path.join(out, 'extra.txt'), 'added later');
  assert.match((await check()).stderr, /extra\.txt is in the folder but not in the manifest/);
});

test('the database refuses to delete or change held messages, occurrences, attachments and their contents, whatever path tries', async () => {
  const dir = tempDir();
  const caseFile = createCaseFile(dir);
  await importFile(caseFile, await writeExportZip(dir, 'Held', [
    { at: Date.UTC(2024, 2, 1, 9), author: 'Alice Smith', text: 'the file', media: { name: 'DOC-0001.pdf', data: Buffer.from('%PDF-1.4 held content') } },
    { at: Date.UTC(2024, 2, 1, 10), author: 'Bob Jones', text: 'thanks' },
  ]), 'Alice');
  const hold = await cliJson<{ holdId: number }>(['hold', caseFile, 'create', '--name', 'Keep', '--custodian', 'Alice', '--json']);
  await withCase(caseFile, (s) => {
    const [first] = messagesOf(s);
    const blob = s.db.prepare('SELECT sha256 FROM attachments WHERE message_id = ?').pluck().get(first!.id) as string;
    const attempts: [string, () => unknown][] = [
      ['purge without the hold check', () => s.db.transaction(() => purgeMessages(dataOf(s), [first!.id]))()],
      ['delete the row', () => s.db.prepare('DELETE FROM messages WHERE id = ?').run(first!.id)],
      ['change its text', () => s.db.prepare("UPDATE messages SET text = 'rewritten' WHERE id = ?").run(first!.id)],
      ['remove where it was found', () => s.db.prepare('DELETE FROM message_occurrences WHERE message_id = ?').run(first!.id)],
      ['remove its attachment', () => s.db.prepare('DELETE FROM attachments WHERE message_id = ?').run(first!.id)],
      ['remove the attachment content', () => s.db.prepare('DELETE FROM blob_chunks WHERE sha256 = ?').run(blob)],
      ['overwrite the attachment content', () => s.db.prepare("UPDATE blob_chunks SET data = x'00' WHERE sha256 = ?").run(blob)],
      ['remove the blob record', () => s.db.prepare('DELETE FROM blobs WHERE sha256 = ?').run(blob)],
      ['take it out of the hold', () => s.db.prepare('DELETE FROM hold_items WHERE message_id = ?').run(first!.id)],
      ['delete the hold', () => s.db.prepare('DELETE FROM holds WHERE id = ?').run(hold.holdId)],
    ];
    for (const [what, attempt] of attempts) {
      let caught: unknown = null;
      try {
        attempt();
      } catch (err) {
        caught = err;
      }
      assert.ok(caught, `${what}: refused`);
      assert.equal(toErrorDTO(caught).code, 'HOLD_VIOLATION', `${what}: ${String(caught)}`);
    }
    assert.equal(messagesOf(s).length, 2);
  });
  assert.equal((await cliHere(['verify', caseFile])).status, 0);
  // The application's own check still answers first, with its clear message.
  const refused = await cliHere(['delete', caseFile, '--message', '1']);
  assert.match(refused.stderr, /^holdfast: HOLD_VIOLATION: The message is under legal hold "Keep"/);
  // Released: the same purge path goes through.
  assert.equal((await cliHere(['hold', caseFile, 'release', String(hold.holdId), '--reason', 'matter closed'])).status, 0);
  assert.equal((await cliHere(['delete', caseFile, '--message', '1'])).status, 0);
});

test('a case from before signing keys gets one on its first writable open, audited; read-only opens leave it alone', async () => {
  const file = path.join(tempDir(), 'old.hfcase');
  createCase(file, PASSPHRASE, { examiner: 'Tester' }, { migrations: [MIGRATIONS[0]!] }).db.close();
  const ro = openCase(file, PASSPHRASE, { readonly: true, migrations: [MIGRATIONS[0]!] });
  assert.equal(signingKeyInfo(dataOfConnection(ro.db)), null);
  ro.db.close();
  const opened = openCase(file, PASSPHRASE);
  const key = signingKeyInfo(dataOfConnection(opened.db));
  assert.ok(key);
  const entry = opened.db.prepare("SELECT actor, details FROM audit_log WHERE action = 'case.signing-key'").all() as { actor: string; details: string }[];
  assert.equal(entry.length, 1);
  assert.equal((JSON.parse(entry[0]!.details) as { fingerprint: string }).fingerprint, key.fingerprint);
  opened.db.close();
  const again = openCase(file, PASSPHRASE);
  assert.deepEqual(signingKeyInfo(dataOfConnection(again.db)), key, 'the key never changes');
  assert.throws(() => again.db.prepare('DELETE FROM signing_key').run(), /cannot be removed/);
  again.db.close();
});

test('audit reads as sentences with local time and actor; CSV and JSON exports carry every entry', async () => {
  const dir = tempDir();
  const caseFile = createCaseFile(dir);
  await cliJson(['timezone', caseFile, 'Asia/Tokyo', '--json']);
  await importFile(caseFile, writeExport(dir, 'Desk', chatter({ start: Date.UTC(2024, 0, 2, 9), count: 3, stepMs: 3_600_000, authors: ['Alice Smith', 'Bob Jones'] })), 'Alice');
  await cliJson(['hold', caseFile, 'create', '--name', '=HYPERLINK("x")', '--custodian', 'Alice', '--json']);
  const text = (await cliHere(['audit', caseFile])).stdout.trim().split('\n');
  const json = await cliJson<{ seq: number; at: string; action: string }[]>(['audit', caseFile, '--json']);
  assert.equal(text.length, json.length);
  const holdLine = text.find((l) => l.includes('Put legal hold'))!;
  const holdEntry = json.find((e) => e.action === 'hold.create')!;
  const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(holdEntry.at));
  assert.match(holdLine, new RegExp(`^\\s+${holdEntry.seq}  \\d{4}-\\d\\d-\\d\\d ${local}:\\d\\d GMT\\+9  Tester  Put legal hold “=HYPERLINK\\("x"\\)” on 3 messages\\.$`));
  assert.ok(text.some((l) => /Imported 3 messages from .*Desk\.txt \(whatsapp-txt, custodian Alice\)\./.test(l)));
  const csv = (await cliHere(['audit', caseFile, '--csv'])).stdout;
  assert.ok(csv.startsWith('\uFEFFseq,time_utc,time_local,actor,action,description,details_json,hash\r\n'));
  assert.equal(csv.trimEnd().split('\r\n').length, json.length + 1);
  assert.ok(csv.includes(`${holdEntry.seq},${holdEntry.at},`));
  assert.ok(!/,=HYPERLINK/.test(csv) && !/,"=HYPERLINK/.test(csv), 'no cell starts with a formula');
});
