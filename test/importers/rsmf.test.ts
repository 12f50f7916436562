import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { FIXTURES, tempDir } from '../helpers/case.ts';
import { buildZip } from '../helpers/zip-writer.ts';
import type { ZipSpec } from '../helpers/zip-writer.ts';
import { createCase, expectImportFailure, importSource, messages, snapshot } from './helpers.ts';
import { rsmfImporter } from '../../src/importers/rsmf/importer.ts';
import { rsmfTime } from '../../src/importers/rsmf/manifest.ts';
import type { MessageDTO } from '../../src/api/dto.ts';

const SAMPLE3 = path.join(FIXTURES, 'rsmf/sample3.rsmf');
const SAMPLE4 = path.join(FIXTURES, 'rsmf/Sample4');
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

/** An .rsmf as generators write it: an EML with X-RSMF-* headers and rsmf.zip base64-encoded. */
function rsmfEml(zip: Buffer, version = '2.0.0'): string {
  return [
    'From: Collector <collector@example.com>', 'To: Reviewer <>', `X-RSMF-Version: ${version}`, 'X-RSMF-Generator: Holdfast test generator',
    'X-RSMF-EventCount: 9', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="RSMFEML"', '',
    '--RSMFEML', 'Content-Type: text/plain; charset="us-ascii"', '', 'Deal desk chat', '',
    '--RSMFEML', 'Content-Type: application/octet-stream; name=rsmf.zip', 'Content-Disposition: attachment; filename=rsmf.zip',
    'Content-Transfer-Encoding: base64', '', zip.toString('base64').replace(/(.{76})/g, '$1\r\n'), '--RSMFEML--', '',
  ].join('\r\n');
}

function manifest2(): unknown {
  return {
    version: '2.0.0',
    participants: [
      { id: 'P1', display: 'Keith Kaminski', email: 'Keith.Kaminski@example.com', account_id: '588-2300' },
      { id: 'P2', display: 'Karl Ek', account_id: 'U0KARL' },
      { id: 'P3', display: 'Mia Ross' },
    ],
    conversations: [
      { id: 'C1', display: 'Keith and Karl', platform: 'sms', type: 'direct', participants: ['P1', 'P2'] },
      { id: 'C2', display: '#deals', platform: 'Slack', type: 'channel', participants: ['P1', 'P2', 'P3'] },
    ],
    events: [
      { id: 'm1', type: 'message', conversation: 'C1', participant: 'P1', timestamp: '2018-09-11T09:45:00', body: 'You there?', direction: 'outgoing',
        read_receipts: [{ participant: 'P2', timestamp: '2018-09-11T09:46:00', action: 'read' }] },
      { id: 'm2', type: 'message', conversation: 'C1', participant: 'P2', timestamp: '2018-09-11T11:47:30+02:00', body: 'Looks good!', direction: 'incoming',
        parent: 'm1', importance: 'high',
        edits: [{ participant: 'P2', timestamp: '2018-09-11T09:48:00Z', previous: 'What is this?', new: 'Looks good!' }],
        reactions: [{ value: 'thumbsup', count: 3, participants: ['P1'] }],
        attachments: [{ id: 'ATT001.PNG', display: 'partyon.png', size: PNG.length }, { id: 'ATT404.PDF', display: 'missing.pdf' }] },
      { id: 'm3', type: 'message', conversation: 'C1', participant: 'P1', timestamp: '2018-09-11T09:50:00.250Z', body: 'oops', deleted: true },
      { type: 'join', conversation: 'C2', participant: 'P3', timestamp: '2018-09-12T08:00:00Z' },
      { type: 'disclaimer', conversation: 'C2', timestamp: '2018-09-12T08:00:01Z', body: 'This channel is recorded.' },
      { type: 'history', conversation: 'C2', participant: 'P1', timestamp: '2018-09-12T08:00:02Z', body: 'History was turned on' },
      { type: 'unknown', conversation: 'C2', participant: 'P2', timestamp: '2018-09-12T08:00:03Z', body: 'Something happened' },
      { type: 'leave', conversation: 'C2', participant: 'P3', timestamp: '2018-09-12T09:00:00Z' },
      { id: 'x1', type: 'message', conversation: 'C2', participant: 'P1', timestamp: '2018-02-31T10:00:00Z', body: 'impossible date' },
      { id: 'x2', type: 'message', conversation: 'C9', participant: 'P1', timestamp: '2018-09-12T10:00:00Z', body: 'nowhere' },
    ],
  };
}

async function zipWith(manifest: unknown, extra: ZipSpec[] = []): Promise<Buffer> {
  return buildZip([{ name: 'rsmf_manifest.json', data: JSON.stringify(manifest, null, 2) }, ...extra]);
}

const byText = (list: MessageDTO[], text: string) => {
  const m = list.find((x) => x.text === text);
  assert.ok(m, text);
  return m;
};

test('RSMF timestamps: no offset is UTC, offsets and fractions honoured, impossible dates refused', () => {
  assert.equal(rsmfTime('2013-01-10T15:53:00'), Date.UTC(2013, 0, 10, 15, 53));
  assert.equal(rsmfTime('2018-09-11T11:47:30+02:00'), Date.UTC(2018, 8, 11, 9, 47, 30));
  assert.equal(rsmfTime('2018-09-11T09:50:00.250Z'), Date.UTC(2018, 8, 11, 9, 50, 0, 250));
  assert.equal(rsmfTime('2018-02-31T10:00:00Z'), undefined);
  assert.equal(rsmfTime('yesterday'), undefined);
});

test('Sample3 sample.rsmf (RSMF 2.0 EML container) imports', async () => {
  const c = createCase();
  const r = await importSource(c, SAMPLE3);
  assert.equal(r.format, 'rsmf');
  assert.equal(r.messages, 1);
  assert.equal(r.warningCount, 0);
  const [m] = await messages(c);
  assert.equal(m!.text, 'This is body text.');
  assert.equal(m!.sender, 'Participant Name');
  assert.equal(m!.sentAt, '2013-01-10T15:53:00.000Z');
  assert.equal(m!.conversation, 'C1');
  assert.equal(m!.kind, 'message');
  assert.equal((await importSource(c, SAMPLE3)).alreadyImported, true);
  assert.equal((await messages(c)).length, 1);
});

test('Sample4 (intentionally invalid manifest) imports with warnings for each schema breach', async () => {
  const c = createCase();
  const r = await importSource(c, SAMPLE4);
  assert.equal(r.messages, 1);
  assert.ok(r.warnings.some((w) => w.locator === 'participants[0]' && /not a string/.test(w.message)));
  assert.ok(r.warnings.some((w) => w.code === 'UNKNOWN_TARGET' && /participant "2" is not defined/.test(w.message)));
  const [m] = await messages(c);
  assert.equal(m!.text, 'Here is an event body');
  assert.equal(m!.sender, 'Participant Display', 'numeric id 1 matches event participant "1"');
  assert.equal(m!.attachments[0]!.name, 'avatar.png');
  assert.equal(m!.attachments[0]!.sha256, null);
});

test('a generated RSMF 2.0: replies, edits, reactions, deletions, attachments, system events, direction, bad events', async () => {
  const dir = tempDir();
  const zip = await zipWith(manifest2(), [{ name: 'ATT001.PNG', data: PNG }, { name: '../evil.txt', data: 'zip slip' }]);
  const file = path.join(dir, 'deal-desk.rsmf');
  fs.writeFileSync(file, rsmfEml(zip));
  const c = createCase();
  const r = await importSource(c, file);
  assert.equal(r.messages, 8);
  assert.equal(r.conversations, 2);
  const codes = r.warnings.map((w) => `${w.code} ${w.locator}`);
  for (const expected of ['BAD_DATE events[8]', 'UNKNOWN_TARGET events[9]', 'UNSUPPORTED_FEATURE events[0]', 'BAD_RECORD entry ../evil.txt']) {
    assert.ok(codes.includes(expected), `${expected} in ${codes.join('; ')}`);
  }
  const list = await messages(c);
  const m1 = byText(list, 'You there?');
  assert.equal(m1.direction, 'out');
  assert.equal(m1.senderHandle, 'keith.kaminski@example.com');
  assert.equal(m1.sender, 'Keith Kaminski');
  assert.equal(m1.conversation, 'Keith and Karl');
  const m2 = byText(list, 'Looks good!');
  assert.equal(m2.sentAt, '2018-09-11T09:47:30.000Z');
  assert.equal(m2.direction, 'in');
  assert.equal(m2.replyTo, m1.id);
  assert.equal(m2.edited, true);
  assert.deepEqual(m2.edits.map((e) => [e.editedAt, e.text]), [['2018-09-11T09:48:00.000Z', 'What is this?']]);
  assert.deepEqual(m2.reactions.map((x) => `${x.value} ${x.sender ?? '-'}`).sort(), ['thumbsup -', 'thumbsup -', 'thumbsup Keith Kaminski']);
  assert.equal(m2.subject, '[importance: high]');
  assert.deepEqual(m2.attachments.map((a) => [a.name, a.size, a.sha256]), [
    ['partyon.png', PNG.length, createHash('sha256').update(PNG).digest('hex')],
    ['missing.pdf', null, null],
  ]);
  assert.equal(byText(list, 'oops').deleted, true);
  assert.equal(byText(list, 'oops').sentAt, '2018-09-11T09:50:00.250Z');
  const system = list.filter((m) => m.kind === 'system').map((m) => [m.systemType, m.text]);
  assert.deepEqual(system, [
    ['join', 'Mia Ross joined'], ['disclaimer', 'This channel is recorded.'], ['history', 'History was turned on'],
    ['other', 'Something happened'], ['leave', 'Mia Ross left'],
  ]);
  assert.equal(list.find((m) => m.systemType === 'join')!.conversation, '#deals');

  // The same manifest as a bare rsmf.zip adds nothing: the conversation identity and event ids are the same.
  const bare = path.join(dir, 'rsmf.zip');
  fs.writeFileSync(bare, zip);
  const again = await importSource(c, bare);
  assert.equal(again.messages, 0);
  assert.equal(again.duplicatesSkipped, 8);
});

test('an RSMF 1.0 bare zip', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'rsmf.zip');
  fs.writeFileSync(file, await zipWith({
    version: '1.0.0',
    participants: [{ id: 'a', display: 'Ann' }, { id: 'b', display: 'Bo' }],
    conversations: [{ id: 'c', platform: 'bloomberg', type: 'channel', participants: ['a', 'b'], display: 'IB chat' }],
    events: [
      { type: 'message', conversation: 'c', participant: 'a', timestamp: '2019-05-01T12:00:00', body: 'Price?' },
      { type: 'message', conversation: 'c', participant: 'b', timestamp: '2019-05-01T12:01:00', body: '101.5' },
    ],
  }));
  const c = createCase();
  const r = await importSource(c, file);
  assert.equal(r.messages, 2);
  assert.equal(r.warningCount, 0);
  assert.deepEqual((await messages(c)).map((m) => [m.sentAt, m.sender, m.text, m.conversation]), [
    ['2019-05-01T12:00:00.000Z', 'Ann', 'Price?', 'IB chat'],
    ['2019-05-01T12:01:00.000Z', 'Bo', '101.5', 'IB chat'],
  ]);
});

test('corrupt containers and unusable manifests fail with IMPORT_SOURCE_CORRUPT; the case is unchanged', async () => {
  const dir = tempDir();
  const c = createCase();
  await importSource(c, SAMPLE3);
  const before = await snapshot(c);
  const zip = await zipWith(manifest2());
  const cut = path.join(dir, 'cut.rsmf');
  const eml = rsmfEml(zip);
  fs.writeFileSync(cut, eml.slice(0, eml.indexOf('--RSMFEML--') - 300));
  assert.match(await expectImportFailure(c, cut, 'IMPORT_SOURCE_CORRUPT', [], before), /cut\.rsmf \(attachment rsmf\.zip\) is not a readable zip/);
  const badJson = path.join(dir, 'bad-json.rsmf');
  fs.writeFileSync(badJson, rsmfEml(await buildZip([{ name: 'rsmf_manifest.json', data: '{"version": "2.0.0", "events": [' }])));
  assert.match(await expectImportFailure(c, badJson, 'IMPORT_SOURCE_CORRUPT', [], before), /rsmf_manifest\.json is not valid JSON/);
  const noEvents = path.join(dir, 'no-events.rsmf');
  fs.writeFileSync(noEvents, rsmfEml(await zipWith({ version: '2.0.0', participants: [], conversations: [] })));
  assert.match(await expectImportFailure(c, noEvents, 'IMPORT_SOURCE_CORRUPT', [], before), /events is missing/);
  const noZip = path.join(dir, 'no-zip.rsmf');
  fs.writeFileSync(noZip, 'X-RSMF-Version: 2.0.0\r\nFrom: a@b.c\r\nSubject: x\r\n\r\nno attachment\r\n');
  assert.match(await expectImportFailure(c, noZip, 'IMPORT_SOURCE_CORRUPT', [], before), /has no rsmf\.zip attachment/);
});

test('detect prefers RSMF over plain email and ignores other files', async () => {
  const dir = tempDir();
  assert.deepEqual(await rsmfImporter.detect(SAMPLE3), { confidence: 0.95, variant: 'rsmf-eml' });
  assert.equal((await rsmfImporter.detect(SAMPLE4)).variant, 'folder');
  const other = path.join(dir, 'other.zip');
  fs.writeFileSync(other, await buildZip([{ name: 'a.txt', data: 'x' }]));
  assert.equal((await rsmfImporter.detect(other)).confidence, 0);
  fs.writeFileSync(path.join(dir, 'mail.eml'), 'From: a@b.c\r\nTo: d@e.f\r\nSubject: hi\r\n\r\nbody\r\n');
  assert.equal((await rsmfImporter.detect(path.join(dir, 'mail.eml'))).confidence, 0);
  assert.equal((await rsmfImporter.detect(dir)).confidence, 0);
});
