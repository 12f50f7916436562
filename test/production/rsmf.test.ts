import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import yauzl from 'yauzl';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { buildCorpus, JPEG, MARK, PNG, PRODUCED_BY_DEFAULT } from './corpus.ts';
import { checkManifest, folderHashes } from './read-back.ts';
import { FIXTURES } from '../helpers/case.ts';
import { produce } from '../../src/production/api.ts';
import { rsmfWriter } from '../../src/production/formats/rsmf.ts';
import type { RsmfManifest } from '../../src/production/formats/rsmf.ts';

// ajv-formats is CommonJS whose module.exports is the plugin; its typings describe an ES default export.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
// ajv-formats has no idn-email (RFC 6531): internationalised local and domain parts around one @.
ajv.addFormat('idn-email', /^[^\s@]+@[^\s@]+\.[^\s@]+$/u);
const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(FIXTURES, 'rsmf/rsmf_schema_2_0_0.json'), 'utf8')));

const corpus = await buildCorpus();
const { session, dir } = corpus;

function unzip(buf: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const out = new Map<string, Buffer>();
      zip.on('entry', (e: yauzl.Entry) => {
        zip.openReadStream(e, (err2, s) => {
          if (err2 || !s) return reject(err2);
          const parts: Buffer[] = [];
          s.on('data', (d: Buffer) => parts.push(d));
          s.on('end', () => {
            out.set(e.fileName, Buffer.concat(parts));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

interface ReadRsmf {
  headers: Map<string, string>;
  body: string;
  zip: Map<string, Buffer>;
  manifest: RsmfManifest;
}

async function readRsmf(file: string): Promise<ReadRsmf> {
  const mail = await simpleParser(fs.readFileSync(file));
  const headers = new Map<string, string>();
  for (const l of mail.headerLines) headers.set(l.key.toLowerCase(), String(mail.headers.get(l.key.toLowerCase()) ?? ''));
  assert.equal(mail.attachments.length, 1, 'exactly one attachment');
  assert.equal(mail.attachments[0]!.filename, 'rsmf.zip');
  const zip = await unzip(mail.attachments[0]!.content);
  const manifest = JSON.parse(zip.get('rsmf_manifest.json')!.toString('utf8')) as RsmfManifest;
  return { headers, body: mail.text ?? '', zip, manifest };
}

test('the validator rejects Relativity\'s intentionally invalid sample (the check can fail)', () => {
  const bad = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'rsmf/sample4-invalid-manifest.json'), 'utf8'));
  assert.equal(validate(bad), false);
});

test('one RSMF 2.0 file per conversation-day, each manifest valid against the official schema', async () => {
  const r = await produce(session, { format: 'rsmf', out: path.join(dir, 'r1') });
  checkManifest(r);
  const rsmf = r.files.filter((f) => f.path.endsWith('.rsmf'));
  assert.equal(rsmf.length, 3);
  let events = 0;
  const bates: string[] = [];
  for (const f of rsmf) {
    const x = await readRsmf(f.path);
    assert.ok(validate(x.manifest), JSON.stringify(validate.errors));
    assert.equal(x.headers.get('x-rsmf-version'), '2.0.0');
    assert.equal(Number(x.headers.get('x-rsmf-eventcount')), x.manifest.events.length);
    assert.equal(x.headers.get('x-rsmf-eventcollectionid'), x.manifest.eventcollectionid);
    assert.equal(Date.parse(x.headers.get('x-rsmf-begindate')!), Date.parse(x.manifest.events[0]!.timestamp));
    assert.equal(Date.parse(x.headers.get('x-rsmf-enddate')!), Date.parse(x.manifest.events.at(-1)!.timestamp));
    // Every attachment the manifest names is in the zip with the content it claims.
    const named = new Set(x.manifest.events.flatMap((e) => (e.attachments ?? []).map((a) => a.id)));
    assert.equal(Number(x.headers.get('x-rsmf-attachmentcount')), named.size);
    for (const id of named) {
      const data = x.zip.get(id);
      assert.ok(data, `${id} in rsmf.zip`);
      assert.equal(createHash('sha256').update(data).digest('hex'), id.slice(0, 64));
    }
    // References resolve inside the manifest.
    const participants = new Set(x.manifest.participants.map((p) => p.id));
    const ids = new Set(x.manifest.events.map((e) => e.id));
    for (const e of x.manifest.events) {
      if (e.participant) assert.ok(participants.has(e.participant));
      if (e.parent) assert.ok(ids.has(e.parent));
      for (const rx of e.reactions ?? []) for (const p of rx.participants) assert.ok(participants.has(p));
    }
    for (const m of [MARK.privileged, MARK.personal, MARK.redacted]) {
      assert.ok(!JSON.stringify(x.manifest).includes(m) && !x.body.includes(m), `${m} withheld in ${f.path}`);
    }
    events += x.manifest.events.length;
    for (const e of x.manifest.events) {
      bates.push(e.custom!.find((c) => c.name === 'Bates')!.value);
      // Each collected attachment takes the next number after its message.
      for (const c of e.custom!.filter((c) => c.name === 'Attachment Bates')) bates.push(c.value.split(' ')[0]!);
    }
  }
  assert.equal(events, PRODUCED_BY_DEFAULT + r.withheld);
  assert.equal(r.withheld, 1);
  assert.deepEqual(bates, bates.map((_, i) => `HF${String(i + 1).padStart(7, '0')}`));
});

test('events carry direction, reactions, edits, deletion, replies as parents, and system types', async () => {
  const r = await produce(session, { format: 'rsmf', out: path.join(dir, 'r2'), conversationIds: [1] });
  const x = await readRsmf(r.files.find((f) => f.path.endsWith('.rsmf'))!.path);
  const byBody = (s: string) => x.manifest.events.find((e) => (e.body ?? '').includes(s))!;
  const m2 = byBody('Привет');
  assert.equal(m2.direction, 'incoming');
  assert.equal(m2.parent, byBody('Morning all').id);
  assert.deepEqual(m2.reactions!.map((rx) => rx.value).sort(), ['❤️', '👍'].sort());
  assert.equal(byBody('Morning all').direction, 'outgoing');
  const edited = byBody(MARK.chinese);
  assert.deepEqual(edited.edits!.map((e) => [e.previous, e.new.slice(0, 6)]), [['first draft of the price note', MARK.chinese]]);
  assert.equal(byBody('This message was deleted').deleted, true);
  assert.equal(byBody('Bob Jones left').type, 'leave');
  assert.ok(byBody('REDACTED: Personal data').custom!.some((c) => c.name === 'Redacted'));
  const photos = byBody('photos attached');
  assert.deepEqual(photos.attachments!.map((a) => a.display), ['IMG_0001.png', 'scan.jpg']);
  assert.deepEqual(x.zip.get(photos.attachments![0]!.id), PNG);
  assert.deepEqual(x.zip.get(photos.attachments![1]!.id), JPEG);
  assert.ok(photos.custom!.some((c) => c.name === 'Attachment not collected' && c.value.startsWith('voice-note.opus')));
  assert.ok(x.body.includes(MARK.arabic), 'the body is a readable transcript');
  assert.equal(x.manifest.conversations[0]!.type, 'channel');
});

test('a unit above the event limit is split into parts that stay together (limit lowered to 4)', async () => {
  const r = await produce(session, { format: 'rsmf', out: path.join(dir, 'r3'), conversationIds: [1] }, { writer: rsmfWriter({ maxEvents: 4 }) });
  const parts = await Promise.all(r.files.filter((f) => f.path.endsWith('.rsmf')).map((f) => readRsmf(f.path)));
  const day1 = parts.filter((p) => p.manifest.eventcollectionid.endsWith('2023-01-03'));
  assert.deepEqual(day1.map((p) => p.manifest.events.length), [4, 4, 3], 'ten messages and the withheld one');
  for (const p of parts) assert.ok(validate(p.manifest), JSON.stringify(validate.errors));
  assert.match(day1[2]!.headers.get('subject')!, /part 3 of 3/);
});

test('the same definition gives identical .rsmf files', async () => {
  const args = { format: 'rsmf' as const, batesPrefix: 'SAME', fixedDate: '2024-05-01T00:00:00Z' };
  const a = await produce(session, { ...args, out: path.join(dir, 'r4') });
  session.db.prepare('DELETE FROM productions WHERE id = ?').run(a.productionId); // the same case state again
  const b = await produce(session, { ...args, out: path.join(dir, 'r5') });
  assert.deepEqual(folderHashes(a.outDir), folderHashes(b.outDir));
});

test('the reader opens Relativity\'s own sample RSMF; the validator is stricter than it about time zones', async () => {
  const mail = await simpleParser(fs.readFileSync(path.join(FIXTURES, 'rsmf/sample3.rsmf')));
  assert.equal(String(mail.headers.get('x-rsmf-version')), '2.0.0');
  const zip = await unzip(mail.attachments.find((a) => a.filename === 'rsmf.zip')!.content);
  const manifest = JSON.parse(zip.get('rsmf_manifest.json')!.toString('utf8'));
  // The sample writes "2013-01-10T15:53:00" (no offset): RFC 3339 date-time, which ajv-formats checks, wants one.
  // Holdfast always writes UTC with "Z", so its manifests pass the strict check; this is the sample's only objection.
  assert.equal(validate(manifest), false);
  assert.deepEqual(validate.errors!.map((e) => [e.instancePath, e.keyword]), [['/events/0/timestamp', 'format']]);
});
