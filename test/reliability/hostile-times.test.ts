/**
 * A hostile timestamp must not break a case for good: out-of-range times from SMS Backup & Restore
 * and Telegram are kept raw, the message is flagged time unknown with a warning, and listing,
 * holding and producing keep working. A case an earlier version filled with such a time is
 * repaired (audited) when it is upgraded.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cliInProcess, makeCaseFile, PASSPHRASE, tempDir } from '../helpers/case.ts';
import type { ImportResultDTO, MessageDTO } from '../../src/api/dto.ts';
import { createCase } from '../../src/case/open.ts';
import { MIGRATIONS } from '../../src/case/migrations/index.ts';
import { messageContentHash } from '../../src/case/message-hash.ts';
import { appendAudit } from '../../src/case/audit.ts';
import { dataOfConnection } from '../../src/case/data/index.ts';

const HOSTILE_MS = '9000000000000000';

/** A command by the CLI's code in this process (what it prints and its status are the subject here, not the process). */
async function run(args: string[]): Promise<string> {
  const r = await cliInProcess(args);
  assert.equal(r.status, 0, `holdfast ${args.join(' ')} exited ${r.status}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

const json = async <T>(args: string[]): Promise<T> => JSON.parse(await run(args)) as T;
const jsonl = async <T>(args: string[]): Promise<T[]> => (await run(args)).split('\n').filter(Boolean).map((l) => JSON.parse(l) as T);

function smsBackup(file: string): string {
  const row = (date: string, body: string) =>
    `  <sms protocol="0" address="+14155550101" date="${date}" type="1" subject="null" body="${body}" toa="null" sc_toa="null" service_center="null" read="1" status="-1" locked="0" date_sent="0" readable_date="x" contact_name="Alice Archer" />`;
  fs.writeFileSync(file, [
    `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>`,
    `<smses count="3" backup_set="1" backup_date="1704103200000" type="full">`,
    row('1704103200123', 'a normal message'),
    row(HOSTILE_MS, 'from the far future'),
    row('-5', 'before the epoch'),
    '</smses>',
  ].join('\n'));
  return file;
}

function telegramExport(dir: string): string {
  const exportDir = path.join(dir, 'ChatExport_2024-03-02');
  fs.mkdirSync(exportDir, { recursive: true });
  fs.writeFileSync(path.join(exportDir, 'result.json'), JSON.stringify({
    name: 'Far future', type: 'private_group', id: 77,
    messages: [
      { id: 1, type: 'message', date: '2024-03-01T09:01:00', date_unixtime: '1709283660', from: 'Dana', from_id: 'user42', text: 'fine', text_entities: [] },
      { id: 2, type: 'message', date: '2024-03-01T09:02:00', date_unixtime: '12345678901234567890123', from: 'Dana', from_id: 'user42', text: 'twenty-three digits', text_entities: [] },
    ],
  }));
  return exportDir;
}

test('out-of-range times import as time unknown (raw kept, warned); listing, holding and producing keep working', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'case.hfcase');
  makeCaseFile(file);
  const sms = await json<ImportResultDTO>(['import', file, smsBackup(path.join(dir, 'sms.xml')), '--json']);
  assert.equal(sms.messages, 3);
  assert.equal(sms.warnings.filter((w) => w.code === 'BAD_DATE').length, 2, JSON.stringify(sms.warnings));
  const tg = await json<ImportResultDTO>(['import', file, telegramExport(dir), '--json']);
  assert.equal(tg.messages, 2);
  assert.ok(tg.warnings.some((w) => w.code === 'BAD_DATE' && w.locator === 'message 2 (id 2)' && /kept as written/.test(w.message)));

  const list = await jsonl<MessageDTO>(['messages', file, '--jsonl']);
  const unknown = list.filter((m) => m.timeUnknown);
  assert.deepEqual(unknown.map((m) => m.rawTime).sort(), ['-5', '12345678901234567890123', HOSTILE_MS].sort());
  for (const m of unknown) assert.equal(m.sentAt, '1970-01-01T00:00:00.000Z');
  assert.equal(list.find((m) => m.text === 'a normal message')!.timeUnknown, undefined);

  await run(['conversations', file, '--json']);
  await run(['search', file, 'future', '--json']);
  await json(['hold', file, 'create', '--name', 'All', '--after', '1960-01-01', '--json']);
  for (const format of ['xlsx', 'dat', 'rsmf']) await run(['produce', file, '--format', format, '--out', path.join(dir, `out-${format}`), '--json']);
  await run(['verify', file]);
});

test('a case an earlier version filled with an impossible time is repaired when upgraded, audited, and verifies', async () => {
  const file = path.join(tempDir(), 'old.hfcase');
  const old = createCase(file, PASSPHRASE, { examiner: 'Tester' }, { migrations: [MIGRATIONS[0]!] });
  const db = old.db;
  db.exec(`INSERT INTO import_runs(id, source_path, source_sha256, importer, importer_version, started_at, status) VALUES (1, 's', 'x', 'sms', '1', 0, 'complete');
    INSERT INTO sources(id, path, name, size, sha256, format, importer_version, tz, imported_at, run_id) VALUES (1, 's', 's', 1, 'x', 'sms', '1', 'UTC', 0, 1);
    INSERT INTO conversations(id, platform, external_id, kind) VALUES (1, 'sms', 'c', 'direct');`);
  const row = {
    conversation_id: 1, sender_handle_id: null, sent_at: Number(HOSTILE_MS), raw_time: HOSTILE_MS, kind: 'message', system_type: null, text: 'far future',
    subject: null, edited: 0, deleted: 0, direction: 'in', forwarded_from: null, external_id: null, fingerprint: 'f'.repeat(32), source_id: 1, locator: 'sms 1',
  };
  db.prepare(`INSERT INTO messages(conversation_id, sent_at, raw_time, kind, text, direction, fingerprint, content_sha256, fingerprint_key, run_id, source_id, locator)
    VALUES (1, ?, ?, 'message', 'far future', 'in', ?, ?, 1, 1, 1, 'sms 1')`).run(row.sent_at, row.raw_time, row.fingerprint, messageContentHash(row));
  appendAudit(dataOfConnection(db), 'Tester', 'import', { runId: 1, messages: 1 });
  db.close();

  const list = await jsonl<MessageDTO>(['messages', file, '--jsonl']);
  assert.deepEqual(list.map((m) => [m.text, m.sentAt, m.rawTime, m.timeUnknown]), [['far future', '1970-01-01T00:00:00.000Z', HOSTILE_MS, true]]);
  const audit = await json<{ action: string; details: { messages: { id: number; sentAt: number }[] } }[]>(['audit', file, '--json']);
  const repair = audit.find((e) => e.action === 'messages.time-unknown');
  assert.deepEqual(repair?.details.messages.map((m) => m.sentAt), [Number(HOSTILE_MS)]);
  await run(['verify', file]);
  await run(['produce', file, '--format', 'xlsx', '--out', path.join(path.dirname(file), 'out'), '--json']);
});
