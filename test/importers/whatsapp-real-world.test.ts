/**
 * Defect classes seen in real WhatsApp exports, each on a sample the test writes in the real
 * format: empty iOS messages, unreadable timestamps, localised deletion notices, one chat in three
 * containers, another app's look-alike text, "contains edits", and the zone of zone-less times.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cli, cliJson, cliJsonl, tempDir } from '../helpers/case.ts';
import { buildZip } from '../helpers/zip-writer.ts';
import { readExport } from './whatsapp-read.ts';
import { createCase, importSource, messages } from './helpers.ts';
import { whatsappTxt } from '../../src/importers/whatsapp/importer.ts';
import { detectImporter } from '../../src/importers/registry.ts';

const dir = tempDir('holdfast-wa-real-');
const LRM = '\u200e';

function write(rel: string, text: string | Buffer): string {
  const p = path.join(dir, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
}

test('iOS "[time] Name:" with nothing after the colon is an empty message by Name, not a system event', async () => {
  const file = write('empty/WhatsApp Chat - Dana.txt', [
    '[30/06/2023, 16:15:42] Dana: Photo coming',
    '[30/06/2023, 16:15:50] Dana:',
    '[30/06/2023, 16:16:01] Alex: got it',
  ].join('\n'));
  const { messages: m } = await readExport(file);
  assert.equal(m.length, 3);
  assert.equal(m[1]!.kind, 'message');
  assert.equal(m[1]!.sender?.display, 'Dana');
  assert.equal(m[1]!.text, '');
});

test('a message line with an impossible timestamp stays its author\'s own message, time flagged and reported', async () => {
  const file = write('baddate/WhatsApp Chat with Dana.txt', [
    '30/06/2023, 16:15 - Dana: first',
    '31/31/2023, 25:61 - Alex: written on a broken clock',
    'second line of it',
    '30/06/2023, 16:20 - Dana: third',
  ].join('\n'));
  const c = createCase();
  const r = await importSource(c, file, ['--tz', 'UTC']);
  assert.equal(r.report.read, 3);
  assert.equal(r.report.imported, 3);
  assert.equal(r.report.flagged.timeUnknown, 1);
  assert.equal(r.report.skipped.count, 0);
  const list = await messages(c);
  const bad = list.find((x) => x.text.startsWith('written'))!;
  assert.equal(bad.sender, 'Alex');
  assert.equal(bad.text, 'written on a broken clock\nsecond line of it');
  assert.equal(bad.timeSource, 'previous-message');
  assert.equal(bad.sentAt, '2023-06-30T16:15:00.000Z');
  assert.equal(bad.rawTime, '31/31/2023, 25:61');
  assert.equal(list.find((x) => x.text === 'first')!.text, 'first', 'the message before is not extended');
});

test('deletion notices in WhatsApp\'s common languages, admin deletions included, are flagged deleted; look-alike text is not', async () => {
  const notices = [
    'This message was deleted', 'You deleted this message', 'This message was deleted by admin Dana',
    'Mensagem apagada por um admin', 'Esta mensagem foi apagada', 'Diese Nachricht wurde von einem Admin gelöscht',
    'Este mensaje fue eliminado por un admin', 'Ce message a été supprimé par un admin', 'Questo messaggio è stato eliminato da un admin',
    'Dit bericht is verwijderd door een beheerder', 'Pesan ini telah dihapus', 'Bu mesaj silindi', 'Данное сообщение удалено',
    'تم حذف هذه الرسالة', 'यह मैसेज डिलीट कर दिया गया था', 'このメッセージは削除されました', '此消息已删除', 'Ta wiadomość została usunięta',
  ];
  const plain = ['This message was deleted by mistake, sorry', 'Mensagem apagada? Não vi nada'];
  const lines = [...notices, ...plain].map((t, i) => `[30/06/2023, 16:${String(10 + i).padStart(2, '0')}:00] Dana: ${i % 2 ? LRM : ''}${t}`);
  const file = write('deleted/WhatsApp Chat - Dana.txt', lines.join('\n'));
  const { messages: m } = await readExport(file);
  assert.equal(m.length, notices.length + plain.length);
  notices.forEach((t, i) => assert.equal(m[i]!.deleted, true, t));
  plain.forEach((t, i) => assert.equal(m[notices.length + i]!.deleted, undefined, t));
});

const IOS_CHAT = [
  `[30/06/2023, 16:15:00] Dana: ${LRM}Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.`,
  '[30/06/2023, 16:15:42] Dana: Here is the plan',
  `[30/06/2023, 16:16:00] Alex: ${LRM}<attached: 00000003-PHOTO-2023-06-30-16-16-00.jpg>`,
  '[30/06/2023, 16:17:00] Alex: 00000004-PHOTO-2023-06-30-16-17-00.jpg',
  '[30/06/2023, 16:18:00] Dana: ok',
].join('\n');
const DIRECT_CHAT = [
  '30/06/2023, 16:15 - Dana: Here is the plan',
  '30/06/2023, 16:16 - Alex: IMG-20230630-WA0001.jpg',
  '30/06/2023, 16:17 - Dana: ok',
].join('\n');

async function threeContainers(name: string, chat: string, chatName: string, media: string[]): Promise<{ bare: string; folder: string; zip: string }> {
  const base = path.join('containers', name);
  const bare = write(`${base}/copied-out/${chatName}`, chat);
  const folderRoot = `${base}/WhatsApp Chat - Dana`;
  write(`${folderRoot}/${chatName}`, chat);
  for (const m of media) write(`${folderRoot}/${m}`, Buffer.from(`jpeg ${m}`));
  const zip = write(`${base}/WhatsApp Chat - Dana.zip`, await buildZip([{ name: chatName, data: chat }, ...media.map((m) => ({ name: m, data: `jpeg ${m}` }))]));
  return { bare, folder: path.join(dir, folderRoot), zip };
}

for (const [label, chat, chatName, media] of [
  ['iOS _chat.txt', IOS_CHAT, '_chat.txt', ['00000003-PHOTO-2023-06-30-16-16-00.jpg', '00000004-PHOTO-2023-06-30-16-17-00.jpg']],
  ['Android chat text without a notice', DIRECT_CHAT, 'WhatsApp Chat.txt', ['IMG-20230630-WA0001.jpg']],
] as const) {
  test(`${label}: the same chat as its bare text, its folder and its zip is one conversation with every message once, in any order`, async () => {
    const paths = await threeContainers(label.replace(/\W+/g, '-'), chat, chatName, [...media]);
    for (const order of [[paths.bare, paths.folder, paths.zip], [paths.zip, paths.folder, paths.bare]]) {
      const c = createCase();
      const reports = [];
      for (const p of order) reports.push(await importSource(c, p, ['--tz', 'UTC']));
      const list = await messages(c);
      assert.equal(new Set(list.map((x) => x.conversationId)).size, 1, 'one conversation');
      assert.equal(list.length, reports[0]!.report.read, 'every message once');
      assert.deepEqual(reports.slice(1).map((r) => r.report.duplicates), [reports[0]!.report.read, reports[0]!.report.read]);
      assert.deepEqual(reports.slice(1).map((r) => r.report.imported), [0, 0]);
    }
  });
}

const SIGNAL_EXPORT = [
  '[2019-05-29, 15:04] Me: How is everyone?',
  '[2019-05-29, 15:10] Aya: We\'re great!',
  '[2019-05-29, 15:12] Aya: ![IMG_0001.jpg](./media/2019-05-29-15-12-00_IMG_0001.jpg)',
  '[2019-05-29, 15:20] Jim: I\'m not.',
].join('\n');

test('a Signal Desktop text export (signal-export) is not taken for WhatsApp: refused with what it is', async () => {
  const file = write('signal/chat.txt', SIGNAL_EXPORT);
  assert.equal((await whatsappTxt.detect(file)).confidence, 0);
  await assert.rejects(detectImporter(file), /IMPORT_UNSUPPORTED_SOURCE|not a format Holdfast recognises/);
  const c = createCase();
  const r = cli(['import', c, file, '--format', 'whatsapp-txt']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^holdfast: IMPORT_UNSUPPORTED_SOURCE: .*Signal Desktop.*not a WhatsApp chat export/);
  // The WhatsApp form of the same dates (with seconds, as WhatsApp writes them) is still WhatsApp.
  const wa = write('signal/WhatsApp Chat - Aya.txt', SIGNAL_EXPORT.replace(/(\d{2}:\d{2})\]/g, '$1:00]').replace(/Me:/, 'Lee:'));
  assert.ok((await whatsappTxt.detect(wa)).confidence > 0.3);
});

test('"contains edits" only when the export has an edited marker', async () => {
  const plain = write('edits/WhatsApp Chat with A.txt', '30/06/2023, 16:15 - A: hello\n30/06/2023, 16:16 - B: hi\n');
  const edited = write('edits/WhatsApp Chat with B.txt', '30/06/2023, 16:15 - A: hello\n30/06/2023, 16:16 - B: hi <This message was edited>\n');
  assert.equal((await whatsappTxt.probe(plain, { tz: 'UTC' })).hasEdits, false);
  assert.equal((await whatsappTxt.probe(edited, { tz: 'UTC' })).hasEdits, true);
});

test('zone-less times are read in the case\'s matter time zone whatever the computer\'s zone; report and custody record say which and why', () => {
  const file = write('zone/WhatsApp Chat with Dana.txt', '30/01/2023, 16:15 - Dana: winter\n30/06/2023, 16:15 - Alex: summer\n');
  const runs = ['America/New_York', 'UTC'].map((processZone) => {
    const c = path.join(tempDir(), 'case.hfcase');
    cliJson(['create', c, '--name', 'Zone', '--tz', 'Europe/Berlin', '--json'], { TZ: processZone });
    const r = cliJson<{ report: { timeZone: { zone: string; reason: string } } }>(['import', c, file, '--json'], { TZ: processZone });
    const times = cliJsonl<{ sentAt: string }>(['messages', c, '--jsonl'], { TZ: processZone }).map((m) => m.sentAt);
    const audit = cliJson<{ details: { tz: string; tzReason: string } }[]>(['audit', c, '--action', 'import', '--json'], { TZ: processZone })[0]!;
    return { report: r.report.timeZone, times, audit: { tz: audit.details.tz, reason: audit.details.tzReason } };
  });
  assert.deepEqual(runs[0], runs[1]);
  assert.deepEqual(runs[0]!.times, ['2023-01-30T15:15:00.000Z', '2023-06-30T14:15:00.000Z']);
  assert.equal(runs[0]!.report.zone, 'Europe/Berlin');
  assert.match(runs[0]!.report.reason, /matter time zone/);
  assert.deepEqual(runs[0]!.audit, { tz: 'Europe/Berlin', reason: runs[0]!.report.reason });
});
