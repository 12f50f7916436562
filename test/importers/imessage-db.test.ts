/**
 * The imessage-db importer through the CLI's code (`holdfast import` in this process, refusals also as
 * a child process: importers/helpers.ts) into real encrypted cases: the real chat.db fixture,
 * and databases built here in the modern and old schemas (tapbacks, edits, unsends, group events,
 * attachments, deleted chats, seconds-based dates).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cliHere, cliInProcess, FIXTURES, makeCaseFile, PASSPHRASE, tempDir } from '../helpers/case.ts';
import { importSource, messages } from './helpers.ts';
import { insert, modernChatDb, ns, oldChatDb } from '../helpers/imessage-db.ts';
import { openSession } from '../../src/app/open-session.ts';
import { openMessagesImage } from '../../src/importers/imessage/open.ts';
import { readMessagesDb } from '../../src/importers/imessage/reader.ts';
import type { ImportRecord, ImportWarning } from '../../src/importers/types.ts';

interface Msg {
  id: number;
  conversationId: number;
  conversation: string;
  sender: string | null;
  senderHandle: string | null;
  direction: string;
  sentAt: string;
  rawTime: string;
  text: string;
  kind: string;
  systemType: string | null;
  attachments: { name: string; sha256: string | null; size: number | null; mime: string | null; missingReason: string | null }[];
  reactions: { value: string; sender: string | null; sentAt: string | null; removed: boolean }[];
  edits: { seq: number; editedAt: string | null; text: string }[];
  edited: boolean;
  deleted: boolean;
  replyTo: number | null;
  source: { sourceId: number; locator: string };
}

function newCaseFile(): string {
  const file = path.join(tempDir(), 'case.hfcase');
  makeCaseFile(file);
  return file;
}

/** What `holdfast messages CASE --jsonl` prints, read in this process. */
async function listed(file: string): Promise<Msg[]> {
  return (await messages(file, { includePersonal: false })) as Msg[];
}

const typedstream = (name: string) => fs.readFileSync(path.join(FIXTURES, 'imessage/typedstream', name));
const plist = (name: string) => fs.readFileSync(path.join(FIXTURES, 'imessage/plists', name));

test('the real chat.db fixture: texts only in attributedBody, UTC times, sender, sticker attachment recorded missing', async () => {
  const dir = tempDir();
  const db = path.join(dir, 'chat.db');
  fs.copyFileSync(path.join(FIXTURES, 'imessage/test.db'), db);
  const file = newCaseFile();
  const result = await importSource(file, db);
  assert.equal(result.format, 'imessage-db');
  assert.equal(result.messages, 2);
  assert.equal(result.conversations, 1);
  assert.equal(result.attachments, 1);

  const msgs = await listed(file);
  assert.deepEqual(msgs.map((m) => m.text).sort(), [
    'https://www.ghacks.net/2020/01/23/lastpass-no-longer-listed-on-the-chrome-web-store/',
    'I’m going to try to eat as quick as possible and then come over',
  ].sort());
  for (const m of msgs) {
    // date = 760569924490443648 ns after 2001-01-01T00:00:00Z.
    assert.equal(m.sentAt, '2025-02-06T21:25:24.490Z');
    assert.equal(m.rawTime, '760569924490443648');
    assert.equal(m.direction, 'in');
    assert.equal(m.kind, 'message');
    // handle 1 is absent from the handle table: the sender is kept as that row, not dropped.
    assert.equal(m.senderHandle, 'imessage-handle-rowid:1');
  }
  const sticker = msgs.find((m) => m.text.startsWith('I’m going'))!;
  assert.equal(sticker.attachments.length, 1);
  assert.equal(sticker.attachments[0]!.name, '289D9E83-33EE-4153-AF13-43DB31792C6F.heic');
  assert.equal(sticker.attachments[0]!.mime, 'image/heic');
  assert.equal(sticker.attachments[0]!.sha256, null);
  assert.match(sticker.attachments[0]!.missingReason!, /StickerCache\/8e682c381ab52ec2-289D9E83/);
  assert.ok(result.warnings.some((w) => w.code === 'MISSING_ATTACHMENT'));
  assert.ok(result.warnings.some((w) => w.code === 'BAD_RECORD' && /handle 1/.test(w.message)));

  const again = await importSource(file, db);
  assert.equal(again.alreadyImported, true);
  assert.equal((await listed(file)).length, 2);
});

/** A modern Messages folder: chat.db plus Attachments, exercising every record kind. */
function buildModernFolder(): string {
  const dir = path.join(tempDir(), 'Messages');
  fs.mkdirSync(dir);
  const db = modernChatDb(path.join(dir, 'chat.db'));
  const alice = insert(db, 'handle', { id: '+15551230001', service: 'iMessage' });
  const bob = insert(db, 'handle', { id: 'Bob@Example.com', service: 'iMessage' });
  const carol = insert(db, 'handle', { id: '+15551230003', service: 'iMessage' });
  const group = insert(db, 'chat', { guid: 'iMessage;+;chat100', style: 43, chat_identifier: 'chat100', display_name: 'Deal team', service_name: 'iMessage' });
  const direct = insert(db, 'chat', { guid: 'iMessage;-;+15551230001', style: 45, chat_identifier: '+15551230001', service_name: 'iMessage' });
  for (const h of [alice, bob]) insert(db, 'chat_handle_join', { chat_id: group, handle_id: h });
  insert(db, 'chat_handle_join', { chat_id: direct, handle_id: alice });

  const msg = (chat: number | null, row: Record<string, unknown>) => {
    const id = insert(db, 'message', { service: 'iMessage', account: 'E:me@example.com', ...row });
    if (chat !== null) insert(db, 'chat_message_join', { chat_id: chat, message_id: id, message_date: row.date });
    return id;
  };
  msg(group, { guid: 'G10', handle_id: alice, item_type: 1, group_action_type: 0, other_handle: carol, date: ns(699999900) });
  msg(group, { guid: 'G16', handle_id: alice, item_type: 2, group_title: 'Old name', date: ns(699999950) });
  msg(group, { guid: 'G1', handle_id: alice, text: 'Price is 42', date: ns(700000000) });
  msg(group, { guid: 'G2', handle_id: 0, is_from_me: 1, text: 'ok', date: ns(700000010) });
  msg(group, { guid: 'G3', handle_id: bob, text: 'Liked “Price is 42”', associated_message_guid: 'p:0/G1', associated_message_type: 2001, date: ns(700000020) });
  msg(group, { guid: 'G4', handle_id: bob, text: 'Removed a like from “Price is 42”', associated_message_guid: 'p:0/G1', associated_message_type: 3001, date: ns(700000030) });
  msg(group, { guid: 'G5', handle_id: alice, associated_message_guid: 'p:0/G2', associated_message_type: 2006, associated_message_emoji: '🚀', date: ns(700000040) });
  msg(group, { guid: 'G6', handle_id: bob, text: 'agreed', thread_originator_guid: 'G1', thread_originator_part: '0:0:11', date: ns(700000050) });
  msg(group, { guid: 'G7', handle_id: 0, is_from_me: 1, text: 'Edited message', message_summary_info: plist('Edited.plist'), date_edited: ns(700000060), date: ns(700000055) });
  msg(group, { guid: 'G8', handle_id: 0, is_from_me: 1, text: null, message_summary_info: plist('Deleted.plist'), date_retracted: ns(700000070), date: ns(700000065) });
  msg(group, { guid: 'G9', handle_id: alice, item_type: 2, group_title: 'Deal team', date: ns(700000075) });
  msg(group, { guid: 'G11', handle_id: carol, item_type: 3, group_action_type: 0, date: ns(700000080) });

  msg(direct, { guid: 'G12', handle_id: alice, text: null, attributedBody: typedstream('AttributedBodyTextOnly'), date: ns(700000100) });
  const multi = msg(direct, { guid: 'G13', handle_id: alice, text: '\uFFFCtest 1\uFFFCtest 2 \uFFFCtest 3', attributedBody: typedstream('MultiPart'), date: ns(700000110), cache_has_attachments: 1 });
  // Inserted in reverse so only the body's GUID order can put them right.
  const files = [
    { guid: 'at_4_F0668F79-20C2-49C9-A87F-1B007ABB0CED', name: 'c.txt', content: 'third file' },
    { guid: 'at_2_F0668F79-20C2-49C9-A87F-1B007ABB0CED', name: 'b.txt', content: null },
    { guid: 'at_0_F0668F79-20C2-49C9-A87F-1B007ABB0CED', name: 'a.txt', content: 'first file' },
  ];
  for (const f of files) {
    const rel = `Attachments/f0/00/${f.guid}/${f.name}`;
    if (f.content !== null) {
      fs.mkdirSync(path.join(dir, path.dirname(rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), f.content);
    }
    const a = insert(db, 'attachment', { guid: f.guid, original_guid: f.guid, filename: `~/Library/Messages/${rel}`, mime_type: 'text/plain', transfer_name: f.name, total_bytes: 10 });
    insert(db, 'message_attachment_join', { message_id: multi, attachment_id: a });
  }
  msg(group, { guid: 'G17', handle_id: 0, is_from_me: 1, text: 'From arbitrary byte stream:', message_summary_info: plist('MultiPartOneDeleted.plist'), date_retracted: ns(700000090), date: ns(700000085) });
  const withPart = msg(direct, { guid: 'G18', handle_id: alice, text: 'kept part', date: ns(700000115) });
  insert(db, 'recoverable_message_part', { chat_id: direct, message_id: withPart, part_index: 1, delete_date: ns(700000300), part_text: typedstream('AttributedBodyTextOnly2') });
  msg(null, { guid: 'G14', handle_id: carol, text: 'no chat for me', date: ns(700000120) });
  const gone = msg(null, { guid: 'G15', handle_id: alice, text: 'delete me', date: ns(700000130) });
  insert(db, 'chat_recoverable_message_join', { chat_id: direct, message_id: gone, delete_date: ns(700000200) });
  db.close();
  return dir;
}

test('a modern Messages folder: conversations, reactions, replies, edits, unsends, group events, attachments, deleted chats', async () => {
  const folder = buildModernFolder();
  const file = newCaseFile();
  const result = await importSource(file, folder);
  assert.equal(result.format, 'imessage-db');
  // 18 rows: 3 tapbacks become reactions, the other 15 are messages, plus a note for a partly
  // unsent message and a deleted part recovered from recoverable_message_part.
  assert.equal(result.messages, 17);
  assert.equal(result.conversations, 3);
  assert.equal(result.attachments, 3);

  const msgs = await listed(file);
  const byText = (t: string) => msgs.find((m) => m.text === t);
  assert.equal(msgs.length, 17);
  assert.ok(!msgs.some((m) => /Liked|Removed a like/.test(m.text)), 'tapbacks are not messages');

  const price = byText('Price is 42')!;
  assert.equal(price.sentAt, '2023-03-08T20:26:40.000Z');
  assert.equal(price.senderHandle, '+15551230001');
  assert.equal(price.conversation, 'Deal team');
  assert.deepEqual(price.reactions.map((r) => [r.value, r.sender, r.sentAt, r.removed]), [
    ['👍', 'bob@example.com', '2023-03-08T20:27:00.000Z', false],
    ['👍', 'bob@example.com', '2023-03-08T20:27:10.000Z', true],
  ]);
  const ok = byText('ok')!;
  assert.equal(ok.direction, 'out');
  assert.equal(ok.sender, 'Me');
  assert.equal(ok.senderHandle, 'me:me@example.com');
  assert.deepEqual(ok.reactions.map((r) => [r.value, r.sender]), [['🚀', '+15551230001']]);
  assert.equal(byText('agreed')!.replyTo, price.id);

  const edited = byText('Edited message')!;
  assert.equal(edited.edited, true);
  assert.deepEqual(edited.edits.map((e) => e.text), ['First message  ', 'Edit 1', 'Edit 2']);
  assert.equal(edited.edits[0]!.editedAt, '2022-11-19T01:17:54.273Z');
  const unsent = msgs.find((m) => m.deleted && m.text === '' && m.conversation === 'Deal team')!;
  assert.ok(unsent, 'the unsent message is kept, flagged deleted');
  assert.equal(unsent.sentAt, '2023-03-08T20:27:45.000Z');

  const system = msgs.filter((m) => m.kind === 'system').map((m) => [m.systemType, m.text]);
  assert.deepEqual(system, [
    ['join', '+15551230001 added +15551230003 to the conversation'],
    ['rename', '+15551230001 named the conversation “Old name”'],
    ['rename', '+15551230001 named the conversation “Deal team”'],
    ['leave', '+15551230003 left the conversation'],
    ['unsent', 'Me unsent part 4 of a message'],
  ]);
  const partly = byText('From arbitrary byte stream:')!;
  assert.equal(partly.deleted, false);
  assert.equal(msgs.find((m) => m.systemType === 'unsent')!.replyTo, partly.id);
  assert.equal(msgs.find((m) => m.systemType === 'unsent')!.sentAt, '2023-03-08T20:28:10.000Z');
  const recovered = byText('Test 3')!;
  assert.equal(recovered.deleted, true);
  assert.equal(recovered.replyTo, byText('kept part')!.id);
  assert.match(recovered.source.locator, /recoverable_message_part chat 2 message \d+ part 1/);

  assert.equal(byText('Noter test')!.conversation, '+15551230001');
  const multi = byText('\uFFFCtest 1\uFFFCtest 2 \uFFFCtest 3')!;
  assert.deepEqual(multi.attachments.map((a) => a.name), ['a.txt', 'b.txt', 'c.txt']);
  assert.equal(multi.attachments[0]!.size, 'first file'.length);
  assert.match(multi.attachments[0]!.sha256!, /^[0-9a-f]{64}$/);
  assert.equal(multi.attachments[1]!.sha256, null);
  assert.match(multi.attachments[1]!.missingReason!, /not found in the source folder/);

  const orphan = byText('no chat for me')!;
  assert.equal(orphan.conversation, '+15551230003');
  const deleted = byText('delete me')!;
  assert.equal(deleted.deleted, true);
  assert.equal(deleted.conversation, '+15551230001');
  assert.match(deleted.source.locator, /Recently Deleted since 2023-03-08T20:30:00.000Z/);

  // Conversation identity, name history and membership, straight from the case.
  const session = openSession(file, PASSPHRASE, { readonly: true });
  try {
    const convs = session.db.prepare('SELECT id, platform, external_id, kind, name FROM conversations ORDER BY id').all() as {
      id: number; platform: string; external_id: string; kind: string; name: string;
    }[];
    assert.deepEqual(convs.map((c) => [c.platform, c.external_id, c.kind, c.name]), [
      ['imessage', 'iMessage;+;chat100', 'group', 'Deal team'],
      ['imessage', 'iMessage;-;+15551230001', 'direct', '+15551230001'],
      ['imessage', 'handle:+15551230003', 'direct', '+15551230003'],
    ]);
    const names = session.db.prepare('SELECT name, from_at FROM conversation_names WHERE conversation_id = ? ORDER BY from_at').all(convs[0]!.id) as { name: string; from_at: number }[];
    assert.deepEqual(names.map((n) => [n.name, new Date(n.from_at).toISOString()]), [
      ['Old name', '2023-03-08T20:25:50.000Z'], ['Deal team', '2023-03-08T20:27:55.000Z'],
    ]);
    const members = session.db.prepare(
      `SELECT h.value, m.joined_at, m.left_at FROM conversation_members m JOIN handles h ON h.id = m.handle_id WHERE m.conversation_id = ? ORDER BY h.value`,
    ).all(convs[0]!.id) as { value: string; joined_at: number | null; left_at: number | null }[];
    assert.deepEqual(members.map((m) => [m.value, m.joined_at && new Date(m.joined_at).toISOString(), m.left_at && new Date(m.left_at).toISOString()]), [
      ['+15551230001', null, null],
      ['+15551230003', '2023-03-08T20:25:00.000Z', '2023-03-08T20:28:00.000Z'],
      ['bob@example.com', null, null],
    ]);
  } finally {
    session.close();
  }

  // The lone chat.db (another source, same messages) adds nothing: every message is a duplicate by GUID.
  const again = await importSource(file, path.join(folder, 'chat.db'));
  assert.equal(again.messages, 0);
  assert.equal(again.duplicatesSkipped, 17);
  assert.equal((await listed(file)).length, 17);
});

test('an old schema (no newer columns) with dates in seconds', async () => {
  const dir = tempDir();
  const dbFile = path.join(dir, 'sms.db');
  const db = oldChatDb(dbFile);
  const dan = insert(db, 'handle', { id: '+447700900123', service: 'SMS' });
  const chat = insert(db, 'chat', { guid: 'SMS;-;+447700900123', style: 45, chat_identifier: '+447700900123', service_name: 'SMS' });
  insert(db, 'chat_handle_join', { chat_id: chat, handle_id: dan });
  for (const [guid, fromMe, text, date] of [['O1', 0, 'Meet at 5?', 500000000], ['O2', 1, 'Yes', 500000060]] as const) {
    const id = insert(db, 'message', { guid, text, handle_id: fromMe ? dan : dan, is_from_me: fromMe, account: 'p:+447700900999', service: 'SMS', date });
    insert(db, 'chat_message_join', { chat_id: chat, message_id: id });
  }
  db.close();

  const file = newCaseFile();
  const result = await importSource(file, dbFile);
  assert.equal(result.messages, 2);
  assert.deepEqual(result.warnings, []);
  const msgs = await listed(file);
  assert.deepEqual(msgs.map((m) => [m.sentAt, m.rawTime, m.direction, m.senderHandle, m.text]), [
    ['2016-11-05T00:53:20.000Z', '500000000', 'in', '+447700900123', 'Meet at 5?'],
    ['2016-11-05T00:54:20.000Z', '500000060', 'out', 'me:+447700900999', 'Yes'],
  ]);
});

test('not a Messages database, or a damaged one: a clear error naming the file, and the case is untouched', async () => {
  const dir = tempDir();
  const notes = path.join(dir, 'notes.db');
  const db = oldChatDb(notes);
  db.exec('DROP TABLE handle');
  db.close();
  const file = newCaseFile();
  const r1 = await cliHere(['import', file, notes, '--format', 'imessage-db', '--json']);
  assert.equal(r1.status, 1);
  assert.match(r1.stderr, /IMPORT_UNSUPPORTED_SOURCE: notes\.db is a SQLite database but not an Apple Messages one \(no handle table\)/);

  const broken = path.join(dir, 'chat.db');
  fs.writeFileSync(broken, Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(4096, 0x5a)]));
  const r2 = await cliHere(['import', file, broken, '--json']);
  assert.equal(r2.status, 1);
  assert.match(r2.stderr, /IMPORT_SOURCE_CORRUPT: chat\.db is damaged and cannot be read as SQLite/);
  assert.equal((JSON.parse((await cliInProcess(['info', file, '--json'])).stdout) as { messages: number }).messages, 0);
});

test('messages only in chat.db-wal (Messages not yet checkpointed) are read, and the log joins the custody record', async () => {
  const live = tempDir();
  const writer = modernChatDb(path.join(live, 'chat.db'));
  writer.pragma('journal_mode = WAL');
  writer.pragma('wal_autocheckpoint = 0');
  const h = insert(writer, 'handle', { id: '+15551230009', service: 'iMessage' });
  insert(writer, 'message', { guid: 'W0', text: 'checkpointed', handle_id: h, date: ns(700000000) });
  writer.pragma('wal_checkpoint(TRUNCATE)');
  insert(writer, 'message', { guid: 'W1', text: 'only in the log', handle_id: h, date: ns(700000001) });
  // Collected while the writer still has the database open: chat.db plus chat.db-wal.
  const copy = tempDir();
  fs.copyFileSync(path.join(live, 'chat.db'), path.join(copy, 'chat.db'));
  fs.copyFileSync(path.join(live, 'chat.db-wal'), path.join(copy, 'chat.db-wal'));
  writer.close();
  const before = fs.readdirSync(copy).sort();

  const file = newCaseFile();
  const result = await importSource(file, path.join(copy, 'chat.db'));
  assert.equal(result.messages, 2);
  assert.deepEqual((await listed(file)).map((m) => m.text), ['checkpointed', 'only in the log']);
  assert.deepEqual(fs.readdirSync(copy).sort(), before, 'no -shm or other file was created beside the evidence');
  const session = openSession(file, PASSPHRASE, { readonly: true });
  try {
    const files = session.db.prepare('SELECT inner_path, size FROM source_files').all() as { inner_path: string; size: number }[];
    assert.deepEqual(files, [{ inner_path: 'chat.db-wal', size: fs.statSync(path.join(copy, 'chat.db-wal')).size }]);
  } finally {
    session.close();
  }
});

test('a decrypted sms.db handed over in memory (WAL-mode header) reads without touching the disk', async () => {
  const dir = tempDir();
  const dbFile = path.join(dir, 'sms.db');
  const db = oldChatDb(dbFile);
  db.pragma('journal_mode = WAL');
  const h = insert(db, 'handle', { id: 'x@example.com', service: 'iMessage' });
  insert(db, 'message', { guid: 'M1', text: 'hello from memory', handle_id: h, date: 600000000 });
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const bytes = fs.readFileSync(dbFile);
  assert.equal(bytes[18], 2, 'the fixture is a WAL-mode database');
  fs.rmSync(dir, { recursive: true });

  const mem = openMessagesImage(bytes, 'HomeDomain/Library/SMS/sms.db', '/backup');
  const warnings: ImportWarning[] = [];
  const records: ImportRecord[] = [];
  const ctx = { path: '/backup', options: { tz: 'UTC' }, signal: new AbortController().signal, warn: (w: ImportWarning) => warnings.push(w), progress: () => {} };
  for await (const r of readMessagesDb(mem, ctx, { sourceLabel: 'HomeDomain/Library/SMS/sms.db', resolveAttachment: () => ({ missingReason: 'not in the backup' }) })) records.push(r);
  mem.close();
  const messages = records.filter((r) => r.type === 'message');
  assert.equal(messages.length, 1);
  assert.equal(messages[0]!.type === 'message' && messages[0]!.text, 'hello from memory');
  assert.equal(messages[0]!.locator, 'HomeDomain/Library/SMS/sms.db message rowid 1');
  assert.equal(fs.existsSync(dir), false, 'nothing was written next to where the database came from');
});
