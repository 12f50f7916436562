/**
 * OCR end to end: a PNG with text rendered by the test is sent as WhatsApp media; the ocr job (run
 * without network where the system can cut it off) recognises it; `search ocr:…` finds the message with the text marked derived and
 * how it was made; the sender's text, the messages listing and a production never carry it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { cli, cliJson, filesContaining, PASSPHRASE, ROOT, tempDir, withCaseApi } from '../helpers/case.ts';
import { textPng } from '../helpers/text-image.ts';
import { writeExportZip } from '../review/corpus.ts';
import { createCaseFile, importFile, withCase, codeOf } from '../review/helpers.ts';
import type { JobDTO, SearchResultDTO } from '../../src/api/dto.ts';
import type { OcrResultDTO } from '../../src/api/analysis-dto.ts';
import { recognizeImages } from '../../src/enrich/ocr.ts';

const require = createRequire(import.meta.url);

test('text in an image is recognised offline, found by ocr: with the derived mark, and never produced as the sender\'s text', async () => {
  const dir = tempDir();
  const caseFile = createCaseFile(dir);
  const png = await textPng(['Wire the bonus to Zurich', 'before Friday']);
  const at = Date.UTC(2024, 4, 6, 10);
  const zip = await writeExportZip(dir, 'Desk', [
    { at, author: 'Alice Smith', text: 'see attached' , media: { name: 'IMG-20240506-WA0001.png', data: png } },
    { at: at + 60_000, author: 'Bob Jones', text: 'ok' },
  ]);
  await importFile(caseFile, zip, 'Alice');

  // Cancelled before the first image: nothing recognised, nothing half-written.
  await withCase(caseFile, async (s) => {
    const ac = new AbortController();
    ac.abort();
    assert.equal(await codeOf(() => recognizeImages(s, { langs: ['eng'] }, ac.signal)), 'CANCELLED');
    assert.equal(s.db.prepare('SELECT count(*) FROM attachment_text').pluck().get(), 0);
  });

  // In a network namespace of its own (no interface but loopback) where the system allows one: offline for real.
  const isolated = spawnSync('unshare', ['-rn', 'true']).status === 0;
  const ocr = spawnSync(isolated ? 'unshare' : process.execPath, [...(isolated ? ['-rn', process.execPath] : []), path.join(ROOT, 'bin/holdfast.js'), 'ocr', caseFile, '--json'], {
    env: { ...process.env, HOLDFAST_PASSPHRASE: PASSPHRASE }, encoding: 'utf8',
  });
  assert.equal(ocr.status, 0, ocr.stderr);
  const r = { stdout: ocr.stdout };
  assert.deepEqual(JSON.parse(r.stdout) as OcrResultDTO, { images: 1, recognised: 1, failed: [], lang: 'eng' }, 'English by default: the messages are too short for a language');
  assert.deepEqual(cliJson<OcrResultDTO>(['ocr', caseFile, '--json']), { images: 0, recognised: 0, failed: [], lang: 'eng' }, 'done once');

  const found = cliJson<SearchResultDTO>(['search', caseFile, 'ocr:zurich', '--json']);
  assert.equal(found.total, 1);
  const [derived] = found.hits[0]!.derived!;
  const data = path.join(path.dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int/eng.traineddata.gz');
  assert.deepEqual(
    { ...derived!, confidence: 0, attachmentId: 0 },
    {
      kind: 'ocr', attachmentId: 0, attachment: 'IMG-20240506-WA0001.png', text: derived!.text, engine: 'tesseract.js',
      engineVersion: (require('tesseract.js/package.json') as { version: string }).version, lang: 'eng',
      dataSha256: crypto.createHash('sha256').update(fs.readFileSync(data)).digest('hex'), confidence: 0,
    },
  );
  assert.match(derived!.text, /Wire the bonus to Zurich\s+before Friday/);
  assert.ok(derived!.confidence > 60, `confidence ${derived!.confidence}`);
  assert.equal(cliJson<SearchResultDTO>(['search', caseFile, 'ocr:"bonus to zurich"', '--json']).total, 1);
  assert.equal(cliJson<SearchResultDTO>(['search', caseFile, 'ocr:geneva', '--json']).total, 0);

  // Not the sender's words: plain text search, the messages listing and a production do not have them.
  assert.equal(cliJson<SearchResultDTO>(['search', caseFile, 'zurich', '--json']).total, 0);
  assert.doesNotMatch(cli(['messages', caseFile, '--jsonl']).stdout, /Zurich/);
  const out = path.join(dir, 'production');
  cliJson(['produce', caseFile, '--format', 'dat', '--out', out, '--json']);
  assert.deepEqual(filesContaining(out, 'Zurich'), []);
  assert.ok(filesContaining(out, 'see attached').length > 0, 'the production does hold the sender\'s text');
});

test('an OCR run cancelled part way keeps what it read and says so to the app: the images\' text and the count left change', async () => {
  const dir = tempDir();
  const caseFile = createCaseFile(dir);
  const at = Date.UTC(2024, 4, 6, 10);
  // Enough images that the cancel, sent once the first is read, always lands before the last (each takes a recognition).
  const count = 12;
  const scans = await Promise.all(Array.from({ length: count }, async (_, i) => ({
    at: at + i * 60_000, author: 'Alice Smith', text: `scan ${i}`, media: { name: `IMG-20240506-WA${String(i).padStart(4, '0')}.png`, data: await textPng([`Invoice ${4470 + i} paid`]) },
  })));
  await importFile(caseFile, await writeExportZip(dir, 'Desk', scans), 'Alice');
  await withCaseApi(caseFile, async (api) => {
    const recognised = new Promise<void>((resolve) => api.on('case.changed', (p) => p.what === 'recognised' && resolve()));
    const finished = new Promise<JobDTO>((resolve) => api.on('job.finished', resolve));
    const { jobId } = await api.call('enrich.ocr', { langs: ['eng'] });
    // Cancelled once the first image is read: the check between images stops it before the last.
    await new Promise<void>((resolve) => api.on('job.progress', (p) => p.jobId === jobId && p.progress.done >= 1 && resolve()));
    await api.call('jobs.cancel', { jobId });
    assert.equal((await finished).state, 'cancelled');
    const late = new Promise<string>((resolve) => setTimeout(resolve, 10_000, 'none').unref());
    assert.equal(await Promise.race([recognised.then(() => 'recognised'), late]), 'recognised', 'the app is told the images\' text changed');
    const left = (await api.call('enrich.ocrOptions', {})).pendingImages;
    assert.ok(left > 0 && left < count, `${left} images left`);
  });
});
