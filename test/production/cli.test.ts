import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { buildCorpus, MARK } from './corpus.ts';
import { pdftotext, sha256File } from './read-back.ts';
import { cli, cliJson } from '../helpers/case.ts';

const corpus = await buildCorpus();
corpus.session.close();
const casePath = corpus.session.path;
const dir = corpus.dir;

interface ProduceJson {
  productionId: number;
  messages: number;
  files: { path: string; sha256: string; firstBates: string | null; lastBates: string | null }[];
}

test('holdfast produce --json: the contract shape, files that exist and hash as stated', () => {
  const out = path.join(dir, 'cli-pdf');
  const r = cliJson<ProduceJson>(['produce', casePath, '--format', 'pdf', '--out', out, '--query', 'price', '--context', '1', '--bates-prefix', 'ABC', '--bates-start', '7', '--json']);
  assert.equal(r.productionId, 1);
  assert.ok(r.messages >= 2);
  for (const f of r.files) {
    assert.ok(path.isAbsolute(f.path) && fs.existsSync(f.path));
    assert.equal(sha256File(f.path), f.sha256);
  }
  const pdf = r.files.find((f) => f.path.endsWith('.pdf'))!;
  assert.equal(pdf.firstBates, 'ABC0000007');
  const text = pdftotext(pdf.path);
  assert.ok(text.includes('price is confirmed'));
  assert.ok(!text.includes(MARK.privileged));
  const verify = cliJson<{ ok: boolean }>(['verify', casePath, '--json']);
  assert.equal(verify.ok, true);
});

test('other formats run from the command line (all are covered in-process by the other tests)', () => {
  for (const format of ['rsmf', 'privlog']) {
    const r = cliJson<ProduceJson>(['produce', casePath, '--format', format, '--out', path.join(dir, `cli-${format}`), '--tag', format === 'privlog' ? 'Privileged' : 'Responsive', '--json']);
    assert.ok(r.files.length > 0, format);
    assert.equal(r.messages, format === 'privlog' ? 1 : 5, format);
  }
});

test('usage errors exit 2; bad definitions and busy folders exit 1 with a typed error; nothing is left behind', () => {
  const usage = cli(['produce', casePath, '--format', 'docx', '--out', path.join(dir, 'x')]);
  assert.equal(usage.status, 2);
  const badTag = cli(['produce', casePath, '--format', 'pdf', '--out', path.join(dir, 'x'), '--tag', 'No such tag']);
  assert.equal(badTag.status, 1);
  assert.match(badTag.stderr, /^holdfast: VALIDATION: There is no tag named "No such tag"/);
  const busy = cli(['produce', casePath, '--format', 'pdf', '--out', path.join(dir, 'cli-pdf')]);
  assert.equal(busy.status, 1);
  assert.match(busy.stderr, /VALIDATION: .* is not empty/);
  assert.equal(fs.existsSync(path.join(dir, 'x')), false);
  assert.deepEqual(fs.readdirSync(dir).filter((n) => n.includes('holdfast-partial')), []);
});
