import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { cliJson, tempDir } from '../helpers/case.ts';
import { buildZip } from '../helpers/zip-writer.ts';
import { instagramExport, JPEG, messengerExport, mojibake, PDF } from '../helpers/meta-export.ts';
import type { WrittenExport } from '../helpers/meta-export.ts';
import { createCase, expectImportFailure, importSource, messages, snapshot } from './helpers.ts';
import { repairMojibake } from '../../src/importers/meta/mojibake.ts';
import { metaMessages, threadsOf } from '../../src/importers/meta/importer.ts';
import { detectImporter } from '../../src/importers/registry.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function zipOf(exp: WrittenExport, prefix: string): Promise<string> {
  const out = path.join(tempDir(), `${path.basename(exp.root)}.zip`);
  fs.writeFileSync(out, await buildZip([...exp.files].map(([name, data]) => ({ name: prefix + name, data }))));
  return out;
}

test('mojibake: repaired only where the bytes are valid UTF-8', () => {
  assert.equal(repairMojibake('Dana L\u00c3\u00b3pez \u00f0\u009f\u0091\u008d'), 'Dana López 👍');
  assert.equal(repairMojibake('caf\u00e9'), 'caf\u00e9', 'a lone Latin-1 byte is not UTF-8: kept');
  assert.equal(repairMojibake('plain'), 'plain');
  assert.equal(repairMojibake('López'.normalize('NFC') + ' ✓'), 'López ✓', 'a string with real characters above U+00FF is kept');
  // Any text survives the defect and the repair; repaired text is never changed again.
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
    const wellFormed = Buffer.from(s, 'utf8').toString('utf8');
    assert.equal(repairMojibake(mojibake(wellFormed)), wellFormed);
  }));
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
    const once = repairMojibake(s);
    // The repair either keeps the text or returns the UTF-8 it spelled: re-encoding gives the input back.
    assert.ok(once === s || mojibake(once) === s);
  }));
});

test('thread files: grouped by thread folder, in number order, under any export root', () => {
  const threads = threadsOf([
    'x/your_facebook_activity/messages/inbox/a_1/message_10.json', 'x/your_facebook_activity/messages/inbox/a_1/message_2.json',
    'messages/archived_threads/b_2/message_1.json', 'messages/inbox/a_1/photos/1.jpg', 'other/message_1.json',
  ]);
  assert.deepEqual(threads.map((t) => [t.folder, t.box, t.files.map((f) => path.basename(f))]), [
    ['messages/archived_threads/b_2', 'archived_threads', ['message_1.json']],
    ['x/your_facebook_activity/messages/inbox/a_1', 'inbox', ['message_2.json', 'message_10.json']],
  ]);
});

test('a Messenger export folder: participants, text, reactions, media bytes, missing media, shares, unsent, leave', async () => {
  const exp = messengerExport(tempDir());
  assert.equal((await detectImporter(exp.root)).importer.id, 'meta-dyi', 'the import wizard detects it');
  assert.ok(cliJson<{ id: string }[]>(['formats', '--json']).some((f) => f.id === 'meta-dyi'), 'holdfast formats lists it');
  assert.deepEqual(await metaMessages.probe(exp.root, { tz: 'UTC' }), { variant: 'messenger folder', conversations: 2, hasAttachments: true });
  const c = createCase();
  const r = await importSource(c, exp.root);
  assert.equal(r.format, 'meta-dyi');
  assert.equal(r.messages, 8);
  assert.equal(r.conversations, 2);
  assert.equal(r.attachments, 3);
  assert.ok(r.warnings.some((w) => w.code === 'BAD_DATE' && w.locator === 'your_facebook_activity/messages/inbox/elirossi_10158/message_1.json messages[4]'));
  const list = await messages(c);
  const by = (t: string) => {
    const m = list.find((x) => x.text.startsWith(t));
    assert.ok(m, t);
    return m;
  };
  const ciao = by('Ciao');
  assert.equal(ciao.text, 'Ciao Dana! Ça va? 👍');
  assert.equal(ciao.sender, 'Eli Rossi');
  assert.equal(ciao.senderHandle, 'messenger:Eli Rossi');
  assert.equal(ciao.sentAt, '2024-03-04T10:01:00.000Z');
  assert.equal(ciao.conversation, 'Eli Rossi');
  assert.deepEqual(ciao.reactions.map((x) => `${x.value} ${x.sender}`), ['❤ Dana López']);
  assert.equal(ciao.source.locator, 'your_facebook_activity/messages/inbox/elirossi_10158/message_2.json messages[0]');

  const photo = list.find((m) => m.attachments.some((a) => a.name === 'photo_1.jpg'))!;
  assert.deepEqual(photo.attachments.map((a) => [a.name, a.mime, a.size, a.sha256]), [['photo_1.jpg', 'image/jpeg', JPEG.length, sha(JPEG)]]);
  assert.deepEqual(photo.reactions.map((x) => `${x.value} ${x.sender}`).sort(), ['👍 Eli Rossi', '😂 Dana López']);
  const files = list.find((m) => m.attachments.some((a) => a.name === 'contract.pdf'))!;
  assert.equal(files.sender, 'Dana López');
  const pdf = files.attachments.find((a) => a.name === 'contract.pdf')!;
  assert.deepEqual([pdf.mime, pdf.size, pdf.sha256], ['application/pdf', PDF.length, sha(PDF)]);
  const voice = files.attachments.find((a) => a.name === 'voice_1.m4a')!;
  assert.equal(voice.sha256, null);
  assert.match(voice.missingReason!, /not found in the export \(your_facebook_activity\/messages\/inbox\/elirossi_10158\/audio\/voice_1\.m4a\)/);

  assert.equal(by('https://example.org/deal').text, 'https://example.org/deal\nThe deal — final');
  assert.equal(by('You unsent').deleted, true);
  const left = by('Zoë left');
  assert.equal(left.kind, 'system');
  assert.equal(left.systemType, 'leave');
  assert.equal(left.conversation, 'Project Team ✨');
  assert.equal(by('Kick-off').text, 'Kick-off 🚀 at 3');

  assert.equal((await importSource(c, exp.root)).alreadyImported, true);
  // The same export as the zip Meta delivers adds nothing (no message ids: sender, time in ms and text identify a message).
  const zip = await zipOf(exp, 'facebook-danalopez/');
  const z = await importSource(c, zip);
  assert.equal(z.messages, 0);
  assert.equal(z.duplicatesSkipped, 8);
  assert.equal((await messages(c)).length, 8);
  assert.equal(z.sha256, sha(fs.readFileSync(zip)), 'the custody hash is the zip\'s SHA-256');
});

test('an Instagram export zip: platform, shares, timed reactions, link-only media', async () => {
  const exp = instagramExport(tempDir());
  const zip = await zipOf(exp, '');
  assert.equal((await metaMessages.detect(zip)).variant, 'instagram zip');
  const c = createCase();
  const r = await importSource(c, zip);
  assert.equal(r.messages, 2);
  const list = await messages(c);
  const shared = list.find((m) => m.sender === 'Eli')!;
  assert.equal(shared.senderHandle, 'instagram:Eli');
  assert.equal(shared.text, 'Eli sent an attachment.\n[shared: https://www.instagram.com/p/Cabc/] Sunset 🌅 (from someone)');
  assert.deepEqual(shared.reactions.map((x) => [x.value, x.sender, x.sentAt]), [['🔥', 'Dana', '2024-03-04T10:01:40.000Z']]);
  const hey = list.find((m) => m.text === 'hey')!;
  assert.match(hey.attachments[0]!.missingReason!, /only a link in the export/);
});

test('truncated, non-JSON and foreign sources fail with the right code; the case is unchanged', async () => {
  const dir = tempDir();
  const c = createCase();
  const exp = messengerExport(dir);
  await importSource(c, instagramExport(dir).root);
  const before = await snapshot(c);
  const file = path.join(exp.root, 'your_facebook_activity/messages/inbox/projectteam_9876/message_1.json');
  const whole = fs.readFileSync(file);
  fs.writeFileSync(file, whole.subarray(0, whole.length - 40));
  assert.match(await expectImportFailure(c, exp.root, 'IMPORT_SOURCE_CORRUPT', [], before), /projectteam_9876\/message_1\.json is not valid JSON at end of file: the file ends in the middle/);
  fs.writeFileSync(file, 'garbage');
  await expectImportFailure(c, exp.root, 'IMPORT_SOURCE_CORRUPT', [], before);
  fs.writeFileSync(file, whole);
  const zip = await zipOf(exp, '');
  const truncated = path.join(dir, 'truncated.zip');
  fs.writeFileSync(truncated, fs.readFileSync(zip).subarray(0, 2000));
  await expectImportFailure(c, truncated, 'IMPORT_SOURCE_CORRUPT', ['--format', 'meta-dyi'], before);
  const foreign = path.join(dir, 'foreign');
  fs.mkdirSync(path.join(foreign, 'messages'), { recursive: true });
  fs.writeFileSync(path.join(foreign, 'messages/notes.json'), '{}');
  assert.equal((await metaMessages.detect(foreign)).confidence, 0);
  await expectImportFailure(c, foreign, 'IMPORT_UNSUPPORTED_SOURCE', ['--format', 'meta-dyi'], before);
});
