import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { FIXTURES, tempDir } from '../helpers/case.ts';
import { bySourceLocator, createCase, expectImportFailure, importSource, messages, snapshot } from './helpers.ts';
import { telegramJson } from '../../src/importers/telegram/importer.ts';
import { flattenText } from '../../src/importers/telegram/text.ts';
import type { MessageDTO } from '../../src/api/dto.ts';

const fixture = (gen: string) => path.join(FIXTURES, 'telegram', gen, 'result.json');
const TZ = ['--tz', 'Asia/Tashkent'];

test('entity arrays flatten to plain text and keep link addresses', () => {
  assert.equal(flattenText('plain'), 'plain');
  assert.equal(flattenText(['a ', { type: 'bold', text: 'b' }, { type: 'link', text: 'https://x.org' }, '']), 'a bhttps://x.org');
  assert.equal(flattenText([{ type: 'text_link', text: '\u200b', href: 'https://img/1.jpg' }, 'caption']), 'https://img/1.jpgcaption');
  assert.equal(flattenText([{ type: 'text_link', text: 'the story', href: 'https://news/1' }]), 'the story <https://news/1>');
  assert.equal(flattenText(undefined), '');
});

test('2020-01 whole-account export (local times, numeric ids, entities, service, replies, forwards, edits)', async () => {
  const c = createCase();
  const r = await importSource(c, fixture('telegram_2020-01'), TZ);
  assert.equal(r.format, 'telegram-json');
  assert.equal(r.messages, 50, '31 + 12 + 5 + 2 messages in four chats');
  assert.equal(r.conversations, 4);
  assert.ok(r.warnings.some((w) => w.code === 'AMBIGUOUS_DATE' && /UTC\+05:00/.test(w.message)), 'the epoch "edited" marker reveals the zone');
  const list = await messages(c);
  const at = (chat: number, id: number) => bySourceLocator(list, `chats[${chat}] message ${idIndex(chat, id)} (id ${id})`);

  const created = at(0, 4720);
  assert.equal(created.kind, 'system');
  assert.equal(created.systemType, 'created');
  assert.equal(created.sentAt, '2016-11-08T19:26:24.000Z', '2016-11-09T00:26:24 in Tashkent (UTC+5)');
  assert.equal(created.senderHandle, 'user22222222');
  assert.match(created.text, /created group "ppppppp gggggg" with Wwwwww Www, Nnnnnnn/);
  assert.equal(created.conversation, 'ppppppp gggggg');

  const links = at(0, 10415);
  assert.equal(links.text, 'девиз Вольво:\nhttp://cs5.pikabu.ru/post_img/big/2015/12/04/5/1449210847155432089.jpgгыгы');
  assert.equal(links.sender, 'Aaaaa Aaaaaaaaaaa');
  assert.equal(links.direction, 'out', 'personal_information.user_id 11111111 is the account owner');
  assert.equal(at(0, 4730).direction, 'in');

  const reply = at(0, 39740);
  assert.equal(reply.replyTo, at(0, 39739).id);
  assert.equal(at(0, 27100).forwardedFrom, 'Uzbek-MDK');
  assert.equal(at(0, 67346).edited, true, 'edited 2018-11-17T00:58:05');
  assert.equal(at(0, 4730).edited, false, 'edited 1970-01-01T05:00:00 means never edited');
  assert.match(at(0, 61541).text, /^https:\/\/telegra\.ph\/file\/8ae0cc38ca730522ddd44\.jpgОжидается повышение цен/);

  const sticker = at(0, 4744);
  assert.equal(sticker.attachments[0]!.name, 'sticker.webp');
  assert.match(sticker.attachments[0]!.missingReason!, /not found beside the export/);
  const notIncluded = at(0, 10699);
  assert.equal(notIncluded.attachments[0]!.mime, 'video/mp4');
  assert.equal(notIncluded.attachments[0]!.missingReason, 'File not included. Change data exporting settings to download.');
  assert.match(at(0, 132894).text, /^\[poll: Вечерний Мудозвон – это\.\.\. — Соловьёв \(18714\);/);
  assert.match(at(0, 129455).text, /\[location: 41\.311194,69\.279725\]/);

  const call = at(1, 40163);
  assert.equal(call.systemType, 'phone_call');
  assert.equal(call.text, 'Vvvvv Vvvvvvvvv: phone call (hangup), 77 s');

  // Five messages with one timestamp stay five (distinct ids), in order.
  const nullNames = list.filter((m) => m.source.locator.startsWith('chats[2] '));
  assert.deepEqual(nullNames.map((m) => m.text).slice(1), ['These messages...', '...have the same timestamp...', '...but different IDs...', '...and we expect order to be preserved.']);
  assert.equal(nullNames[0]!.senderHandle, 'user32507588');
  assert.equal(nullNames[0]!.sender, 'user32507588', '"from": null leaves the id as the only name');

  assert.equal((await importSource(c, fixture('telegram_2020-01'), TZ)).alreadyImported, true);
  assert.equal((await messages(c)).length, 50);
});

/** Position of message `id` in chat `chat` of the 2020-01 fixture (locators count from 1). */
function idIndex(chat: number, id: number): number {
  const data = JSON.parse(fs.readFileSync(fixture('telegram_2020-01'), 'utf8')) as { chats: { list: { messages: { id: number }[] }[] } };
  return data.chats.list[chat]!.messages.findIndex((m) => m.id === id) + 1;
}

test('2021-05, 2023-10 and 2024-01 generations: string ids, unixtime, peer replies, media beside the JSON', async () => {
  const c = createCase();
  const r21 = await importSource(c, fixture('telegram_2021-05'), TZ);
  assert.equal(r21.messages, 3);
  const r23 = await importSource(c, fixture('telegram_2023-10_audio-video'), TZ);
  assert.equal(r23.messages, 4);
  assert.equal(r23.conversations, 1, 'private_supergroup 123123123 is not private_group 123123123');
  const r24 = await importSource(c, fixture('telegram_2024-01'), TZ);
  assert.equal(r24.messages, 2);
  const list = await messages(c);
  const byText = (t: string): MessageDTO => {
    const m = list.find((x) => x.text.includes(t));
    assert.ok(m, t);
    return m;
  };
  const migrated = byText('migrated from group');
  assert.equal(migrated.senderHandle, 'channel8112233');
  assert.equal(migrated.edited, false);
  const audio = byText('Audio file (full) message');
  assert.equal(audio.sentAt, '2018-07-22T08:51:12.000Z', 'date_unixtime 1532249472, whatever --tz says');
  assert.equal(audio.rawTime, '1532249472');
  assert.deepEqual(audio.attachments.map((a) => [a.name, a.mime, a.sha256]), [['audio_file.mp3', 'audio/mpeg', null]]);
  const peerReply = byText('My reply to a channel post!');
  assert.equal(peerReply.replyTo, null, 'a reply into another chat has no target here');
  assert.equal(peerReply.direction, 'out');
  const ttl = byText('auto-delete');
  assert.equal(ttl.systemType, 'disappearing');
  assert.equal(ttl.text, 'Aaaaa Aaaaaaaaaaa set messages to auto-delete after 2678400 s');

  // The same export with its media beside it: the bytes are kept.
  const dir = tempDir();
  fs.copyFileSync(fixture('telegram_2023-10_audio-video'), path.join(dir, 'result.json'));
  const mp3 = Buffer.from('ID3 fake mp3 bytes for the test');
  fs.writeFileSync(path.join(dir, 'audio_file.mp3'), mp3);
  const c2 = createCase();
  await importSource(c2, dir);
  const withMedia = (await messages(c2)).find((m) => m.text === 'Audio file (full) message')!;
  assert.equal(withMedia.attachments[0]!.sha256, createHash('sha256').update(mp3).digest('hex'));
  assert.equal(withMedia.attachments[0]!.size, mp3.length);
});

function singleChatExport(): unknown {
  return {
    name: 'Project Falcon',
    type: 'private_supergroup',
    id: 1500000001,
    messages: [
      { id: 1, type: 'service', date: '2024-03-01T09:00:00', date_unixtime: '1709283600', actor: 'Dana', actor_id: 'user42', action: 'invite_members', members: ['Eli', null], text: '', text_entities: [] },
      {
        id: 2, type: 'message', date: '2024-03-01T09:01:00', date_unixtime: '1709283660', from: 'Dana', from_id: 'user42',
        text: ['See ', { type: 'text_link', text: 'the draft', href: 'https://docs.example/d/1' }, ' and ', { type: 'mention_name', text: 'Eli', user_id: 43 }],
        text_entities: [],
        reactions: [{ type: 'emoji', count: 3, emoji: '👍', recent: [{ from: 'Eli', from_id: 'user43', date: '2024-03-01T09:02:00' }] }],
      },
      {
        id: 3, type: 'message', date: '2024-03-01T09:05:00', date_unixtime: '1709283900', edited: '2024-03-01T09:06:00', edited_unixtime: '1709283960',
        from: 'Eli', from_id: 'user43', reply_to_message_id: 2, text: 'Looks fine', photo: 'photos/photo_1@01-03-2024_09-05-00.jpg', width: 10, height: 10,
      },
      { id: 4, type: 'message', date: '2024-03-01T09:07:00', date_unixtime: '1709284020', from: 'Eli', from_id: 'user43', forwarded_from: null, file: '../../secret.txt', text: '' },
      { id: 5, type: 'message', date: 'not a date', from: 'Eli', from_id: 'user43', text: 'broken' },
    ],
  };
}

test('a generated single-chat export: reactions, edits, links, media, path escape, bad date', async () => {
  const dir = tempDir();
  const exportDir = path.join(dir, 'ChatExport_2024-03-02');
  fs.mkdirSync(path.join(exportDir, 'photos'), { recursive: true });
  const jpg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 0xff, 0xd9]);
  fs.writeFileSync(path.join(exportDir, 'photos/photo_1@01-03-2024_09-05-00.jpg'), jpg);
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'outside the export');
  fs.writeFileSync(path.join(exportDir, 'result.json'), JSON.stringify(singleChatExport(), null, 1));
  const c = createCase();
  const r = await importSource(c, exportDir);
  assert.equal(r.messages, 5);
  assert.ok(r.warnings.some((w) => w.code === 'BAD_DATE' && w.locator === 'message 5 (id 5)'));
  const all = await messages(c);
  const broken = all.find((m) => m.source.locator === 'message 5 (id 5)')!;
  assert.deepEqual([broken.text, broken.rawTime, broken.timeUnknown, broken.timeSource], ['broken', 'not a date', true, 'none'], 'kept, its time unknown');
  assert.equal(r.report.flagged.timeUnknown, 1);
  const list = all.filter((m) => m !== broken);
  assert.equal(list[0]!.conversation, 'Project Falcon');
  assert.equal(list[0]!.text, 'Dana added Eli, (deleted account)');
  assert.equal(list[0]!.systemType, 'join');
  const m2 = list.find((m) => m.source.locator === 'message 2 (id 2)')!;
  assert.equal(m2.text, 'See the draft <https://docs.example/d/1> and Eli');
  assert.equal(m2.sentAt, '2024-03-01T09:01:00.000Z');
  assert.equal(m2.direction, 'unknown', 'a single-chat export does not say whose it is');
  assert.deepEqual(m2.reactions.map((x) => `${x.value} ${x.sender ?? '(anonymous)'}`).sort(), ['👍 (anonymous)', '👍 (anonymous)', '👍 Eli']);
  const m3 = list.find((m) => m.source.locator === 'message 3 (id 3)')!;
  assert.equal(m3.edited, true);
  assert.equal(m3.replyTo, m2.id);
  assert.equal(m3.attachments[0]!.sha256, createHash('sha256').update(jpg).digest('hex'));
  assert.equal(m3.attachments[0]!.mime, 'image/jpeg');
  const m4 = list.find((m) => m.source.locator === 'message 4 (id 4)')!;
  assert.equal(m4.forwardedFrom, '(hidden sender)');
  assert.match(m4.attachments[0]!.missingReason!, /outside the export folder/);
  assert.equal(m4.attachments[0]!.sha256, null);
});

test('a whole-account export with left chats: both lists are read, the owner\'s messages are outgoing', async () => {
  const dir = tempDir();
  const msg = (id: number, from: string, fromId: string, text: string, t: number) => ({
    id, type: 'message', date: '2024-05-01T10:00:00', date_unixtime: String(t), from, from_id: fromId, text, text_entities: [],
  });
  const data = {
    about: 'Here is the data you requested.',
    personal_information: { user_id: 7001, first_name: 'Owner' },
    chats: { about: 'This page lists all chats from this export.', list: [
      { name: 'Rita', type: 'personal_chat', id: 7002, messages: [msg(1, 'Owner', 'user7001', 'hi Rita', 1714557600), msg(2, 'Rita', 'user7002', 'hi', 1714557660)] },
    ] },
    left_chats: { about: 'This page lists all supergroups and channels from this export that you have left.', list: [
      { name: 'Old desk', type: 'private_supergroup', id: 9001, messages: [msg(7, 'Owner', 'user7001', 'bye all', 1714560000)] },
    ] },
  };
  const file = path.join(dir, 'result.json');
  fs.writeFileSync(file, JSON.stringify(data));
  const c = createCase();
  const r = await importSource(c, file);
  assert.equal(r.conversations, 2);
  const list = await messages(c);
  assert.deepEqual(list.map((m) => [m.source.locator, m.direction, m.conversation]), [
    ['chats[0] message 1 (id 1)', 'out', 'Rita'], ['chats[0] message 2 (id 2)', 'in', 'Rita'], ['left_chats[0] message 1 (id 7)', 'out', 'Old desk'],
  ]);
});

test('truncated, broken and foreign JSON fail with the right code and place; the case is unchanged', async () => {
  const dir = tempDir();
  const c = createCase();
  await importSource(c, fixture('telegram_2024-01'));
  const before = await snapshot(c);
  const text = fs.readFileSync(fixture('telegram_2020-01'), 'utf8');
  const truncated = path.join(dir, 'truncated.json');
  fs.writeFileSync(truncated, text.slice(0, Math.floor(text.length / 2)));
  assert.match(await expectImportFailure(c, truncated, 'IMPORT_SOURCE_CORRUPT', [], before), /truncated\.json.*truncated/);
  const broken = path.join(dir, 'broken.json');
  const cut = text.indexOf('"Reply to this!"');
  fs.writeFileSync(broken, `${text.slice(0, cut)}'Reply to this!'${text.slice(cut + 16)}`);
  const bytePos = Buffer.byteLength(text.slice(0, cut));
  assert.match(await expectImportFailure(c, broken, 'IMPORT_SOURCE_CORRUPT', [], before), new RegExp(`broken\\.json is not valid JSON at byte ${bytePos}`));
  const slackUsers = path.join(dir, 'users.json');
  fs.writeFileSync(slackUsers, JSON.stringify([{ id: 'U1', name: 'x' }]));
  await expectImportFailure(c, slackUsers, 'IMPORT_UNSUPPORTED_SOURCE', ['--format', 'telegram-json'], before);
});

test('detect: Telegram exports (file or folder) yes, other JSON and binaries no', async () => {
  const dir = tempDir();
  assert.equal((await telegramJson.detect(fixture('telegram_2024-01'))).variant, 'account');
  assert.ok((await telegramJson.detect(path.dirname(fixture('telegram_2021-05')))).confidence >= 0.9);
  fs.writeFileSync(path.join(dir, 'x.json'), '[1,2,3]');
  assert.equal((await telegramJson.detect(path.join(dir, 'x.json'))).confidence, 0);
  fs.writeFileSync(path.join(dir, 'b.json'), Buffer.from([0xff, 0, 0x7b]));
  assert.equal((await telegramJson.detect(path.join(dir, 'b.json'))).confidence, 0);
  assert.equal((await telegramJson.detect(dir)).confidence, 0);
  const p = await telegramJson.probe(fixture('telegram_2020-01'), { tz: 'UTC' });
  assert.equal(p.hasAttachments, true);
  assert.equal(p.hasEdits, true);
});
