/**
 * A mixed matter: one custodian's WhatsApp chat export, her Signal backup and her Outlook PST (mail,
 * Teams chats, contacts) in one case. The counterparties appear in WhatsApp by phone number as
 * written on the phone, in Signal by their account numbers, and in the PST by email address; the
 * custodian's Outlook contacts are the evidence that a number and an address are one person. Each
 * person must be one identity across the three, whichever source is imported first.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cliInProcess, tempDir } from '../helpers/case.ts';
import { insert, SIGNAL_SCHEMA, writeSignalBackup } from '../helpers/signal-backup.ts';
import { contactItem, writePst } from '../helpers/pst-writer.ts';
import type { PstMessage } from '../helpers/pst-writer.ts';
import { createCase, importSource, messages } from '../importers/helpers.ts';
import type { ImportResultDTO, ParticipantDTO } from '../../src/api/dto.ts';

const PASSPHRASE = '98765 43210 98765 43210 98765 43210';
const T0 = Date.UTC(2024, 5, 3, 9, 0, 0);
const GROUP = '__signal_group__v2__!0123456789abcdef0123456789abcdef';
const INBOX = 0x800000 | 0x200000 | 20;
const SENT = 0x800000 | 0x200000 | 23;

const ALICE = { name: 'Alice Custodian', email: 'alice@desk.example' };
const BOB = { name: 'Bob Trader', email: 'bob@desk.example' };
const CAROL = { name: 'Carol Broker', email: 'carol@broker.example' };

interface Sources {
  chat: string;
  backup: string;
  pst: string;
}

function writeSources(dir: string): Sources {
  const chat = path.join(dir, 'WhatsApp Chat with +44 7700 900002.txt');
  fs.writeFileSync(chat, [
    '01/06/2024, 09:00 - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.',
    '01/06/2024, 09:00 - +44 7700 900002: Move it before the close',
    '01/06/2024, 09:02 - Alice Custodian: Not here. Signal.',
    '01/06/2024, 09:05 - +1 (415) 555-0103: Added you to the desk list',
  ].join('\n'));
  const backup = path.join(dir, 'signal-2024-06-03-18-00-00.backup');
  writeSignalBackup(backup, [
    ...SIGNAL_SCHEMA.map((sql) => ({ sql })),
    insert('recipient', { _id: 1, e164: '+447700900001', aci: 'a1a1a1a1-0000-4000-8000-000000000001', profile_joined_name: 'Alice Custodian' }),
    insert('recipient', { _id: 2, e164: '+447700900002', aci: 'b2b2b2b2-0000-4000-8000-000000000002', profile_joined_name: 'Bob Trader' }),
    insert('recipient', { _id: 3, e164: '+14155550103', aci: 'c3c3c3c3-0000-4000-8000-000000000003', profile_joined_name: 'Carol Broker' }),
    insert('recipient', { _id: 4, type: 3, group_id: GROUP }),
    insert('thread', { _id: 1, recipient_id: 2 }),
    insert('thread', { _id: 2, recipient_id: 4 }),
    insert('groups', { _id: 1, group_id: GROUP, recipient_id: 4, title: 'Desk' }),
    ...[1, 2, 3].map((rid) => insert('group_membership', { _id: rid, group_id: GROUP, recipient_id: rid })),
    insert('message', { _id: 1, date_sent: T0, date_received: T0 + 400, thread_id: 1, from_recipient_id: 2, to_recipient_id: 1, type: INBOX, body: 'Done. Delete the WhatsApp.' }),
    insert('message', { _id: 2, date_sent: T0 + 60_000, date_received: T0 + 60_000, thread_id: 1, from_recipient_id: 1, to_recipient_id: 2, type: SENT, body: 'Deleted.' }),
    insert('message', { _id: 3, date_sent: T0 + 120_000, date_received: T0 + 120_300, thread_id: 2, from_recipient_id: 3, to_recipient_id: 4, type: INBOX, body: 'Desk is clean' }),
    { keyValue: { key: 'account.e164', string: '+447700900001' } },
  ], { passphrase: PASSPHRASE });
  const pst = path.join(dir, 'alice.pst');
  fs.writeFileSync(pst, alicePst());
  return { chat, backup, pst };
}

/** Alice's mailbox: mail with Bob and Carol, Teams chats with them, and her contacts (numbers as she typed them). */
function alicePst(): Buffer {
  const item = (from: { name: string; email: string }, m: Partial<PstMessage> & Pick<PstMessage, 'submitTime'>): PstMessage => ({
    messageClass: 'IPM.Note', senderName: from.name, senderEmail: from.email, recipients: [], ...m,
  });
  const to = (...people: { name: string; email: string }[]) => people.map((p) => ({ ...p, type: 1 as const }));
  return writePst('Alice Custodian', [
    { name: 'Inbox', containerClass: 'IPF.Note', messages: [
      item(BOB, { subject: 'Close', body: 'Figures attached tomorrow', submitTime: new Date('2024-06-02T08:00:00Z'), internetMessageId: '<close-1@desk.example>', recipients: to(ALICE) }),
      item(CAROL, { subject: 'Desk list', body: 'You are on the list', submitTime: new Date('2024-06-02T09:00:00Z'), internetMessageId: '<list-1@broker.example>', recipients: to(ALICE) }),
    ] },
    { name: 'TeamsMessagesData', messages: [
      item(BOB, { messageClass: 'IPM.SkypeTeams.Message', body: 'ping me on Signal', submitTime: new Date('2024-06-02T10:00:00Z'), conversationTopic: '19:alice_bob@unq.gbl.spaces', recipients: to(ALICE) }),
      item(CAROL, { messageClass: 'IPM.SkypeTeams.Message', body: 'desk call at 4', submitTime: new Date('2024-06-02T11:00:00Z'), conversationTopic: '19:desk@thread.v2', recipients: to(ALICE, BOB) }),
    ] },
    { name: 'Contacts', containerClass: 'IPF.Contact', messages: [
      contactItem({ name: BOB.name, givenName: 'Bob', surname: 'Trader', emails: [BOB.email], mobile: '07700 900002' }),
      contactItem({ name: CAROL.name, givenName: 'Carol', surname: 'Broker', emails: [CAROL.email], business: '+1 (415) 555-0103' }),
    ] },
  ]);
}

/** `holdfast import` of each source in turn, by the CLI's code in this process. */
async function importAll(caseFile: string, s: Sources, order: (keyof Sources)[]): Promise<Record<keyof Sources, ImportResultDTO>> {
  const done = {} as Record<keyof Sources, ImportResultDTO>;
  for (const which of order) {
    if (which === 'chat') done.chat = await importSource(caseFile, s.chat, ['--custodian', ALICE.name, '--tz', 'Europe/London']);
    if (which === 'backup') done.backup = await importSource(caseFile, s.backup, ['--custodian', ALICE.name, '--backup-password-env', 'PW'], { PW: PASSPHRASE });
    if (which === 'pst') done.pst = await importSource(caseFile, s.pst, ['--custodian', ALICE.name, '--region', 'GB']);
  }
  return done;
}

/** What a `--json` command prints, run by the CLI's code in this process. */
async function cliJson<T>(args: string[]): Promise<T> {
  const r = await cliInProcess(args);
  assert.equal(r.status, 0, `holdfast ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

async function checkOnePersonEach(caseFile: string): Promise<ParticipantDTO[]> {
  const people = await cliJson<ParticipantDTO[]>(['identities', caseFile, 'list', '--json']);
  const holding = (value: string) => {
    const found = people.filter((p) => p.handles.some((h) => h.value === value));
    assert.equal(found.length, 1, `${value} belongs to ${found.length} identities: ${JSON.stringify(people)}`);
    return found[0]!;
  };
  const bob = holding('+447700900002');
  const carol = holding('+14155550103');
  assert.equal(holding(BOB.email).id, bob.id, 'Bob by number and by address is one identity');
  assert.equal(holding(CAROL.email).id, carol.id, 'Carol by number and by address is one identity');
  assert.deepEqual(bob.handles.map((h) => `${h.kind}:${h.value}`).sort(), [`email:${BOB.email}`, 'phone:+447700900002']);
  assert.deepEqual(carol.handles.map((h) => `${h.kind}:${h.value}`).sort(), [`email:${CAROL.email}`, 'phone:+14155550103']);
  assert.deepEqual([bob.name, carol.name], [BOB.name, CAROL.name]);

  // Their messages from all three sources carry the one sender.
  const list = await messages(caseFile);
  const sourcesOf = (id: number) => new Set(list.filter((m) => m.senderId === id).map((m) => m.source.sourceId));
  assert.equal(sourcesOf(bob.id).size, 3, 'Bob speaks in WhatsApp, Signal and the PST as one person');
  assert.equal(sourcesOf(carol.id).size, 3, 'Carol speaks in WhatsApp, Signal and the PST as one person');
  assert.equal(list.find((m) => m.text === 'ping me on Signal')!.senderId, bob.id);
  assert.equal(list.find((m) => m.text === 'desk call at 4')!.senderId, carol.id);
  assert.equal(list.find((m) => m.text === 'Deleted.')!.senderHandle, '+447700900001');
  assert.ok(!list.some((m) => m.text.includes(BOB.name) || m.subject === CAROL.name), 'contacts are not messages');
  return people;
}

test('WhatsApp, Signal and PST of one custodian: each person is one identity across the three, linked by her Outlook contacts', async () => {
  const dir = tempDir();
  const s = writeSources(dir);
  const caseFile = createCase(dir);
  const r = await importAll(caseFile, s, ['chat', 'backup', 'pst']);
  assert.deepEqual([r.chat.format, r.backup.format, r.pst.format], ['whatsapp-txt', 'signal-android-backup', 'outlook-pst']);
  assert.deepEqual([r.backup.messages, r.pst.messages], [3, 4], 'the two contacts are not messages');
  const people = await checkOnePersonEach(caseFile);
  const before = (await messages(caseFile)).length;

  // A re-import adds nothing: the same files, and the mailbox exported again (new bytes, same items).
  const again = await importAll(caseFile, s, ['pst', 'backup', 'chat']);
  assert.ok(Object.values(again).every((x) => x.alreadyImported));
  const second = path.join(dir, 'alice-second-export.pst');
  fs.writeFileSync(second, Buffer.concat([alicePst(), Buffer.alloc(512)]));
  const z = await importSource(caseFile, second, ['--custodian', ALICE.name, '--region', 'GB']);
  assert.deepEqual([z.alreadyImported, z.messages, z.duplicatesSkipped], [false, 0, 4]);
  assert.equal((await messages(caseFile)).length, before);
  assert.deepEqual(await cliJson<ParticipantDTO[]>(['identities', caseFile, 'list', '--json']), people, 'the identities are unchanged');
  const links = await cliJson<{ details: { evidence?: { locator: string } } }[]>(['audit', caseFile, '--action', 'identity.link', '--json']);
  assert.deepEqual(links.map((e) => e.details.evidence?.locator), ['/Top of Outlook data file/Contacts item 0', '/Top of Outlook data file/Contacts item 1'],
    'each link is audited once, with the contact it rests on');
});

test('the PST imported first: the numbers its contacts name are the same people when WhatsApp and Signal arrive', async () => {
  const dir = tempDir();
  const s = writeSources(dir);
  const caseFile = createCase(dir);
  await importAll(caseFile, s, ['pst', 'chat', 'backup']);
  await checkOnePersonEach(caseFile);
});
