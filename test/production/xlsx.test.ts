import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import XLSX from 'xlsx';
import { alice, buildCorpus, MARK, PRODUCED_BY_DEFAULT } from './corpus.ts';
import { checkManifest, folderHashes } from './read-back.ts';
import { produce } from '../../src/production/api.ts';
import { EXCEL_MAX_CELL, XLSX_COLUMNS, xlsxWriter } from '../../src/production/formats/xlsx.ts';

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
  assert.equal(r.files.length, 1);
  const { names, rows } = readBook(r.files[0]!.path);
  assert.deepEqual(names, ['Messages']);
  const [head, ...data] = rows[0]!;
  assert.deepEqual(head, XLSX_COLUMNS.map((c) => c.header));
  assert.equal(data.length, PRODUCED_BY_DEFAULT + 1);
  assert.equal(data.length, r.messages);
  const columns: string[] = head!;
  const col = (name: string) => columns.indexOf(name);
  assert.deepEqual(data.map((d) => d[col('Bates')]), data.map((_, i) => `HF${String(i + 1).padStart(7, '0')}`));
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
  assert.match(withFiles[col('Attachments')]!, /scan\.jpg \(SHA-256 [0-9a-f]{64}\); voice-note\.opus \(not collected/);
});

test('a cell is cut at 32,767 characters and the Notes column says so', async () => {
  const r = await produce(session, { format: 'xlsx', out: path.join(dir, 'x2'), query: undefined, conversationIds: [2] });
  const { rows } = readBook(r.files[0]!.path);
  const head = rows[0]![0]!;
  const big = rows[0]!.find((d) => d[head.indexOf('Text')]!.startsWith('lorem ipsum'))!;
  assert.equal(big[head.indexOf('Text')]!.length, EXCEL_MAX_CELL);
  assert.match(big[head.indexOf('Notes')]!, /Text cut at 32,767 of 45,003 characters/);
});

test('a new sheet when a sheet is full (limit lowered to 5 rows for the test)', async () => {
  const r = await produce(session, { format: 'xlsx', out: path.join(dir, 'x3') }, { writer: xlsxWriter({ rowsPerSheet: 5 }) });
  const { names, rows } = readBook(r.files[0]!.path);
  assert.deepEqual(names, ['Messages', 'Messages (2)', 'Messages (3)', 'Messages (4)']);
  assert.deepEqual(rows.map((s) => s.length), [5, 5, 5, 4]);
  assert.equal(rows.reduce((a, s) => a + s.length - 1, 0), r.messages);
});

test('the same definition gives a byte-identical workbook (fixed zip and document dates)', async () => {
  const a = await produce(session, { format: 'xlsx', out: path.join(dir, 'x4'), tags: ['Responsive'] });
  await new Promise((res) => setTimeout(res, 2100)); // zip times have 2-second resolution
  const b = await produce(session, { format: 'xlsx', out: path.join(dir, 'x5'), tags: ['Responsive'] });
  assert.deepEqual(folderHashes(a.outDir), folderHashes(b.outDir));
  assert.equal(readBook(a.files[0]!.path).rows[0]!.length - 1, 5);
});
