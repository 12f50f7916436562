/**
 * What opposing counsel checks in a production, on real encrypted cases: no work product unless
 * named, Bates numbers that continue across productions and never overlap, slip sheets where
 * messages are withheld and a privilege log under exactly those numbers, no empty productions,
 * attachment families, inert spreadsheet cells, the recipients a message really had, and the
 * fields a regulator's spreadsheet reads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import XLSX from 'xlsx';
import { alice, buildCorpus, MARK } from './corpus.ts';
import { checkManifest, grepFolder, grepOpened, listFiles, pdftotext } from './read-back.ts';
import { listProductions, previewProduction, produce } from '../../src/production/api.ts';
import { HoldfastError } from '../../src/api/errors.ts';
import { runImport } from '../../src/app/run-import.ts';
import { linkHandles } from '../../src/review/identities.ts';
import { createCodingField, setFieldValue } from '../../src/review/coding-fields.ts';
import { openSession } from '../../src/app/open-session.ts';
import { cli, newCase, PASSPHRASE, tempDir } from '../helpers/case.ts';

const evil = { kind: 'phone' as const, value: '+447700900066', display: '=HYPERLINK("http://evil.example/x","click")' };
const T = Date.UTC(2023, 0, 3, 8, 0, 0);
const corpus = await buildCorpus([
  { key: 'e1', conv: 'falcon', from: evil, at: T + 20 * 60_000, text: '+SUM(A1:A9) looks like a formula too' },
  { key: 'e2', conv: 'falcon', from: evil, at: T + 21 * 60_000, text: 'Privileged note from the injector' },
]);
const { dir, ids } = corpus;
const db = corpus.session.db;
db.prepare("INSERT INTO notes(message_id, by, at, text) VALUES (?, 'Tester', 0, 'NOTEMARKER: call the client back')").run(ids.m1);
db.prepare("INSERT INTO message_tags(message_id, tag_id, by, at, basis) VALUES (?, (SELECT id FROM tags WHERE name = 'Privileged'), 'Tester', 0, 'BASISMARKER')").run(ids.e2);
const issueField = createCodingField(corpus.session, { name: 'Issue', type: 'text' });
setFieldValue(corpus.session, { fieldId: issueField.id, messageIds: [ids.m1!], value: 'FIELDMARKER pricing' });
// The work-product words a production must not carry: the reviewers' tags, their note, a privilege basis, a coding field's value.
const WORK_PRODUCT = ['Responsive', 'Hot', 'NOTEMARKER', 'BASISMARKER', 'Legal advice from outside counsel', 'FIELDMARKER'];

/** RFC 4180 records of a CSV file (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += c;
  }
  return rows;
}
const csvRows = (file: string) => parseCsv(fs.readFileSync(file, 'utf8').replace(/^\ufeff/, ''));
const privlogCsv = (files: { path: string }[]) => files.find((f) => f.path.endsWith('-privilege-log.csv'))!.path;

test('without --fields no DAT, XLSX, RSMF or PDF file holds a tag name, a note, a privilege basis or a coding field value; the manifest holds no selection', async () => {
  for (const format of ['dat', 'xlsx', 'rsmf', 'pdf'] as const) {
    const r = await produce(sessionNow(), { format, out: path.join(dir, `wp-${format}`), query: 'price', tags: ['Responsive'], context: 50, batesPrefix: `WP${format}` });
    assert.ok(r.messages > 5, format);
    assert.deepEqual(r.warnings, []);
    for (const word of WORK_PRODUCT) assert.deepEqual(grepOpened(r.outDir, word), [], `${word} in a ${format} production`);
    // The reader can find what is there (in the XLSX's compressed sheet, the RSMF's zipped manifest).
    assert.ok(grepOpened(r.outDir, 'Morning all').length > 0, `${format}: text is found where it is`);
    const manifest = fs.readFileSync(path.join(r.outDir, 'manifest.json'), 'utf8');
    for (const word of ['price', 'query', 'tags', 'conversationIds', 'definition', 'selection']) assert.ok(!manifest.includes(`"${word}`) && !manifest.includes(`${word}"`), `${word} in the manifest`);
    // The case keeps the selection: in the production record and the audit log.
    const record = JSON.parse(db.prepare('SELECT definition FROM productions WHERE id = ?').pluck().get(r.productionId) as string) as { selection: { query: string; tags: string[] } };
    assert.deepEqual([record.selection.query, record.selection.tags], ['price', ['Responsive']]);
    const audit = db.prepare("SELECT details FROM audit_log WHERE action = 'production.create' ORDER BY seq DESC LIMIT 1").pluck().get() as string;
    assert.match(audit, /"query":"price"/);
  }
});

test('--fields tags,notes,basis,coding puts them in (with a warning); tags alone only the tags; coding alone only the field values', async () => {
  const session = sessionNow();
  const all = await produce(session, { format: 'xlsx', out: path.join(dir, 'wp-on'), fields: ['tags', 'notes', 'basis', 'coding'], includePrivileged: true, batesPrefix: 'WPON' });
  assert.match(all.warnings.join(' '), /work product \(reviewer tags, reviewer notes, recorded privilege bases, custom coding fields\)/);
  for (const word of ['Responsive', 'NOTEMARKER', 'BASISMARKER', 'Issue: FIELDMARKER pricing']) assert.ok(grepOpened(all.outDir, word).length > 0, `${word} included when named`);
  for (const format of ['dat', 'rsmf'] as const) {
    const tags = await produce(session, { format, out: path.join(dir, `wp-tags-${format}`), fields: ['tags'], batesPrefix: `WPT${format}` });
    assert.ok(grepOpened(tags.outDir, 'Responsive').length > 0, format);
    assert.deepEqual(grepOpened(tags.outDir, 'NOTEMARKER'), [], format);
    assert.deepEqual(grepOpened(tags.outDir, 'FIELDMARKER'), [], format);
    const coding = await produce(session, { format, out: path.join(dir, `wp-coding-${format}`), fields: ['coding'], batesPrefix: `WPC${format}` });
    assert.ok(grepOpened(coding.outDir, 'Issue: FIELDMARKER pricing').length > 0, format);
    assert.deepEqual(grepOpened(coding.outDir, 'NOTEMARKER'), [], format);
  }
});

test('a second production continues the numbering; an overlapping start is refused (API and CLI); a warning names included work product', async () => {
  const session = sessionNow();
  const first = await produce(session, { format: 'dat', out: path.join(dir, 'seq1'), tags: ['Responsive'], batesPrefix: 'REG' });
  assert.equal(first.batesFirst, 'REG0000001');
  const second = await produce(session, { format: 'xlsx', out: path.join(dir, 'seq2'), tags: ['Hot'], batesPrefix: 'REG' });
  assert.equal(Number(second.batesFirst!.slice(3)), Number(first.batesLast!.slice(3)) + 1);
  const preview = await previewProduction(session, { format: 'pdf', batesPrefix: 'REG' });
  assert.equal(Number(preview.nextBates.slice(3)), Number(second.batesLast!.slice(3)) + 1);
  await assert.rejects(
    produce(session, { format: 'pdf', out: path.join(dir, 'seq3'), batesPrefix: 'REG', batesStart: 2 }),
    (e: unknown) => e instanceof HoldfastError && e.code === 'PRODUCTION_BATES_OVERLAP' && /REG0000002 overlaps production \d+/.test(e.message),
  );
  assert.equal(fs.existsSync(path.join(dir, 'seq3')), false);
  // A start below an earlier range whose production would run into it is refused too, once its end is known.
  await assert.rejects(
    produce(session, { format: 'dat', out: path.join(dir, 'seq4'), batesPrefix: 'REG', batesStart: 0 }),
    (e: unknown) => e instanceof HoldfastError && e.code === 'PRODUCTION_BATES_OVERLAP',
  );
  assert.deepEqual(fs.readdirSync(dir).filter((n) => n.includes('seq4')), []);
  // The CLI needs the case to itself; the tests carry on with a new session on the same file.
  const file = session.path;
  session.close();
  try {
    const refused = cli(['produce', file, '--format', 'dat', '--out', path.join(dir, 'seq5'), '--bates-prefix', 'REG', '--bates-start', '3']);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /^holdfast: PRODUCTION_BATES_OVERLAP: Bates REG0000003 overlaps production/m);
    const warned = cli(['produce', file, '--format', 'dat', '--out', path.join(dir, 'seq6'), '--tag', 'Hot', '--fields', 'tags', '--bates-prefix', 'WARN']);
    assert.equal(warned.status, 0, warned.stderr);
    assert.match(warned.stderr, /^holdfast: warning: This production includes work product \(reviewer tags\)/m);
  } finally {
    corpus.session = openSession(file, PASSPHRASE);
  }
});

test('a privileged message in a produced conversation is a slip sheet in PDF and TEXT, with the privilege log\'s number', async () => {
  const r = await produce(sessionNow(), { format: 'pdf', out: path.join(dir, 'slip'), conversationIds: [1], batesPrefix: 'SLIP' });
  checkManifest(r);
  assert.equal(r.withheld, 2, 'm6 and e2');
  const items = sessionNow().db.prepare('SELECT message_id, bates FROM production_items WHERE production_id = ? AND withheld = 1 ORDER BY bates').all(r.productionId) as { message_id: number; bates: string }[];
  assert.deepEqual(items.map((i) => i.message_id).sort(), [ids.m6, ids.e2].sort());
  assert.equal(listProductions(sessionNow()).find((p) => p.id === r.productionId)!.messages, r.messages, 'the list counts produced messages, not slip sheets');
  const log = csvRows(privlogCsv(r.files));
  assert.deepEqual(log.slice(1).map((l) => l[0]), items.map((i) => i.bates), 'the log lists exactly the slip sheets\' numbers');
  assert.ok(!log[0]!.includes('Basis'), 'the recorded basis is work product');
  for (const item of items) {
    const pdf = r.files.find((f) => f.path.endsWith('.pdf') && f.firstBates! <= item.bates && f.lastBates! >= item.bates)!;
    const page = pdftotext(pdf.path, Number(item.bates.slice(4)) - Number(pdf.firstBates!.slice(4)) + 1);
    assert.match(page, /WITHHELD — PRIVILEGED/);
    assert.ok(page.includes(`entry ${item.bates}`), 'the slip sheet names its privilege-log entry');
    assert.ok((page.match(new RegExp(item.bates, 'g')) ?? []).length >= 3, 'number, log entry and footer');
    assert.ok(!page.includes(MARK.privileged) && !page.includes('Privileged note from'));
  }
  const slip = r.files.find((f) => f.path.endsWith('.pdf'))!;
  const text = fs.readFileSync(r.files.find((f) => f.path.includes('/TEXT/') && f.firstBates === slip.firstBates)!.path, 'utf8');
  assert.ok(text.includes(`[WITHHELD — PRIVILEGED, slip sheet ${items[0]!.bates}; privilege log entry ${items[0]!.bates}]`));
  for (const marker of [MARK.privileged, 'Privileged note from']) assert.deepEqual(grepFolder(r.outDir, marker), []);
  // For the lead's eyes: the slip sheet page as an image.
  const png = path.join(dir, 'slip-page');
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', String(Number(items[0]!.bates.slice(4)) - Number(slip.firstBates!.slice(4)) + 1), '-singlefile', slip.path, png]);
  assert.ok(fs.statSync(`${png}.png`).size > 1000);
});

test('XLSX, DAT and RSMF withhold in place: a row or event with the withheld mark, its number, no content', async () => {
  const s = sessionNow();
  const x = await produce(s, { format: 'xlsx', out: path.join(dir, 'slip-x'), conversationIds: [1], batesPrefix: 'SX' });
  const wb = XLSX.readFile(x.files.find((f) => f.path.endsWith('-messages.xlsx'))!.path);
  const sheet = wb.Sheets.Messages!;
  assert.equal(sheet['!autofilter']?.ref.startsWith('A1:'), true, 'autofilter on the header row');
  const rows = XLSX.utils.sheet_to_json<Record<string, string>>(sheet, { raw: false, defval: '' });
  const held = rows.filter((r) => r.Withheld === 'Privileged');
  assert.equal(held.length, 2);
  for (const h of held) assert.deepEqual([h.Text, h.Attachments, h['SHA-256']], ['', '', '']);
  assert.deepEqual(csvRows(privlogCsv(x.files)).slice(1).map((l) => l[0]), held.map((h) => h.Bates));
  // In reply to: the parent's Bates number.
  const m1 = rows.find((r) => r.Text!.startsWith('Morning all'))!;
  assert.equal(rows.find((r) => r.Text!.startsWith('Yes.'))!['In reply to'], m1.Bates);

  const d = await produce(s, { format: 'dat', out: path.join(dir, 'slip-d'), conversationIds: [1], batesPrefix: 'SD' });
  const dat = csvLikeDat(d.files.find((f) => f.path.endsWith('.dat'))!.path);
  const heldDat = dat.filter((r) => r.WITHHELD === 'Privileged');
  assert.equal(heldDat.length, 2);
  for (const h of heldDat) assert.deepEqual([h.TEXTPATH, h.HASH, h.NATIVEPATH], ['', '', '']);
  assert.deepEqual(csvRows(privlogCsv(d.files)).slice(1).map((l) => l[0]), heldDat.map((h) => h.BEGBATES));

  const r = await produce(s, { format: 'rsmf', out: path.join(dir, 'slip-r'), conversationIds: [1], batesPrefix: 'SR' });
  const bodies = await Promise.all(r.files.filter((f) => f.path.endsWith('.rsmf')).map(async (f) => (await simpleParser(fs.readFileSync(f.path))).text ?? ''));
  assert.equal(bodies.join('\n').match(/\[Withheld — Privileged, SR\d{7}; see the privilege log\]/g)?.length, 2);
  assert.equal(csvRows(privlogCsv(r.files)).length, 3);
});

test('an empty selection is refused (PRODUCTION_EMPTY) unless --allow-empty; nothing is written', async () => {
  const s = sessionNow();
  await assert.rejects(produce(s, { format: 'dat', out: path.join(dir, 'empty1'), query: 'nosuchwordanywhere' }), (e: unknown) => e instanceof HoldfastError && e.code === 'PRODUCTION_EMPTY');
  assert.equal(fs.existsSync(path.join(dir, 'empty1')), false);
  // Only privileged messages selected: all withheld, still nothing produced.
  await assert.rejects(produce(s, { format: 'xlsx', out: path.join(dir, 'empty2'), tags: ['Privileged'] }), (e: unknown) => e instanceof HoldfastError && e.code === 'PRODUCTION_EMPTY' && /all 2 selected are withheld/.test(e.message));
  const allowed = await produce(s, { format: 'dat', out: path.join(dir, 'empty3'), query: 'nosuchwordanywhere', allowEmpty: true });
  assert.equal(allowed.messages, 0);
  assert.deepEqual(listFiles(allowed.outDir), ['DATA/HF0000001.dat', 'manifest.json', 'manifest.sig']);
  const preview = await previewProduction(s, { format: 'pdf', query: 'nosuchwordanywhere' });
  assert.deepEqual([preview.messages, preview.conversations, preview.attachments], [0, 0, 0]);
});

test('attachments: own Bates numbers after their message, natives named by them, shown beside them in the PDF', async () => {
  const s = sessionNow();
  const r = await produce(s, { format: 'pdf', out: path.join(dir, 'fam'), conversationIds: [1], batesPrefix: 'FAM' });
  const natives = r.files.filter((f) => f.path.includes('/NATIVES/'));
  assert.deepEqual(natives.map((n) => path.basename(n.path).replace(/^FAM\d+/, '')), ['.png', '.jpg']);
  assert.equal(r.attachments, 2);
  const text = r.files.filter((f) => f.path.endsWith('.pdf')).map((f) => pdftotext(f.path)).join('\n');
  for (const n of natives) assert.ok(text.includes(`Produced natively as ${n.firstBates}`), `${n.firstBates} beside its attachment`);
  const dat = csvLikeDat(r.files.find((f) => f.path.endsWith('.dat'))!.path);
  const transcript = dat.find((x) => x.DOCTYPE === 'Transcript' && x.ATTACHCOUNT === '2')!;
  const kids = dat.filter((x) => x.PARENTBATES === transcript.BEGBATES);
  assert.deepEqual(kids.map((k) => k.BEGBATES), natives.map((n) => n.firstBates));
  assert.equal(Number(kids[0]!.BEGBATES!.slice(3)), Number(transcript.ENDBATES!.slice(3)) + 1, 'after the transcript\'s last page');
  for (const k of kids) assert.deepEqual([k.BEGATTACH, k.ENDATTACH], [transcript.BEGBATES, kids.at(-1)!.BEGBATES]);
  assert.equal(transcript.ENDATTACH, kids.at(-1)!.BEGBATES);
});

test('a sender named =HYPERLINK(...) comes out inert in every CSV and DAT', async () => {
  const s = sessionNow();
  const d = await produce(s, { format: 'dat', out: path.join(dir, 'inj-d'), conversationIds: [1], batesPrefix: 'INJ' });
  const p = await produce(s, { format: 'pdf', out: path.join(dir, 'inj-p'), conversationIds: [1], batesPrefix: 'INJP' });
  const l = await produce(s, { format: 'privlog', out: path.join(dir, 'inj-l'), batesPrefix: 'INJL' });
  const files = [...[d, p, l].flatMap((r) => r.files.filter((f) => /\.(csv|dat)$/.test(f.path)).map((f) => f.path))];
  assert.ok(files.length >= 5);
  let seen = 0;
  for (const f of files) {
    // Every cell that would start with a formula character starts with a quote instead.
    const cells = f.endsWith('.dat') ? csvLikeDat(f).flatMap((r) => Object.values(r)) : csvRows(f).flat();
    for (const c of cells) assert.ok(!/^[=+\-@\t\r]/.test(c), `live cell ${JSON.stringify(c.slice(0, 40))} in ${path.basename(f)}`);
    if (cells.includes(`'${evil.display}`)) seen++;
  }
  assert.ok(seen >= 4, 'the name is there, made inert, in both DATs and both privilege logs');
});

test('privilege log recipients: the members at the time (not who joined later or had left), and the device owner for incoming messages', async () => {
  const s = sessionNow();
  // Bob left Falcon before e2 was sent; Yusuf joined after; the direct chat lists only Bob (as one-to-one exports do).
  s.db.prepare("UPDATE conversation_members SET left_at = ? WHERE handle_id = (SELECT id FROM handles WHERE value = '+447700900002') AND conversation_id = 1").run(T + 17 * 60_000);
  s.db.prepare("UPDATE conversation_members SET joined_at = ? WHERE handle_id = (SELECT id FROM handles WHERE value = '+97150000003') AND conversation_id = 1").run(T + 22 * 60_000);
  s.db.prepare("DELETE FROM conversation_members WHERE conversation_id = 2 AND handle_id = (SELECT id FROM handles WHERE value = ?)").run(alice.value);
  s.db.prepare("INSERT INTO message_tags(message_id, tag_id, by, at) VALUES (?, (SELECT id FROM tags WHERE name = 'Privileged'), 'Tester', 0)").run(ids.d2);
  const r = await produce(s, { format: 'privlog', out: path.join(dir, 'recip'), batesPrefix: 'RCP' });
  const rows = csvRows(privlogCsv(r.files)).slice(1);
  const e2 = rows.find((x) => x[3]!.includes('HYPERLINK'))!;
  assert.equal(e2[4], 'Alice Smith; Chloé Martin', 'Bob had left, Yusuf had not joined');
  const d2 = rows.find((x) => x[3] === 'Bob Jones' && x[5] === 'Bob Jones')!;
  assert.equal(d2[4], 'Alice Smith', 'the device owner received the incoming message');
  const x = await produce(s, { format: 'xlsx', out: path.join(dir, 'recip-x'), conversationIds: [2], batesPrefix: 'RCX', includePrivileged: true });
  const sheet = XLSX.utils.sheet_to_json<Record<string, string>>(XLSX.readFile(x.files.find((f) => f.path.endsWith('-messages.xlsx'))!.path).Sheets.Messages!, { raw: false, defval: '' });
  assert.equal(sheet.find((m) => m.Sender === 'Bob Jones')!.Recipients, 'Alice Smith');
});

test('spreadsheets name people by their merged identity', async () => {
  const s = sessionNow();
  const handle = s.db.prepare('SELECT id FROM handles WHERE value = ?').pluck().get(alice.value) as number;
  linkHandles(s, { handleIds: [handle], name: 'Alice Smith-Jones (merged)' });
  const r = await produce(s, { format: 'xlsx', out: path.join(dir, 'merged'), conversationIds: [2], batesPrefix: 'MRG' });
  const rows = XLSX.utils.sheet_to_json<Record<string, string>>(XLSX.readFile(r.files.find((f) => f.path.endsWith('-messages.xlsx'))!.path).Sheets.Messages!, { raw: false, defval: '' });
  assert.equal(rows.find((m) => m.Text!.startsWith('Bob, call me'))!.Sender, 'Alice Smith-Jones (merged)');
  assert.equal(rows.find((m) => m.Sender === 'Bob Jones')!.Recipients, 'Alice Smith-Jones (merged)');
});

test('the PDF CreationDate is the production\'s time unless a fixed date is given, and the manifest says which', async () => {
  const s = sessionNow();
  const before = Date.now();
  const now = await produce(s, { format: 'pdf', out: path.join(dir, 'date-now'), conversationIds: [2], batesPrefix: 'DT' });
  const created = Date.parse(/CreationDate:\s+(.+)/.exec(execFileSync('pdfinfo', ['-isodates', now.files.find((f) => f.path.endsWith('.pdf'))!.path], { encoding: 'utf8' }))![1]!.trim());
  assert.ok(created >= before - 2000 && created <= Date.now() + 2000, `CreationDate ${new Date(created).toISOString()} is now`);
  const m = JSON.parse(fs.readFileSync(path.join(now.outDir, 'manifest.json'), 'utf8')) as { documentDate: { value: string; fixed: boolean } };
  assert.equal(m.documentDate.fixed, false);
  const fixed = await produce(s, { format: 'pdf', out: path.join(dir, 'date-fixed'), conversationIds: [2], batesPrefix: 'DF', fixedDate: '2024-02-29T12:00:00Z' });
  const info = execFileSync('pdfinfo', ['-isodates', fixed.files.find((f) => f.path.endsWith('.pdf'))!.path], { encoding: 'utf8' });
  assert.match(info, /CreationDate:\s+2024-02-29T12:00:00/);
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(fixed.outDir, 'manifest.json'), 'utf8')).documentDate, { value: '2024-02-29T12:00:00.000Z', fixed: true });
});

test('WhatsApp text export: --owner makes the owner\'s messages outgoing and everyone else\'s incoming', async () => {
  const src = path.join(tempDir('holdfast-owner-'), 'WhatsApp Chat with Falcon team.txt');
  fs.writeFileSync(src, [
    '03/01/2023, 09:00 - Dana Field: Morning, the price is agreed',
    '03/01/2023, 09:01 - Eli Stone: Good',
    '03/01/2023, 09:02 - Fay Moss: Sending the contract',
    '',
  ].join('\n'));
  const without = newCase();
  await runImport(without, { source: src, tz: 'UTC', dateOrder: 'dmy' }, new AbortController().signal);
  assert.deepEqual(without.db.prepare('SELECT DISTINCT direction FROM messages').pluck().all(), ['unknown']);
  without.close();
  const owned = newCase();
  await runImport(owned, { source: src, tz: 'UTC', dateOrder: 'dmy', owner: 'dana field' }, new AbortController().signal);
  const dirs = owned.db.prepare('SELECT h.display, m.direction FROM messages m JOIN handles h ON h.id = m.sender_handle_id ORDER BY m.sent_at').all() as { display: string; direction: string }[];
  assert.deepEqual(dirs.map((d) => d.direction), ['out', 'in', 'in']);
  owned.close();
});

/** The current session (the overlap test hands the case to the CLI and reopens it). */
function sessionNow() {
  return corpus.session;
}

/** A DAT read by the format's rules: þ-qualified values separated by U+0014, CRLF records, a header row. */
function csvLikeDat(file: string): Record<string, string>[] {
  const lines = fs.readFileSync(file, 'utf8').replace(/^\ufeff/, '').split('\r\n').filter(Boolean);
  const split = (l: string) => l.split('\u0014').map((v) => v.slice(1, -1));
  const head = split(lines[0]!);
  return lines.slice(1).map((l) => Object.fromEntries(split(l).map((v, i) => [head[i]!, v])));
}

test('an incoming SMS names its recipient (the device owner) even in a thread without outgoing messages', async () => {
  const d = tempDir('holdfast-sms-');
  const src = path.join(d, 'sms-20240101.xml');
  fs.writeFileSync(src, [
    `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>`,
    `<smses count="1">`,
    `  <sms protocol="0" address="+14155550101" date="1704103200123" type="1" subject="null" body="Only incoming here" toa="null" sc_toa="null" service_center="null" read="1" status="-1" locked="0" date_sent="0" readable_date="x" contact_name="Alice Archer" />`,
    `</smses>`,
    '',
  ].join('\n'));
  const s = newCase(d);
  await runImport(s, { source: src, tz: 'UTC' }, new AbortController().signal);
  const r = await produce(s, { format: 'xlsx', out: path.join(d, 'out'), query: 'incoming' });
  const rows = XLSX.utils.sheet_to_json<Record<string, string>>(XLSX.readFile(r.files.find((f) => f.path.endsWith('-messages.xlsx'))!.path).Sheets.Messages!, { raw: false, defval: '' });
  assert.deepEqual(rows.map((x) => [x.Sender, x.Recipients, x.Direction]), [['Alice Archer', 'Me (device owner)', 'in']]);
  s.close();
});

test('an email in the privilege log lists its own To and Cc, not everyone else in the thread', async () => {
  const d = tempDir('holdfast-mail-');
  const src = path.join(d, 'counsel.mbox');
  const mail = (id: string, from: string, to: string, cc: string | null, date: string, subject: string, body: string, reply?: string) => [
    `From ${from.replace(/.*</, '').replace('>', '')} ${date}`,
    `From: ${from}`, `To: ${to}`, ...(cc ? [`Cc: ${cc}`] : []), `Subject: ${subject}`, `Date: ${date}`, `Message-ID: <${id}@example.com>`,
    ...(reply ? [`In-Reply-To: <${reply}@example.com>`] : []), '', body, '',
  ].join('\n');
  fs.writeFileSync(src, [
    mail('m1', 'Ann Lee <ann@example.com>', 'Ben Ode <ben@example.com>', 'Cat Ruiz <cat@example.com>, Dev Shah <dev@example.com>', 'Mon, 4 Mar 2024 09:00:00 +0000', 'Deal', 'Kickoff for everyone'),
    mail('m2', 'Ben Ode <ben@example.com>', '"Outside Counsel" <counsel@lawfirm.example>', null, 'Mon, 4 Mar 2024 10:00:00 +0000', 'Re: Deal', 'Asking counsel about the deal', 'm1'),
  ].join('\n'));
  const s = newCase(d);
  await runImport(s, { source: src, tz: 'UTC' }, new AbortController().signal);
  const m2 = s.db.prepare("SELECT id FROM messages WHERE text LIKE 'Asking counsel%'").pluck().get() as number;
  s.db.prepare("INSERT INTO message_tags(message_id, tag_id, by, at) VALUES (?, (SELECT id FROM tags WHERE name = 'Privileged'), 'Tester', 0)").run(m2);
  const r = await produce(s, { format: 'privlog', out: path.join(d, 'log'), batesPrefix: 'EML' });
  const rows = csvRows(privlogCsv(r.files)).slice(1);
  assert.equal(rows.length, 1);
  assert.equal(rows[0]![4], 'Outside Counsel', 'only the message\'s own recipient, not Ann, Cat or Dev from the thread');
  s.close();
});
