import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import XLSX from 'xlsx';
import { buildCorpus, MARK, PRODUCED_BY_DEFAULT } from './corpus.ts';
import { checkManifest, folderHashes, grepFolder, sha256File } from './read-back.ts';
import { addRedaction, listRedactions, produce, removeRedaction } from '../../src/production/api.ts';
import { HoldfastError } from '../../src/api/errors.ts';

const corpus = await buildCorpus();
const { session, dir, ids } = corpus;

/** A Concordance DAT read by the rules of the format, independently of the writer. */
function readDat(file: string): Record<string, string>[] {
  const raw = fs.readFileSync(file);
  assert.deepEqual([...raw.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte-order mark');
  const text = raw.subarray(3).toString('utf8');
  assert.ok(text.endsWith('\r\n'));
  assert.ok(!/[^\r]\n/.test(text), 'every line ends with CRLF');
  const lines = text.split('\r\n').slice(0, -1);
  const split = (l: string) => {
    const fields = l.split('\u0014');
    for (const f of fields) assert.ok(f.length >= 2 && f.startsWith('\u00fe') && f.endsWith('\u00fe'), `field ${JSON.stringify(f)} is þ-qualified`);
    return fields.map((f) => f.slice(1, -1));
  };
  const head = split(lines[0]!);
  return lines.slice(1).map((l) => {
    const v = split(l);
    assert.equal(v.length, head.length);
    return Object.fromEntries(head.map((h, i) => [h, v[i]!]));
  });
}

test('DAT: one record per message and per attachment, families, natives and texts that hash right', async () => {
  const r = await produce(session, { format: 'dat', out: path.join(dir, 'd1'), batesPrefix: 'DOC' });
  const manifest = checkManifest(r);
  const datFile = r.files.find((f) => f.path.endsWith('.dat'))!;
  const rows = readDat(datFile.path);
  const messages = rows.filter((x) => x.DOCTYPE === 'Message' || x.DOCTYPE === 'System event');
  const attachments = rows.filter((x) => x.DOCTYPE!.startsWith('Attachment'));
  assert.equal(messages.length, PRODUCED_BY_DEFAULT);
  assert.equal(attachments.length, 4, 'png, jpeg, missing voice note, text file');
  for (const field of ['BEGBATES', 'ENDBATES', 'BEGATTACH', 'ENDATTACH', 'CUSTODIAN', 'DATESENT', 'CONVERSATION', 'PARTICIPANTS', 'FROM', 'HASH', 'NATIVEPATH', 'TEXTPATH']) {
    assert.ok(field in rows[0]!, `${field} column`);
  }
  // Bates run without gaps over messages and their attachments.
  assert.deepEqual(rows.map((x) => x.BEGBATES), rows.map((_, i) => `DOC${String(i + 1).padStart(7, '0')}`));
  const photos = messages.find((x) => x.ATTACHCOUNT === '3')!;
  const kids = attachments.filter((a) => a.PARENTBATES === photos.BEGBATES);
  assert.equal(kids.length, 3);
  assert.equal(photos.ENDATTACH, kids.at(-1)!.BEGBATES);
  for (const k of kids) assert.equal(k.BEGATTACH, photos.BEGBATES);
  for (const k of kids.filter((x) => x.NATIVEPATH)) {
    assert.equal(sha256File(path.join(r.outDir, ...k.NATIVEPATH!.split('\\'))), k.HASH);
  }
  assert.equal(kids.filter((x) => !x.NATIVEPATH).length, 1, 'the uncollected voice note has no native');
  for (const m of messages) assert.ok(fs.existsSync(path.join(r.outDir, ...m.TEXTPATH!.split('\\'))));
  assert.equal(manifest.files.filter((f) => f.path.startsWith('TEXT/')).length, PRODUCED_BY_DEFAULT);
  const arabic = messages.find((x) => x.FROM === 'يوسف')!;
  assert.equal(fs.readFileSync(path.join(r.outDir, ...arabic.TEXTPATH!.split('\\')), 'utf8'), 'مرحبا، هل وصلت الشحنة؟ الصفقة رقم 42 جاهزة.');
  for (const mark of [MARK.privileged, MARK.personal, MARK.redacted]) assert.deepEqual(grepFolder(r.outDir, mark), []);
  assert.equal(r.files.some((f) => f.path.endsWith('.opt')), false, 'no page images, no OPT');
});

test('privilege log: one row per withheld message with type and basis, CSV and XLSX agree', async () => {
  const r = await produce(session, { format: 'privlog', out: path.join(dir, 'p1'), fields: ['basis'] });
  checkManifest(r);
  const csv = fs.readFileSync(r.files.find((f) => f.path.endsWith('.csv'))!.path, 'utf8');
  assert.equal(csv.charCodeAt(0), 0xfeff);
  const lines = csv.slice(1).split('\r\n').filter(Boolean);
  assert.equal(lines.length, 2);
  assert.match(lines[1]!, /^HF0000001,2023-01-03 08:10:00,.*,Bob Jones,Alice Smith; Chloé Martin; يوسف,Project Falcon,Privileged,Legal advice from outside counsel \(attorney-client\),/);
  assert.ok(!csv.includes(MARK.privileged), 'the log describes; it does not reveal');
  const wb = XLSX.readFile(r.files.find((f) => f.path.endsWith('.xlsx'))!.path);
  const rows = XLSX.utils.sheet_to_json<string[]>(wb.Sheets[wb.SheetNames[0]!]!, { header: 1, raw: false });
  assert.equal(rows.length, 2);
  assert.equal(rows[1]![7], 'Legal advice from outside counsel (attorney-client)');
});

test('privilege log per review unit groups the withheld messages of a conversation-day', async () => {
  session.db.prepare("INSERT INTO message_tags(message_id, tag_id, by, at, basis) VALUES (?, (SELECT id FROM tags WHERE name = 'Privileged'), 'Tester', 0, 'Work product')").run(ids.m4);
  try {
    const perMessage = await produce(session, { format: 'privlog', out: path.join(dir, 'p2') });
    assert.equal(perMessage.messages, 2);
    const perUnit = await produce(session, { format: 'privlog', out: path.join(dir, 'p3'), per: 'unit', fields: ['basis'] });
    const csv = fs.readFileSync(perUnit.files.find((f) => f.path.endsWith('.csv'))!.path, 'utf8').slice(1).split('\r\n').filter(Boolean);
    assert.equal(csv.length, 2, 'one row for the unit');
    assert.match(csv[1]!, /,Privileged,Work product; Legal advice from outside counsel \(attorney-client\),/);
    assert.match(csv[1]!, /,2$/);
    // Neither message appears in a production.
    const prod = await produce(session, { format: 'dat', out: path.join(dir, 'p4') });
    assert.equal(prod.messages, PRODUCED_BY_DEFAULT - 1);
  } finally {
    session.db.prepare("DELETE FROM message_tags WHERE message_id = ? AND basis = 'Work product'").run(ids.m4);
  }
});

test('redaction marks: validated, audited, non-destructive, and applied to every format', async () => {
  const text = session.db.prepare('SELECT text, content_sha256 FROM messages WHERE id = ?').get(ids.m2) as { text: string; content_sha256: string };
  const emojiAt = text.text.indexOf('👍');
  const bad = (fn: () => unknown, code: string) => assert.throws(fn, (e: unknown) => e instanceof HoldfastError && e.code === code);
  bad(() => addRedaction(session, { messageId: ids.m2!, start: emojiAt + 1, end: emojiAt + 4, reason: 'x' }), 'VALIDATION'); // cuts the emoji in half
  bad(() => addRedaction(session, { messageId: ids.m2!, start: 0, end: 10_000, reason: 'x' }), 'VALIDATION');
  bad(() => addRedaction(session, { messageId: ids.m2!, start: 0, end: 3, reason: '  ' }), 'VALIDATION');
  bad(() => addRedaction(session, { messageId: 999_999, reason: 'x' }), 'NOT_FOUND');
  const whole = addRedaction(session, { messageId: ids.d2!, reason: 'Third-party personal data' });
  const span = addRedaction(session, { messageId: ids.m2!, start: text.text.indexOf('Привет'), end: text.text.indexOf('Привет') + 6, reason: 'Privacy' });
  assert.equal(listRedactions(session, { messageId: ids.m2! }).length, 1);
  const after = session.db.prepare('SELECT text, content_sha256 FROM messages WHERE id = ?').get(ids.m2) as typeof text;
  assert.deepEqual(after, text, 'the stored message is unchanged');
  const r = await produce(session, { format: 'dat', out: path.join(dir, 'red1') });
  assert.deepEqual(grepFolder(r.outDir, 'Привет'), []);
  assert.deepEqual(grepFolder(r.outDir, 'Will do'), []);
  assert.deepEqual(grepFolder(r.outDir, 'meeting notes'), [], 'attachments of a wholly redacted message are withheld');
  assert.ok(grepFolder(r.outDir, '[REDACTED: Third-party personal data]').length > 0);
  removeRedaction(session, { redactionId: whole.id });
  removeRedaction(session, { redactionId: span.id });
  bad(() => removeRedaction(session, { redactionId: span.id }), 'NOT_FOUND');
  const audit = session.db.prepare("SELECT action FROM audit_log WHERE action LIKE 'redaction.%' ORDER BY seq").pluck().all();
  assert.deepEqual(audit, ['redaction.add', 'redaction.add', 'redaction.add', 'redaction.remove', 'redaction.remove']);
});

test('DAT output is identical for the same definition', async () => {
  const args = { format: 'dat' as const, tags: ['Responsive'], context: 1, batesPrefix: 'SAME', fixedDate: '2024-05-01T00:00:00Z' };
  const a = await produce(session, { ...args, out: path.join(dir, 'same1') });
  // The same case state: the first run's record goes, so the second starts at the same number.
  session.db.prepare('DELETE FROM productions WHERE id = ?').run(a.productionId);
  const b = await produce(session, { ...args, out: path.join(dir, 'same2') });
  assert.deepEqual(folderHashes(a.outDir), folderHashes(b.outDir));
  assert.equal(a.contextMessages, 5);
});
