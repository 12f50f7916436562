/**
 * Text recognition in other languages than English, from the data packaged on npm: German with
 * umlauts read with `deu` (the case's default, its messages being German) where English alone
 * misreads them, read again with `--redo`; Chinese and Arabic rendered in the bundled Noto fonts;
 * each result records every language and its data's hash; a language without data is refused,
 * naming it and listing those there are.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { cli, cliJson, tempDir } from '../helpers/case.ts';
import { textPng } from '../helpers/text-image.ts';
import { writeExportZip } from '../review/corpus.ts';
import { createCaseFile, importFile, withCase } from '../review/helpers.ts';
import type { SearchResultDTO } from '../../src/api/dto.ts';
import type { OcrOptionsDTO, OcrResultDTO } from '../../src/api/analysis-dto.ts';
import { recognizeImages } from '../../src/enrich/ocr.ts';
import { defaultOcrLanguages, ocrDataDir } from '../../src/enrich/ocr-languages.ts';

const sha = (code: string) => crypto.createHash('sha256').update(fs.readFileSync(path.join(ocrDataDir(code)!, `${code}.traineddata.gz`))).digest('hex');
const ocrHits = (caseFile: string, q: string) => cliJson<SearchResultDTO>(['search', caseFile, `ocr:${q}`, '--json']);

test('German text is read with the German data, the case\'s default; English alone misreads it and --redo reads it again', async () => {
  const dir = tempDir();
  const caseFile = createCaseFile(dir);
  const at = Date.UTC(2024, 4, 6, 10);
  const zip = await writeExportZip(dir, 'Büro', [
    { at, author: 'Anna Keller', text: 'Hier ist die Rechnung, bitte schnell bezahlen.', media: { name: 'IMG-20240506-WA0001.png', data: await textPng(['Grüße aus München', 'Überweisung für Bäcker']) } },
    { at: at + 60_000, author: 'Jonas Weber', text: 'Ich habe die Überweisung heute Morgen gemacht.' },
    { at: at + 120_000, author: 'Anna Keller', text: 'Danke, dann ist alles erledigt für diese Woche.' },
  ]);
  await importFile(caseFile, zip, 'Anna');

  const options = cliJson<OcrOptionsDTO>(['ocr', caseFile, '--list-languages', '--json']);
  assert.deepEqual(options.suggested, ['deu', 'eng'], 'the messages are German');
  assert.equal(options.pendingImages, 1);
  for (const code of ['eng', 'deu', 'fra', 'spa', 'ita', 'nld', 'por', 'ara', 'chi_sim', 'chi_tra', 'jpn']) assert.ok(options.languages.some((l) => l.code === code), code);

  // Unknown or unavailable languages are refused before anything runs, naming them and what there is.
  const refused = cli(['ocr', caseFile, '--lang', 'deu,xx,rus']);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /^holdfast: VALIDATION: No text-recognition data for "xx", "rus"; available: ara, chi_sim, chi_tra, deu, eng, fra, ita, jpn, nld, por, spa\./);

  assert.deepEqual(cliJson<OcrResultDTO>(['ocr', caseFile, '--lang', 'eng', '--json']), { images: 1, recognised: 1, failed: [], lang: 'eng' });
  assert.equal(ocrHits(caseFile, 'münchen').total, 0, 'English data does not know ü');
  assert.deepEqual(cliJson<OcrResultDTO>(['ocr', caseFile, '--json']), { images: 0, recognised: 0, failed: [], lang: 'deu+eng' }, 'read once already');

  assert.deepEqual(cliJson<OcrResultDTO>(['ocr', caseFile, '--redo', '--json']), { images: 1, recognised: 1, failed: [], lang: 'deu+eng' });
  const found = ocrHits(caseFile, 'münchen');
  assert.equal(found.total, 1);
  const [derived] = found.hits[0]!.derived!;
  assert.match(derived!.text, /Grüße aus München\s+Überweisung für Bäcker/);
  assert.equal(derived!.lang, 'deu+eng');
  assert.equal(derived!.dataSha256, `${sha('deu')}+${sha('eng')}`);
  assert.ok(derived!.confidence > 80, `confidence ${derived!.confidence}`);
  assert.equal(ocrHits(caseFile, 'grüße').total, 1);
  assert.deepEqual(cliJson<OcrResultDTO>(['ocr', caseFile, '--redo', '--json']), { images: 0, recognised: 0, failed: [], lang: 'deu+eng' }, 'already read in these languages');
});

test('Chinese and Arabic rendered in the bundled fonts are read with their data and found by ocr:', async () => {
  const dir = tempDir();
  const caseFile = createCaseFile(dir);
  const at = Date.UTC(2024, 4, 6, 10);
  const zip = await writeExportZip(dir, 'Desk', [
    { at, author: 'Li Wei', text: 'scan', media: { name: 'IMG-20240506-WA0001.png', data: await textPng(['银行转账已经完成'], { script: 'chinese-simplified' }) } },
    { at: at + 60_000, author: 'Omar Haddad', text: 'scan', media: { name: 'IMG-20240506-WA0002.png', data: await textPng(['تم تحويل المبلغ إلى البنك'], { script: 'arabic' }) } },
  ]);
  await importFile(caseFile, zip, 'Desk');
  await withCase(caseFile, async (s) => {
    // Chinese first: the vertical-text data its own names (not packaged) must not stop the Arabic loading after it.
    assert.deepEqual(await recognizeImages(s, { langs: ['chi_sim', 'ara'] }), { images: 2, recognised: 2, failed: [], lang: 'chi_sim+ara' });
  });
  const chinese = ocrHits(caseFile, '转账');
  assert.equal(chinese.total, 1);
  assert.equal(chinese.hits[0]!.derived![0]!.text.replace(/\s/g, ''), '银行转账已经完成');
  assert.equal(chinese.hits[0]!.derived![0]!.dataSha256, `${sha('chi_sim')}+${sha('ara')}`);
  const arabic = ocrHits(caseFile, 'البنك');
  assert.equal(arabic.total, 1);
  assert.equal(arabic.hits[0]!.derived![0]!.text, 'تم تحويل المبلغ إلى البنك', 'in logical order, without the direction marks tesseract puts round a line');
});

test('the default is the detected message languages with data, frequent enough, at most three, then English', () => {
  assert.deepEqual(defaultOcrLanguages([]), ['eng']);
  assert.deepEqual(
    defaultOcrLanguages([
      { value: 'und', count: 5000 },
      { value: 'deu', count: 600 },
      { value: 'eng', count: 300 },
      { value: 'cmn', count: 50 },
      { value: 'rus', count: 40 },
      { value: 'arb', count: 20 },
      { value: 'fra', count: 15 },
      { value: 'ita', count: 5 },
    ]),
    ['deu', 'chi_sim', 'ara', 'eng'],
    'Russian has no data; French is the fourth; Italian is under 1% of the messages with a known language',
  );
});
