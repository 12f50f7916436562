import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { FIXTURES, tempDir } from '../helpers/case.ts';
import { buildZip } from '../helpers/zip-writer.ts';
import type { ZipSpec } from '../helpers/zip-writer.ts';
import { createCase, expectImportFailure, importSource, messages, snapshot } from './helpers.ts';
import { slackExport, tsToMs } from '../../src/importers/slack/importer.ts';
import { renderSlackText } from '../../src/importers/slack/text.ts';
import { listFiles } from '../../src/importers/common/source-hash.ts';
import type { MessageDTO } from '../../src/api/dto.ts';

/** slackdump's obfuscated fixture (AGPL-3.0, test data only). */
const REAL = path.join(FIXTURES, 'slack/source_export_dir');

const byTs = (list: MessageDTO[], day: string, index: number) => {
  const m = list.find((x) => x.source.locator === `B75B4C7/${day}.json[${index}]`);
  assert.ok(m, `${day}[${index}]`);
  return m;
};

test('ts and markup', () => {
  assert.equal(tsToMs('1736478514.897649'), 1736478514897);
  assert.equal(tsToMs('1737160371.000000'), 1737160371000);
  assert.equal(tsToMs('x'), undefined);
  const users = (id: string) => ({ U1: 'Ann Lee' })[id];
  const chans = (id: string) => ({ C9: 'deals' })[id];
  assert.equal(
    renderSlackText('hi <@U1> and <@U2|bob>, see <#C9> <!here> <https://x.org/a?b=1&amp;c=2|the doc> &lt;tag&gt; <mailto:a@b.c|a@b.c>', users, chans),
    'hi @Ann Lee and @bob, see #deals @here the doc <https://x.org/a?b=1&c=2> <tag> a@b.c',
  );
});

test('the slackdump export folder: threads, joins, tombstone, edits, files, names from users.json', async () => {
  const c = createCase();
  const r = await importSource(c, REAL);
  assert.equal(r.format, 'slack-export');
  assert.equal(r.messages, 16, '2 + 11 + 1 + 2 messages in four day files');
  assert.equal(r.conversations, 1);
  const list = await messages(c);
  assert.equal(list.length, 16);
  assert.ok(list.every((m) => m.conversation === '#B75B4C7'));

  const first = byTs(list, '2025-01-10', 0);
  assert.equal(first.sentAt, '2025-01-10T03:08:34.897Z');
  assert.equal(first.rawTime, '1736478514.897649');
  assert.equal(first.text, 'CYmxt38hm');
  assert.equal(first.senderHandle, 'UOF82F39AE');
  assert.equal(first.sender, 'WgO268Xc0KtFylJ', 'profile.display_name is empty: profile.real_name');

  const parent = byTs(list, '2025-01-10', 1);
  const replies = [byTs(list, '2025-01-11', 1), byTs(list, '2025-01-11', 2)];
  assert.deepEqual(replies.map((m) => m.replyTo), [parent.id, parent.id], 'thread_ts 1736478630.905399, across day files');
  assert.equal(byTs(list, '2025-01-11', 4).replyTo, byTs(list, '2025-01-11', 3).id);

  const join = byTs(list, '2025-01-11', 0);
  assert.equal(join.kind, 'system');
  assert.equal(join.systemType, 'join');
  assert.equal(join.sender, 'YTX35tuC1zyFhKZL');

  const tombstone = byTs(list, '2025-01-11', 5);
  assert.equal(tombstone.deleted, true);
  assert.equal(byTs(list, '2025-01-11', 6).replyTo, tombstone.id);

  const edited = byTs(list, '2025-01-18', 0);
  assert.equal(edited.edited, true);
  assert.equal(edited.sender, 'GioT4');

  const gdoc = byTs(list, '2025-01-11', 8);
  assert.equal(gdoc.attachments[0]!.mime, 'application/vnd.google-apps.document');
  assert.match(gdoc.attachments[0]!.missingReason!, /only links: an external gdrive file/);
  const jpeg = byTs(list, '2025-01-11', 10);
  assert.equal(jpeg.text, '');
  assert.equal(jpeg.attachments[0]!.name, 'befvnsUNVjwGzKFcKxuIlJ2dYo5z59neCfT8P2Y3t');
  assert.equal(jpeg.attachments[0]!.sha256, null);

  assert.equal((await importSource(c, REAL)).alreadyImported, true);

  // The same export zipped (with its folder) adds nothing: messages are identified by channel + ts.
  return zipOf(REAL, 'export/').then(async (zip) => {
    const z = await importSource(c, zip);
    assert.equal(z.messages, 0);
    assert.equal(z.duplicatesSkipped, 16);
    assert.equal((await messages(c)).length, 16);
  });
});

async function zipOf(folder: string, prefix = ''): Promise<string> {
  const specs: ZipSpec[] = listFiles(folder).map((rel) => ({ name: prefix + rel.split(path.sep).join('/'), data: fs.readFileSync(path.join(folder, rel)) }));
  const out = path.join(tempDir(), 'slack-export.zip');
  fs.writeFileSync(out, await buildZip(specs));
  return out;
}

const PDF = Buffer.from('%PDF-1.4\n% test\n');

function generatedExport(dir: string): string {
  const root = path.join(dir, 'Acme Slack export Jan 1 2024');
  const w = (rel: string, v: unknown) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), typeof v === 'string' || Buffer.isBuffer(v) ? v : JSON.stringify(v, null, 2));
  };
  w('users.json', [
    { id: 'U1', name: 'ann', real_name: 'Ann Lee', profile: { display_name: 'Ann', real_name: 'Ann Lee' } },
    { id: 'U2', name: 'bo', real_name: 'Bo Chen', profile: { display_name: '', real_name: 'Bo Chen' } },
    { id: 'U3', name: 'cy', profile: {} },
  ]);
  w('channels.json', [{ id: 'C1', name: 'deals', members: ['U1', 'U2'] }]);
  w('groups.json', []);
  w('dms.json', [{ id: 'D1', members: ['U1', 'U2'] }]);
  w('mpims.json', [{ id: 'G1', name: 'mpdm-ann--bo--cy-1', members: ['U1', 'U2', 'U3'] }]);
  w('integration_logs.json', []);
  w('deals/2024-01-01.json', [
    { type: 'message', user: 'U1', text: 'Hi <@U2>, the <https://docs.example/q|quote> is &lt;final&gt;', ts: '1704103200.000100',
      reactions: [{ name: 'thumbsup', users: ['U2'], count: 2 }],
      files: [{ id: 'F1', name: 'quote.pdf', title: 'Quote', mimetype: 'application/pdf', size: PDF.length, mode: 'hosted' }] },
    { type: 'message', subtype: 'bot_message', bot_id: 'B1', username: 'Deploy bot', text: '', ts: '1704103260.000200',
      attachments: [{ fallback: 'Deploy finished' }] },
    { type: 'message', subtype: 'channel_purpose', user: 'U1', text: '<@U1> set the channel purpose: pricing', ts: '1704103320.000300' },
    { type: 'message', user: 'U2', text: 'thread reply', ts: '1704103380.000400', thread_ts: '1704103200.000100', edited: { user: 'U2', ts: '1704103390.000000' } },
    { type: 'message', user: 'U2', text: 'no ts' },
  ]);
  w('deals/2024-01-02.json', '[{"type": "message", "user": "U1", "text": "bro');
  w('D1/2024-01-01.json', [{ type: 'message', user: 'U2', text: 'direct hello', ts: '1704110000.000001' }]);
  w('mpdm-ann--bo--cy-1/2024-01-01.json', [{ type: 'message', user: 'U3', text: 'group dm', ts: '1704120000.000001' }]);
  w('__uploads/F1/quote.pdf', PDF);
  return root;
}

test('a generated export (zip): mentions, reactions, files inside the export, bots, DMs, group DMs, bad rows', async () => {
  const dir = tempDir();
  const zip = await zipOf(generatedExport(dir));
  const c = createCase();
  const r = await importSource(c, zip);
  // The row without a ts is kept (time unknown); the unreadable day file is the only thing skipped.
  assert.equal(r.messages, 7);
  assert.equal(r.report.flagged.timeUnknown, 1);
  assert.equal(r.report.skipped.count, 1);
  assert.equal(r.conversations, 3);
  assert.ok(r.warnings.some((w) => w.code === 'BAD_DATE' && w.locator === 'deals/2024-01-01.json[4]'));
  assert.ok(r.warnings.some((w) => w.code === 'BAD_RECORD' && w.locator.startsWith('deals/2024-01-02.json')), JSON.stringify(r.warnings));
  const list = await messages(c);
  const hi = list.find((m) => m.text.startsWith('Hi'))!;
  assert.equal(hi.text, 'Hi @Bo Chen, the quote <https://docs.example/q> is <final>');
  assert.equal(hi.sender, 'Ann');
  assert.equal(hi.conversation, '#deals');
  assert.deepEqual(hi.reactions.map((x) => `${x.value} ${x.sender ?? '-'}`).sort(), [':thumbsup: -', ':thumbsup: Bo Chen']);
  assert.deepEqual(hi.attachments.map((a) => [a.name, a.mime, a.size, a.sha256]), [['quote.pdf', 'application/pdf', PDF.length, createHash('sha256').update(PDF).digest('hex')]]);
  assert.equal(list.find((m) => m.text === 'no ts')!.timeSource, 'none');
  const bot = list.find((m) => m.text === 'Deploy finished')!;
  assert.equal(bot.sender, 'Deploy bot');
  const purpose = list.find((m) => m.systemType === 'purpose')!;
  assert.equal(purpose.text, '@Ann set the channel purpose: pricing');
  const reply = list.find((m) => m.text === 'thread reply')!;
  assert.equal(reply.replyTo, hi.id);
  assert.equal(reply.edited, true);
  const dm = list.find((m) => m.text === 'direct hello')!;
  assert.equal(dm.conversation, 'Ann, Bo Chen');
  const mpim = list.find((m) => m.text === 'group dm')!;
  assert.equal(mpim.conversation, 'mpdm-ann--bo--cy-1');
  assert.equal(mpim.sender, 'cy');
});

test('broken and foreign sources fail with the right code; the case is unchanged', async () => {
  const dir = tempDir();
  const c = createCase();
  await importSource(c, REAL);
  const before = await snapshot(c);
  const zip = await zipOf(REAL);
  const truncated = path.join(dir, 'truncated.zip');
  fs.writeFileSync(truncated, fs.readFileSync(zip).subarray(0, 3000));
  await expectImportFailure(c, truncated, 'IMPORT_SOURCE_CORRUPT', ['--format', 'slack-export'], before);
  const badUsers = path.join(dir, 'bad-users');
  fs.cpSync(REAL, badUsers, { recursive: true });
  fs.writeFileSync(path.join(badUsers, 'users.json'), '[{"id": "U1",');
  assert.match(await expectImportFailure(c, badUsers, 'IMPORT_SOURCE_CORRUPT', [], before), /users\.json is not valid JSON/);
  const notSlack = path.join(dir, 'not-slack');
  fs.mkdirSync(notSlack);
  fs.writeFileSync(path.join(notSlack, 'notes.json'), '[]');
  await expectImportFailure(c, notSlack, 'IMPORT_UNSUPPORTED_SOURCE', ['--format', 'slack-export'], before);
});

test('detect: folder and zip yes; other folders, zips and files no', async () => {
  const dir = tempDir();
  assert.equal((await slackExport.detect(REAL)).variant, 'folder');
  assert.equal((await slackExport.detect(await zipOf(REAL, 'x/'))).variant, 'zip');
  assert.equal((await slackExport.detect(dir)).confidence, 0);
  const other = path.join(dir, 'other.zip');
  fs.writeFileSync(other, await buildZip([{ name: 'a.txt', data: 'x' }]));
  assert.equal((await slackExport.detect(other)).confidence, 0);
  fs.writeFileSync(path.join(dir, 'fake.zip'), 'not a zip');
  assert.equal((await slackExport.detect(path.join(dir, 'fake.zip'))).confidence, 0);
  assert.deepEqual(await slackExport.probe(REAL, { tz: 'UTC' }), { variant: 'folder', conversations: 1, hasAttachments: false });
});
