/**
 * Every shared WhatsApp fixture, imported through the real CLI into a real case; the expected
 * values were read off the files by hand (times are the wall clock of the file in the --tz zone).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { FIXTURES } from '../helpers/case.ts';
import { brief, freshCase, importJson, messagesOf } from './whatsapp-cli.ts';

const WA = path.join(FIXTURES, 'whatsapp');

describe('WhatsApp fixtures through the CLI', () => {
test('whatsapp-chat-parser short-chat.txt: system lines, group name, phone author, multi-line with blank line', async () => {
  const c = freshCase();
  const r = await importJson(c, path.join(WA, 'short-chat.txt'), '--tz', 'UTC');
  assert.equal(r.messages, 5);
  // No day is over 12: the order follows whatsapp-chat-parser (the second number goes down → month first).
  assert.ok(r.warnings.some((w) => w.code === 'AMBIGUOUS_DATE' && /m\/d\/y/.test(w.message)));
  const ms = await messagesOf(c);
  assert.deepEqual(ms.map(brief), [
    ['2017-06-03T00:45:00.000Z', null, 'system', 'Messages to this group are now secured with end-to-end encryption. Tap for more info.'],
    ['2017-06-03T00:45:00.000Z', null, 'system', 'You created group "ShortChat"'],
    ['2017-06-03T00:45:00.000Z', 'Sample User', 'message', 'This is a test message'],
    ['2017-08-05T01:48:00.000Z', 'TestBot', 'message', "Hey I'm a test too!"],
    ['2017-09-04T01:50:00.000Z', '+410123456789', 'message', 'How are you?\n\nIs everything alright?'],
  ]);
  assert.deepEqual(ms.map((m) => m.systemType), ['encryption', 'created', null, null, null]);
  assert.equal(ms[0]!.conversation, 'ShortChat');
  assert.match(ms[4]!.senderHandle!, /^\+41\d+$/, 'a phone-number author is a phone handle in E.164');
  assert.equal(ms[4]!.rawTime, '09/04/2017, 01:50');
});

test('language-whatsapp _chat.txt: iOS brackets, lower-case pm, U+200E marks, <attached: …>, --tz', async () => {
  const c = freshCase();
  const r = await importJson(c, path.join(WA, 'language-whatsapp/_chat.txt'), '--tz', 'America/New_York');
  assert.equal(r.messages, 13);
  assert.equal(r.attachments, 2);
  const ms = await messagesOf(c);
  assert.equal(ms.length, 13);
  // 9:47:19 pm on 2 November 2020 in New York (EST, UTC−5).
  assert.deepEqual(brief(ms[0]!), ['2020-11-03T02:47:19.000Z', 'Alice', 'message', 'Hello Bob, I need an example WhatsApp chat for a GitHub project']);
  assert.equal(ms[0]!.rawTime, '02/11/2020, 9:47:19 pm');
  assert.deepEqual(brief(ms[7]!), ['2020-11-03T02:49:51.000Z', 'Bob', 'message', '']);
  assert.deepEqual(ms[7]!.attachments.map((a) => [a.name, a.mime, a.sha256]), [['00000010-PHOTO-2020-11-02-21-49-51.jpg', 'image/jpeg', null]]);
  assert.match(ms[7]!.attachments[0]!.missingReason!, /not in a bare \.txt export/);
  assert.deepEqual(ms[10]!.attachments.map((a) => [a.name, a.mime]), [['00000013-AUDIO-2020-11-02-21-50-21.opus', 'audio/ogg']]);
  assert.deepEqual(brief(ms[12]!), ['2020-11-03T02:50:40.000Z', 'Bob', 'message', 'You’re welcome, Alice']);
  assert.ok(ms.every((m) => !m.text.includes('\u200e')));
  assert.equal(new Set(ms.map((m) => m.conversation)).size, 1);
  assert.ok(r.warnings.some((w) => w.code === 'MISSING_ATTACHMENT' && w.locator === 'line 8'));
});

test('chat-history-manager mixed m/d/yy and d/m/yyyy lines: none misdated or dropped; file attached with caption; <Media omitted>; null', async () => {
  const c = freshCase();
  const r = await importJson(c, path.join(WA, 'WhatsApp Chat with +123 45 6789.txt'), '--tz', 'UTC');
  assert.equal(r.messages, 13);
  assert.ok(!r.warnings.some((w) => w.code === 'BAD_DATE' || w.code === 'AMBIGUOUS_DATE'), JSON.stringify(r.warnings));
  const ms = await messagesOf(c);
  assert.deepEqual(ms.map(brief), [
    ['2023-06-30T16:13:00.000Z', null, 'system', 'Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.'],
    ['2023-06-30T16:14:00.000Z', null, 'system', '+123 45 6789 is a contact'],
    ['2023-06-30T16:14:00.000Z', 'Aaaaa Aaaaaaaaaaa', 'message', 'hello there!\n\nthis is a\nmulti-line message!'],
    ['2023-06-30T16:14:00.000Z', 'Aaaaa Aaaaaaaaaaa', 'message', 'and these messages'],
    ['2023-06-30T16:14:00.000Z', 'Aaaaa Aaaaaaaaaaa', 'message', 'should not be reordered!'],
    ['2023-06-30T16:14:00.000Z', '+123 45 6789', 'message', 'should not be reordered indeed!'],
    ['2023-06-30T16:15:00.000Z', '+123 45 6789', 'message', 'image comment'],
    ['2023-06-30T16:15:00.000Z', '+123 45 6789', 'message', ''],
    ['2023-06-30T16:15:00.000Z', '+123 45 6789', 'message', ''],
    ['2023-06-30T16:15:00.000Z', '+123 45 6789', 'message', ''],
    ['2023-06-30T16:15:00.000Z', '+123 45 6789', 'message', ''],
    ['2023-06-30T16:15:00.000Z', '+123 45 6789', 'message', ''],
    ['2023-06-30T16:15:00.000Z', '+123 45 6789', 'system', "+123 45 6789 updated the message timer. New messages will disappear from this chat 24 hours after they're sent, except when kept. Tap to change."],
  ]);
  assert.equal(ms[0]!.conversation, '+123 45 6789');
  assert.deepEqual(ms.map((m) => m.attachments.map((a) => a.name)).flat(), [
    'IMG-20230630-WA0000.jpg', 'VID-20230630-WA0001.mp4', 'AUD-20230630-WA0002.opus', 'STK-20230630-WA0003.webp', 'media (null)', 'media omitted',
  ]);
  assert.match(ms[11]!.attachments[0]!.missingReason!, /<Media omitted>/);
  assert.equal(ms[12]!.systemType, 'disappearing');
  assert.equal(ms[1]!.systemType, 'contact');
  // Direct chat named after +123 45 6789: their messages are incoming, the other author's outgoing.
  assert.equal(ms[5]!.direction, 'in');
  assert.equal(ms[2]!.direction, 'out');
  assert.equal(ms[6]!.rawTime, '30/6/2023, 16:15');
});

test('whatstk: y-m-d 12 h, [y/m/d h:mm] and d.m.y 24 h forms of one group chat dedupe into one conversation', async () => {
  const c = freshCase();
  const a = await importJson(c, path.join(WA, 'whatstk/example_2.txt'), '--tz', 'UTC');
  assert.equal(a.messages, 20);
  assert.equal(a.conversations, 1);
  // The same chat exported with a German (d.m.y, 24 h) phone: every line is already in the case.
  const b = await importJson(c, path.join(WA, 'whatstk/example.txt'), '--tz', 'UTC');
  assert.deepEqual([b.messages, b.duplicatesSkipped, b.conversations], [0, 20, 0]);
  // The 12 h file differs in three lines (11:45 PM for Prof. Oak, 9:45 AM with a leading zero is the same, 02:23 PM).
  const d = await importJson(c, path.join(WA, 'whatstk/example-12h.txt'), '--tz', 'UTC');
  assert.equal(d.messages + d.duplicatesSkipped, 20);
  const ms = await messagesOf(c);
  assert.equal(new Set(ms.map((m) => m.conversation)).size, 1);
  assert.equal(ms[0]!.conversation, 'Sample Group');
  assert.deepEqual(brief(ms[0]!), ['2016-04-15T15:04:00.000Z', null, 'system', 'You created group “Sample Group”']);
  assert.equal(ms[0]!.systemType, 'created');
  assert.equal(ms[1]!.systemType, 'encryption');
  const twelve = ms.filter((m) => m.source.sourceId === 3);
  assert.deepEqual(twelve.map(brief), [
    ['2016-08-07T23:45:00.000Z', 'Prof. Oak', 'message', 'Kids, shall I design a smart poke-ball?'],
    ['2016-10-31T23:45:00.000Z', 'Prof. Oak', 'message', 'Smart-pokeball is created.'],
    ['2016-10-31T14:23:00.000Z', 'Wobbuffet', 'message', 'Wo-bbu-ffet'],
  ].sort((x, y) => x[0]!.localeCompare(y[0]!)));
  const fromExample2 = ms.filter((m) => m.source.sourceId === 1);
  assert.deepEqual(brief(fromExample2.find((m) => m.sender === 'Jessie & James')!), ['2016-08-10T09:45:00.000Z', 'Jessie & James', 'message', 'Hey, thanks for adding us. Wanna meet soon? Just for the old times.']);
  assert.deepEqual(brief(fromExample2.at(-1)!), ['2016-10-31T12:23:00.000Z', 'Wobbuffet', 'message', 'Wo-bbu-ffet']);
});

test('whatstk pokemon.txt: the encryption notice under the group name is a system line and names the chat', async () => {
  const c = freshCase();
  const r = await importJson(c, path.join(WA, 'whatstk/pokemon.txt'), '--tz', 'Europe/Berlin');
  assert.equal(r.messages, 20);
  const ms = await messagesOf(c);
  assert.deepEqual(brief(ms[0]!), [
    '2016-04-15T13:04:00.000Z', null, 'system',
    'Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.',
  ]);
  assert.equal(ms[0]!.conversation, 'Pokemon Chat');
  assert.equal(ms.filter((m) => m.kind === 'system').length, 2);
  assert.ok(!ms.some((m) => m.sender === 'Pokemon Chat'));
  // 31.10.2016 12:23 in Berlin is after the end of summer time (CET, UTC+1).
  assert.deepEqual(brief(ms.at(-1)!), ['2016-10-31T11:23:00.000Z', 'Wobbuffet', 'message', 'Wo-bbu-ffet']);
  assert.equal(new Set(ms.filter((m) => m.sender).map((m) => m.sender)).size, 8);
});
});
