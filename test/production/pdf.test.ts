import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { buildCorpus, MARK, PRODUCED_BY_DEFAULT } from './corpus.ts';
import { checkManifest, folderHashes, grepFolder, listFiles, pdffonts, pdfPages, pdftotext, sha256File } from './read-back.ts';
import { produce } from '../../src/production/api.ts';
import { verifyCase } from '../../src/case/verify.ts';
import { productionManifestCheck } from '../../src/production/manifest.ts';
import { HoldfastError } from '../../src/api/errors.ts';
import { DAT_QUOTE, DAT_SEP } from '../../src/production/formats/loadfile.ts';
import { pdfWriterWith } from '../../src/production/formats/pdf.ts';
import { dataOf, dataOfConnection } from '../../src/case/data/index.ts';

const corpus = await buildCorpus();
const { session, dir } = corpus;
const out = path.join(dir, 'pdf-prod');
const ARGS = { format: 'pdf' as const, batesPrefix: 'ACME', batesStart: 100, batesWidth: 6, legend: 'CONFIDENTIAL – ATTORNEYS’ EYES ONLY', fixedDate: '2024-05-01T00:00:00Z' };
const result = await produce(session, { ...ARGS, out });

/** Runs `fn` on the case as it was before the first production (its numbers free again), then forgets what `fn` produced. */
async function asBefore<T extends { productionId: number }>(fn: () => Promise<T>): Promise<T> {
  session.db.prepare("UPDATE productions SET status = 'set-aside' WHERE id = ?").run(result.productionId);
  try {
    const r = await fn();
    session.db.prepare('DELETE FROM productions WHERE id = ?').run(r.productionId);
    return r;
  } finally {
    session.db.prepare("UPDATE productions SET status = 'complete' WHERE id = ?").run(result.productionId);
  }
}
const pdfs = result.files.filter((f) => f.path.endsWith('.pdf'));
const allText = pdfs.map((f) => pdftotext(f.path)).join('\n');

test('one transcript per review unit (conversation-day), all work messages but the privileged one', () => {
  // Project Falcon on 3 and 4 January, the direct chat on 3 January; the personal chat is left out.
  assert.equal(pdfs.length, 3);
  assert.equal(result.messages, PRODUCED_BY_DEFAULT);
  const rows = session.db.prepare('SELECT count(*) FROM production_items WHERE production_id = ?').pluck().get(result.productionId);
  assert.equal(rows, PRODUCED_BY_DEFAULT + result.withheld, 'the privileged message is recorded as withheld');
  assert.equal(result.withheld, 1);
});

test('every script extracts as text: Latin, Cyrillic, Arabic, Hebrew, Chinese, Japanese, Korean, Devanagari, Thai, emoji', () => {
  for (const needle of ['Morning all', 'Привет', MARK.arabic, MARK.hebrew, MARK.chinese, MARK.japanese, MARK.korean, 'नमस्ते', 'สวัสดี', MARK.emoji, 'Chloé Martin', 'يوسف']) {
    assert.ok(allText.includes(needle), `"${needle}" is extractable`);
  }
});

test('all fonts are embedded subsets with Unicode maps, one per script used', () => {
  const names = new Set<string>();
  for (const f of pdfs) {
    for (const font of pdffonts(f.path)) {
      assert.ok(font.embedded && font.subset && font.unicode, `${font.name} in ${f.path} is embedded, subset, mapped`);
      names.add(font.name.replace(/^[A-Z]+\+/, ''));
    }
  }
  for (const family of ['NotoSans-Regular', 'NotoSansArabic-Regular', 'NotoSansHebrew-Regular', 'NotoEmoji-Regular', 'NotoSansDevanagari-Regular', 'NotoSansThai-Regular']) {
    assert.ok(names.has(family), `${family} used`);
  }
  assert.ok([...names].some((n) => n.startsWith('NotoSansCJK')), 'a CJK face is used');
});

test('each page carries its own Bates number in the footer, numbered across the whole production', () => {
  let expected = 100;
  const natives = result.files.filter((f) => f.path.includes('/NATIVES/'));
  for (const f of pdfs) {
    // A transcript's attachments take the numbers after its last page.
    while (natives[0] && natives[0].firstBates! < f.firstBates!) {
      assert.equal(natives.shift()!.firstBates, `ACME${String(expected).padStart(6, '0')}`);
      expected++;
    }
    const pages = pdfPages(f.path);
    assert.equal(f.pages, pages);
    assert.equal(f.firstBates, `ACME${String(expected).padStart(6, '0')}`);
    for (let p = 1; p <= pages; p++) {
      const text = pdftotext(f.path, p);
      assert.ok(text.includes(`ACME${String(expected).padStart(6, '0')}`), `page ${p} of ${f.path} shows ACME${expected}`);
      assert.ok(text.includes('CONFIDENTIAL – ATTORNEYS’ EYES ONLY'), 'legend on every page');
      expected++;
    }
    assert.equal(f.lastBates, `ACME${String(expected - 1).padStart(6, '0')}`);
  }
  for (const n of natives) assert.equal(n.firstBates, `ACME${String(expected++).padStart(6, '0')}`);
  assert.equal(result.batesFirst, 'ACME000100');
  assert.equal(result.batesLast, `ACME${String(expected - 1).padStart(6, '0')}`);
});

test('privileged, personal and redacted text is not in any output; the redaction shows as a labelled box', () => {
  for (const marker of [MARK.privileged, MARK.personal, MARK.redacted]) {
    assert.ok(!allText.includes(marker), `${marker} absent from PDF text`);
    assert.deepEqual(grepFolder(out, marker), [], `${marker} absent from every file`);
  }
  assert.ok(allText.includes('REDACTED: Personal data'));
  assert.ok(allText.includes('Account 12345678 ref'), 'the rest of the redacted message stays');
});

test('transcripts read like the chat: header, replies, reactions, edits, deletion, system events, attachments', () => {
  const first = pdftotext(pdfs[0]!.path);
  for (const needle of ['Project Falcon', 'Matter', 'Test matter', 'Participants', 'Period', 'Tuesday, 3 January 2023', 'created group', 'Bob Jones left',
    'Deleted by the sender', 'Edited', 'first draft of the price note', 'IMG_0001.png', 'scan.jpg', 'not collected', '2023-01-03 08:00:00 UTC']) {
    assert.ok(first.includes(needle), `"${needle}" in the first transcript`);
  }
});

test('manifest: every file listed with its recomputed SHA-256; load files: DAT per transcript, OPT per page', () => {
  const manifest = checkManifest(result);
  const dat = fs.readFileSync(path.join(out, 'DATA/ACME000100.dat'), 'utf8');
  assert.equal(dat.charCodeAt(0), 0xfeff, 'UTF-8 with BOM');
  const records = dat.slice(1).split('\r\n').filter(Boolean);
  const natives = manifest.files.filter((f) => f.path.startsWith('NATIVES/'));
  assert.equal(natives.length, 3, 'png, jpeg and the text file; the voice note was not collected');
  assert.equal(records.length, 1 + pdfs.length + natives.length);
  for (const r of records) {
    const fields = r.split(DAT_SEP);
    assert.equal(fields.length, 23);
    for (const field of fields) assert.ok(field.startsWith(DAT_QUOTE) && field.endsWith(DAT_QUOTE));
  }
  const opt = fs.readFileSync(path.join(out, 'DATA/ACME000100.opt'), 'utf8').split('\r\n').filter(Boolean);
  const pages = pdfs.reduce((a, f) => a + (f.pages ?? 0), 0);
  assert.equal(opt.length, pages);
  assert.equal(opt.filter((l) => l.split(',')[3] === 'Y').length, pdfs.length, 'one document break per transcript');
  for (const f of manifest.files.filter((x) => x.path.startsWith('TEXT/'))) assert.ok(fs.statSync(path.join(out, f.path)).size > 0);
});

test('the same definition on the same case gives identical files', async () => {
  const again = await asBefore(() => produce(session, { ...ARGS, out: path.join(dir, 'pdf-again') }));
  assert.deepEqual(folderHashes(again.outDir), folderHashes(out));
});

test('laid out by the worker pool, the files are byte-identical to those laid out in this thread', async () => {
  // The production above is small, so it was laid out in this thread; this one forces the pool.
  const pooled = await asBefore(() => produce(session, { ...ARGS, out: path.join(dir, 'pdf-pooled') }, { writer: pdfWriterWith({ poolMinMessages: 0 }) }));
  assert.ok(pdfs.length > 1, 'more than one transcript, so more than one worker');
  assert.deepEqual(folderHashes(pooled.outDir), folderHashes(out));
});

test('context messages are produced and marked; privileged neighbours never are', async () => {
  const r = await produce(session, { format: 'pdf', out: path.join(dir, 'pdf-context'), tags: ['Hot'], context: 3 });
  // m9 is Hot; 3 either side in Falcon without the privileged m6: m5, m7, m8 before, s2, m10, m11 after.
  assert.equal(r.messages, 7);
  assert.equal(r.contextMessages, 6);
  const text = r.files.filter((f) => f.path.endsWith('.pdf')).map((f) => pdftotext(f.path)).join('\n');
  assert.ok(!text.includes(MARK.privileged));
  assert.ok((text.match(/CONTEXT ·|· context/g) ?? []).length >= 6, 'each context message is marked');
});

test('a conversation per transcript with --per conversation', async () => {
  const r = await produce(session, { format: 'pdf', out: path.join(dir, 'pdf-conv'), per: 'conversation' });
  assert.equal(r.files.filter((f) => f.path.endsWith('.pdf')).length, 2);
});

test('verify checks the recorded manifests and names a tampered one', () => {
  assert.deepEqual(verifyCase(dataOf(session), [productionManifestCheck]).problems, []);
  const db = session.db;
  const before = db.prepare('SELECT manifest FROM productions WHERE id = ?').pluck().get(result.productionId) as string;
  db.prepare('UPDATE productions SET manifest = ? WHERE id = ?').run(before.replace('"messages": 14', '"messages": 15'), result.productionId);
  const problems = verifyCase(dataOfConnection(db), [productionManifestCheck]).problems;
  assert.ok(problems.some((p) => p.table === 'productions' && p.id === result.productionId && p.field === 'manifest'), JSON.stringify(problems));
  db.prepare('UPDATE productions SET manifest = ? WHERE id = ?').run(before, result.productionId);
});

test('a cancelled production leaves no files, no folder and no production record', async () => {
  const target = path.join(dir, 'pdf-cancelled');
  const controller = new AbortController();
  const before = session.db.prepare('SELECT count(*) FROM productions').pluck().get();
  await assert.rejects(
    produce(session, { format: 'pdf', out: target }, { signal: controller.signal, onProgress: (p) => { if (p.phase === 'writing') controller.abort(); } }),
    (err: unknown) => err instanceof HoldfastError && err.code === 'CANCELLED',
  );
  assert.equal(fs.existsSync(target), false);
  assert.deepEqual(fs.readdirSync(dir).filter((n) => n.includes('pdf-cancelled')), []);
  assert.equal(session.db.prepare('SELECT count(*) FROM productions').pluck().get(), before);
  assert.equal(session.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'production.cancel'").pluck().get(), 1);
});

test('refuses a folder that is not empty, and a selection that matches nothing', async () => {
  const busy = path.join(dir, 'busy');
  fs.mkdirSync(busy);
  fs.writeFileSync(path.join(busy, 'x.txt'), 'x');
  await assert.rejects(produce(session, { format: 'pdf', out: busy }), (e: unknown) => e instanceof HoldfastError && e.code === 'VALIDATION');
  assert.deepEqual(listFiles(busy), ['x.txt']);
  await assert.rejects(produce(session, { format: 'pdf', out: path.join(dir, 'none'), tags: ['Non-responsive'] }), (e: unknown) => e instanceof HoldfastError && e.code === 'PRODUCTION_EMPTY');
  assert.equal(sha256File(path.join(busy, 'x.txt')).length, 64);
});
