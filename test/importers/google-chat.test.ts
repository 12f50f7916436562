import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { cliJson, tempDir } from '../helpers/case.ts';
import { buildZip } from '../helpers/zip-writer.ts';
import { googleChatTakeout as writeTakeout, JPEG } from '../helpers/google-chat-export.ts';
import { createCase, expectImportFailure, importSource, messages, snapshot } from './helpers.ts';
import { parseGoogleChatDate } from '../../src/importers/google-chat/dates.ts';
import { googleChatTakeout } from '../../src/importers/google-chat/importer.ts';
import { detectImporter } from '../../src/importers/registry.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('Takeout dates are parsed strictly', () => {
  assert.equal(parseGoogleChatDate('Monday, March 4, 2024 at 10:12:33 AM UTC'), Date.UTC(2024, 2, 4, 10, 12, 33));
  assert.equal(parseGoogleChatDate('Monday, March 4, 2024 at 10:12:33\u202fAM UTC'), Date.UTC(2024, 2, 4, 10, 12, 33));
  assert.equal(parseGoogleChatDate('Monday, March 4, 2024 at 12:00:00 AM UTC'), Date.UTC(2024, 2, 4, 0, 0, 0));
  assert.equal(parseGoogleChatDate('Monday, March 4, 2024 at 12:00:00 PM UTC'), Date.UTC(2024, 2, 4, 12, 0, 0));
  for (const bad of [
    'Tuesday, March 4, 2024 at 10:12:33 AM UTC', 'Monday, March 4, 2024 at 13:12:33 PM UTC', 'Monday, March 4, 2024 at 0:12:33 AM UTC',
    'Friday, February 30, 2024 at 1:00:00 AM UTC', 'Monday, March 4, 2024 at 10:12:33 AM PST', 'Monday, March 4, 2024, 10:12:33 AM UTC',
    'lundi 4 mars 2024 à 10:12:33 UTC', '2024-03-04T10:12:33Z', 42, undefined,
  ]) assert.equal(parseGoogleChatDate(bad), undefined, String(bad));
  const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  fc.assert(fc.property(fc.integer({ min: 0, max: 4102444799 }), (s) => {
    const d = new Date(s * 1000);
    const h = d.getUTCHours();
    const pad = (n: number) => String(n).padStart(2, '0');
    const text = `${days[d.getUTCDay()]}, ${months[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()} at ${h % 12 || 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}\u202f${h < 12 ? 'AM' : 'PM'} UTC`;
    assert.equal(parseGoogleChatDate(text), s * 1000);
  }));
  fc.assert(fc.property(fc.string(), (s) => {
    const t = parseGoogleChatDate(s);
    assert.ok(t === undefined || Number.isFinite(t));
  }));
});

test('a Takeout folder: DM and Space, members, owner direction, threads, quotes, reactions, attachments, strict dates', async () => {
  const { root } = writeTakeout(tempDir());
  assert.equal((await detectImporter(root)).importer.id, 'google-chat', 'the import wizard detects it');
  assert.ok(cliJson<{ id: string }[]>(['formats', '--json']).some((f) => f.id === 'google-chat'), 'holdfast formats lists it');
  assert.deepEqual(await googleChatTakeout.probe(root, { tz: 'UTC' }), { variant: 'folder', conversations: 2, hasAttachments: true });
  const c = createCase();
  const r = await importSource(c, root);
  assert.equal(r.format, 'google-chat');
  assert.equal(r.messages, 5);
  assert.equal(r.conversations, 2);
  assert.equal(r.attachments, 3);
  const badDates = r.warnings.filter((w) => w.code === 'BAD_DATE').map((w) => w.locator);
  assert.deepEqual(badDates, ['Takeout/Google Chat/Groups/DM abc123/messages.json messages[2]', 'Takeout/Google Chat/Groups/DM abc123/messages.json messages[3]']);
  const list = await messages(c);
  const by = (t: string) => {
    const m = list.find((x) => x.text.includes(t));
    assert.ok(m, t);
    return m;
  };
  const morning = by('Morning Eli');
  assert.deepEqual([morning.sender, morning.senderHandle, morning.direction, morning.sentAt], ['Dana Lopez', 'dana.lopez@example.com', 'out', '2024-03-04T10:12:33.000Z']);
  assert.equal(morning.conversation, 'Eli Rossi');
  assert.deepEqual(morning.reactions.map((x) => `${x.value} ${x.sender}`), ['👍 Eli Rossi']);
  const photo = by('Photo attached');
  assert.deepEqual([photo.direction, photo.edited], ['in', true]);
  assert.deepEqual(photo.attachments.map((a) => [a.name, a.mime, a.sha256 ? a.sha256.slice(0, 8) : null]), [
    ['IMG_1.jpg', 'image/jpeg', sha(JPEG).slice(0, 8)], ['scan.pdf', 'application/pdf', sha(Buffer.from('%PDF-1.4\n% scan\n')).slice(0, 8)], ['gone.png', 'image/png', null],
  ]);
  assert.match(photo.attachments[2]!.missingReason!, /not in the export folder \(File-gone\.png\)/);
  const kickoff = by('Kick-off');
  assert.equal(kickoff.text, 'Kick-off\n[Google Drive file: Term sheet <https://drive.google.com/open?id=1DriveId>]');
  assert.equal(kickoff.conversation, 'Deal Room');
  const inThread = by('In thread');
  assert.equal(inThread.replyTo, kickoff.id);
  assert.equal(inThread.text, '[quoting Zoe Ng: Kick-off]\nIn thread');
  const bot = by('Meeting at noon');
  assert.deepEqual([bot.senderHandle, bot.direction], ['google-chat:Meet bot', 'unknown']);

  assert.equal((await importSource(c, root)).alreadyImported, true);
  const zip = path.join(tempDir(), 'takeout-001.zip');
  const { files } = writeTakeout(tempDir());
  fs.writeFileSync(zip, await buildZip([...files].map(([name, data]) => ({ name, data }))));
  const z = await importSource(c, zip);
  assert.deepEqual([z.messages, z.duplicatesSkipped], [0, 5]);
  assert.equal(z.sha256, sha(fs.readFileSync(zip)));
});

test('truncated and foreign sources fail with the right code; the case is unchanged', async () => {
  const dir = tempDir();
  const { root } = writeTakeout(dir);
  const c = createCase();
  const before = await snapshot(c);
  const file = path.join(root, 'Takeout/Google Chat/Groups/Space AAAAxyz/messages.json');
  fs.writeFileSync(file, fs.readFileSync(file).subarray(0, 300));
  assert.match(await expectImportFailure(c, root, 'IMPORT_SOURCE_CORRUPT', [], before), /Space AAAAxyz\/messages\.json is not valid JSON at end of file/);
  const foreign = path.join(dir, 'foreign');
  fs.mkdirSync(path.join(foreign, 'Takeout/Google Chat/Users'), { recursive: true });
  assert.equal((await googleChatTakeout.detect(foreign)).confidence, 0);
  await expectImportFailure(c, foreign, 'IMPORT_UNSUPPORTED_SOURCE', ['--format', 'google-chat'], before);
});
