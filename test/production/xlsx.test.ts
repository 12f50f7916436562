import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import XLSX from 'xlsx';
import { alice, buildCorpus, MARK, PRODUCED_BY_DEFAULT } from './corpus.ts';
import { checkManifest, folderHashes } from './read-back.ts';
import { produce } from '../../src/production/api.ts';
import { EXCEL_MAX_CELL, xlsxColumns, xlsxWriter } from '../../src/production/formats/xlsx.ts';

// One message longer than an Excel cell holds.
const HUGE = `${'lorem ipsum dolor '.repeat(2500)}END`;
const corpus = await buildCorpus([{ key: 'big', conv: 'direct', from: alice, at: Date.UTC(2023, 0, 5, 9), text: HUGE }]);
const { session, dir } = corpus;

/** The sheets as arrays of rows, read by SheetJS (an independent reader; never used for writing). */
function readBook(file: string): { names: string[]; rows: string[][][] } {
  const wb = XLSX.readFile(file);
  return { names: wb.SheetNames, rows: wb.SheetNames.map((n) => XLSX.utils.sheet_to_json<string[]>(wb.Sheets[n]!, { header: 1, raw: false, defval: '' })) };
}

test('one row per produced message, the columns the issue names, privileged and personal withheld', async () => {
  const r = await produce(session, { format: 'xlsx', out: path.join(dir, 'x1') });
  checkManifest(r);
  assert.equal(r.files.filter((f) => f.path.endsWith('-messages.xlsx')).length, 1);
  const { names, rows } = readBook(r.files.find((f) => f.path.endsWith('-messages.xlsx'))!.path);
  assert.deepEqual(names, ['Messages']);
  const [head, ...all] = rows[0]!;
  assert.deepEqual(head, xlsxColumns([]).map((c) => c.header));
  const columns: string[] = head!;
  const col = (name: string) => columns.indexOf(name);
  const data = all.filter((d) => d[col('Withheld')] === '');
  assert.equal(all.length - data.length, 1, 'the privileged message is one withheld row');
  assert.equal(data.length, PRODUCED_BY_DEFAULT + 1);
  assert.equal(data.length, r.messages);
  // Messages and withheld rows are numbered in order; each collected attachment takes the number after its message.
  const numbers = all.map((d) => Number(d[col('Bates')]!.slice(2)));
  for (let i = 1; i < all.length; i++) {
    const range = all[i - 1]![col('Attachment Bates')]!;
    const after = range ? Number(range.split('–').at(-1)!.slice(2)) : numbers[i - 1]!;
    assert.equal(numbers[i], after + 1, `row ${i + 1} follows row ${i}'s family`);
  }
  const text = data.map((d) => d.join('\u0001')).join('\n');
  for (const m of [MARK.privileged, MARK.personal, MARK.redacted]) assert.ok(!text.includes(m), `${m} withheld`);
  for (const m of [MARK.arabic, MARK.hebrew, MARK.chinese, MARK.emoji, '[REDACTED: Personal data]']) assert.ok(text.includes(m), `${m} present`);
  const m3 = data.find((d) => d[col('Text')]!.startsWith(MARK.arabic))!;
  assert.equal(m3[col('Sender')], 'يوسف');
  assert.equal(m3[col('Recipients')], 'Alice Smith; Bob Jones; Chloé Martin');
  assert.equal(m3[col('Platform')], 'whatsapp');
  assert.match(m3[col('SHA-256')]!, /^[0-9a-f]{64}$/);
  assert.match(m3[col('Source')]!, /corpus\.json message m3/);
  const withFiles = data.find((d) => d[col('Attachments')]!.includes('IMG_0001.png'))!;
  const own = Number(withFiles[col('Bates')]!.slice(2));
  assert.equal(withFiles[col('Attachment Bates')], `HF${String(own + 1).padStart(7, '0')}–HF${String(own + 2).padStart(7, '0')}`, 'png and jpeg; the voice note was not collected');
  assert.match(withFiles[col('Attachments')]!, /scan\.jpg \(SHA-256 [0-9a-f]{64}\); voice-note\.opus \(not collected/);
});

test('a cell is cut at 32,767 characters and the Notes column says so', async () => {
  const r = await produce(session, { format: 'xlsx', out: path.join(dir, 'x2'), query: undefined, conversationIds: [2] });
  const { rows } = readBook(r.files.find((f) => f.path.endsWith('-messages.xlsx'))!.path);
  const head = rows[0]![0]!;
  const big = rows[0]!.find((d) => d[head.indexOf('Text')]!.startsWith('lorem ipsum'))!;
  assert.equal(big[head.indexOf('Text')]!.length, EXCEL_MAX_CELL);
  assert.match(big[head.indexOf('Notes')]!, /Text cut at 32,767 of 45,003 characters/);
});

test('a new sheet when a sheet is full (limit lowered to 5 rows for the test)', async () => {
  const r = await produce(session, { format: 'xlsx', out: path.join(dir, 'x3') }, { writer: xlsxWriter({ rowsPerSheet: 5 }) });
  const { names, rows } = readBook(r.files.find((f) => f.path.endsWith('-messages.xlsx'))!.path);
  assert.deepEqual(names, ['Messages', 'Messages (2)', 'Messages (3)', 'Messages (4)']);
  assert.deepEqual(rows.map((s) => s.length), [5, 5, 5, 5]);
  assert.equal(rows.reduce((a, s) => a + s.length - 1, 0), r.messages + r.withheld);
});

test('the same definition gives a byte-identical workbook (fixed zip and document dates)', async () => {
  const args = { format: 'xlsx' as const, tags: ['Responsive'], batesPrefix: 'SAME', fixedDate: '2024-05-01' };
  const a = await produce(session, { ...args, out: path.join(dir, 'x4') });
  assert.equal(a.documentDate, '2024-05-01T00:00:00.000Z');
  await new Promise((res) => setTimeout(res, 2100)); // zip times have 2-second resolution
  session.db.prepare('DELETE FROM productions WHERE id = ?').run(a.productionId); // the same case state again
  const b = await produce(session, { ...args, out: path.join(dir, 'x5') });
  assert.deepEqual(folderHashes(a.outDir), folderHashes(b.outDir));
  assert.equal(readBook(a.files.find((f) => f.path.endsWith('-messages.xlsx'))!.path).rows[0]!.length - 1, 5);
});
