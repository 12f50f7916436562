import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { PSTFile } from 'pst-extractor';
import type { PSTFolder, PSTMessage } from 'pst-extractor';
import { cliJson, tempDir } from '../helpers/case.ts';
import { samplePst, PDF } from '../helpers/pst-sample.ts';
import { createCase, expectImportFailure, importSource, messages, snapshot } from './helpers.ts';
import { contactIdentity, pstImporter, pstKind, teamsKind, threadTopic } from '../../src/importers/pst/importer.ts';
import { detectImporter } from '../../src/importers/registry.ts';
import type { AuditEntryDTO, ParticipantDTO } from '../../src/api/dto.ts';
import { describeAudit } from '../../src/api/audit-text.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function writeSample(): string {
  const file = path.join(tempDir(), 'custodian.pst');
  fs.writeFileSync(file, samplePst());
  return file;
}

test('the generated PST reads back with pst-extractor: folders, messages, recipients, attachment bytes', () => {
  const pst = new PSTFile(writeSample());
  const top = pst.getRootFolder().getSubFolders()[0]!;
  assert.equal(top.displayName, 'Top of Outlook data file');
  const [inbox, teamsFolder] = top.getSubFolders() as [PSTFolder, PSTFolder];
  assert.deepEqual([inbox.displayName, inbox.contentCount, teamsFolder.displayName, teamsFolder.contentCount], ['Inbox', 3, 'TeamsMessagesData', 4]);
  const first = inbox.getNextChild() as PSTMessage;
  assert.deepEqual([first.subject, first.senderEmailAddress, first.clientSubmitTime?.toISOString(), first.numberOfRecipients], ['Term sheet', 'ann@example.com', '2024-03-04T10:00:00.000Z', 3]);
  assert.deepEqual([0, 1, 2].map((i) => [first.getRecipient(i)!.displayName, first.getRecipient(i)!.recipientType]), [['Bo Chen', 1], ['Cy Diaz', 2], ['Legal', 3]]);
  const a = first.getAttachment(0);
  const data = Buffer.alloc(a.filesize);
  a.fileInputStream!.readCompletely(data);
  assert.deepEqual([a.longFilename, data], ['term sheet.pdf', PDF]);
  // Contacts: Email1/2 are named properties of PSETID_Address, found through the name-to-id map.
  const contacts = top.getSubFolders()[2]!;
  assert.equal(contacts.displayName, 'Contacts');
  const bo = contacts.getNextChild() as PSTMessage & Record<string, string>;
  assert.deepEqual([bo.messageClass, bo.displayName, bo.email1EmailAddress, bo.email2EmailAddress, bo.mobileTelephoneNumber, bo.businessTelephoneNumber],
    ['IPM.Contact', 'Bo Chen', 'bo@example.com', 'bo.chen@home.example', '07700 900123', '+44 20 7946 0123']);
  pst.close();
});

test('the generated PST reads back with readpst (libpst), an independent implementation', (t) => {
  if (spawnSync('readpst', ['-V']).error) {
    t.skip('readpst (Debian pst-utils) is not installed');
    return;
  }
  const out = tempDir();
  const r = spawnSync('readpst', ['-o', out, '-tec', '-cv', writeSample()], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const mbox = fs.readFileSync(path.join(out, 'Inbox.mbox'), 'utf8');
  assert.match(mbox, /^From: "Ann Lee" <ann@example\.com>$/m);
  assert.match(mbox, /^Subject: Term sheet$/m);
  assert.match(mbox, /^Date: Mon, 04 Mar 2024 10:00:00 \+0000$/m);
  assert.match(mbox, /filename="term sheet\.pdf"/);
  assert.ok(mbox.includes(PDF.toString('base64')), 'the attachment bytes');
  assert.match(mbox, /^Subject: RE: Term sheet$/m);
  const cards = fs.readFileSync(path.join(out, 'Contacts.contacts'), 'utf8');
  assert.match(cards, /^N:Chen;Bo;;;\r?$/m);
  assert.match(cards, /^EMAIL:bo@example\.com\r?$/m);
  assert.match(cards, /^EMAIL:bo\.chen@home\.example\r?$/m);
  assert.match(cards, /^TEL;TYPE=cell,voice:07700 900123\r?$/m);
  assert.match(cards, /^TEL;TYPE=work,voice:\+44 20 7946 0123\r?$/m);
});

test('signature, thread topics and Teams thread kinds', () => {
  assert.equal(pstKind(Buffer.from('!BDN\0\0\0\0SM\x17\0', 'latin1')), 'pst');
  assert.equal(pstKind(Buffer.from('!BDN\0\0\0\0SO\x17\0', 'latin1')), 'ost');
  assert.equal(pstKind(Buffer.from('PK\x03\x04', 'latin1')), undefined);
  assert.equal(threadTopic('', 'RE: FW: Re: Term sheet'), 'Term sheet');
  assert.equal(threadTopic('Deal', 'RE: other'), 'Deal');
  assert.deepEqual(['19:a_b@unq.gbl.spaces', '19:x@thread.v2', '19:y@thread.tacv2', 'other'].map((id) => teamsKind(id, 3)), ['direct', 'group', 'channel', 'group']);
  fc.assert(fc.property(fc.string(), fc.string(), (topic, subject) => {
    const t = threadTopic(topic, subject);
    assert.ok(t.length > 0 && t === t.trim());
  }));
  fc.assert(fc.property(fc.uint8Array({ maxLength: 16 }), (bytes) => {
    pstKind(Buffer.from(bytes));
  }));
});

test('holdfast import reads the PST: email threads with To/Cc/Bcc and attachments, Teams 1:1, group and channel chats', async () => {
  const file = writeSample();
  assert.equal((await detectImporter(file)).importer.id, 'outlook-pst', 'the import wizard detects it');
  assert.ok(cliJson<{ id: string }[]>(['formats', '--json']).some((f) => f.id === 'outlook-pst'), 'holdfast formats lists it');
  const c = createCase();
  const r = await importSource(c, file, ['--region', 'GB']);
  assert.equal(r.format, 'outlook-pst');
  assert.equal(r.messages, 6);
  assert.equal(r.conversations, 4);
  assert.equal(r.attachments, 2);
  assert.ok(r.warnings.some((w) => w.code === 'UNSUPPORTED_FEATURE' && /1 item\(s\) of class IPM\.Appointment/.test(w.message)), JSON.stringify(r.warnings));
  const list = await messages(c);
  const by = (t: string) => {
    const m = list.find((x) => x.text.includes(t));
    assert.ok(m, t);
    return m;
  };
  const first = by('Attached, final.');
  assert.equal(first.text, 'Attached, final.\nAnn');
  assert.deepEqual(first.recipients, [
    { role: 'to', name: 'Bo Chen', handle: 'bo@example.com' }, { role: 'cc', name: 'Cy Diaz', handle: 'cy@example.com' }, { role: 'bcc', name: 'Legal', handle: 'legal@example.com' },
  ]);
  assert.deepEqual([first.sender, first.senderHandle, first.sentAt, first.subject, first.conversation], ['Ann Lee', 'ann@example.com', '2024-03-04T10:00:00.000Z', 'Term sheet', 'Term sheet']);
  assert.deepEqual(first.attachments.map((a) => [a.name, a.mime, a.size, a.sha256]), [['term sheet.pdf', 'application/pdf', PDF.length, sha(PDF)]]);
  const reply = by('Looks good');
  assert.deepEqual([reply.replyTo, reply.conversation, reply.sender], [first.id, 'Term sheet', 'Bo Chen']);

  const hi = by('hi Bo');
  const back = by('hi Ann 👋');
  assert.equal(hi.conversationId, back.conversationId);
  assert.equal(back.sentAt, '2024-03-05T09:01:00.000Z');
  const group = by('deal team kickoff');
  assert.deepEqual(group.attachments.map((a) => [a.name, a.sha256]), [['agenda.txt', sha(Buffer.from('1. price\n'))]]);
  const channel = by('posted in General');
  assert.equal(channel.conversation, 'Q1 pricing');
  const convs = cliJson<{ id: number; kind: string; platform: string }[]>(['conversations', c, '--json']);
  const kindOf = (id: number) => convs.find((x) => x.id === id)?.kind;
  assert.deepEqual([kindOf(hi.conversationId), kindOf(group.conversationId), kindOf(channel.conversationId), kindOf(first.conversationId)], ['direct', 'group', 'channel', 'group']);

  // Bo's contact card makes his addresses and numbers one person; contacts are not messages.
  assert.ok(!list.some((m) => m.text.includes('Bo Chen') && !m.sender), 'no contact became a message');
  const people = cliJson<ParticipantDTO[]>(['identities', c, 'list', '--json']);
  const bo = people.filter((p) => p.handles.some((h) => h.value === 'bo@example.com'));
  assert.equal(bo.length, 1);
  assert.deepEqual(bo[0]!.handles.map((h) => `${h.kind}:${h.value}`).sort(),
    ['email:bo.chen@home.example', 'email:bo@example.com', 'phone:+442079460123', 'phone:+447700900123']);
  assert.equal(bo[0]!.name, 'Bo Chen');
  assert.equal(reply.senderId, bo[0]!.id);
  // A card with one address links nothing.
  assert.deepEqual(people.filter((p) => p.handles.some((h) => h.value === 'cy@example.com')).map((p) => p.handles.length), [1]);
  const audit = cliJson<AuditEntryDTO[]>(['audit', c, '--action', 'identity.link', '--json']);
  assert.equal(audit.length, 1);
  assert.match(describeAudit(audit[0]!.action, audit[0]!.details), /“Bo Chen” on the evidence of the address book in .*custodian\.pst \(\/Top of Outlook data file\/Contacts item 0\)/);

  assert.equal((await importSource(c, file)).alreadyImported, true);
  // The same mailbox written again (another export run: new bytes) adds nothing: email by Message-ID, chats by sender and time.
  const again = path.join(tempDir(), 'second-export.pst');
  fs.writeFileSync(again, Buffer.concat([samplePst()]));
  fs.appendFileSync(again, Buffer.alloc(512));
  const z = await importSource(c, again);
  assert.deepEqual([z.messages, z.duplicatesSkipped], [0, 6]);
});

test('a contact yields its addresses and E.164 numbers, each once, and nothing it cannot normalise', () => {
  const card = (c: Partial<Record<'displayName' | 'subject' | 'email1EmailAddress' | 'email2EmailAddress' | 'email3EmailAddress' | 'mobileTelephoneNumber' | 'businessTelephoneNumber' | 'homeTelephoneNumber', string>>) =>
    ({ displayName: '', subject: '', email1EmailAddress: '', email2EmailAddress: '', email3EmailAddress: '', mobileTelephoneNumber: '', businessTelephoneNumber: '', homeTelephoneNumber: '', ...c }) as unknown as Parameters<typeof contactIdentity>[0];
  assert.deepEqual(contactIdentity(card({ displayName: 'Bo Chen', email1EmailAddress: ' Bo@Example.com', email2EmailAddress: 'bo@example.com', mobileTelephoneNumber: '07700 900123', homeTelephoneNumber: 'ask reception' }), 'GB', 'x'),
    { type: 'identity', locator: 'x', name: 'Bo Chen', handles: [{ kind: 'email', value: 'bo@example.com' }, { kind: 'phone', value: '+447700900123' }] });
  fc.assert(fc.property(fc.array(fc.oneof(fc.emailAddress(), fc.string()), { maxLength: 3 }), fc.array(fc.oneof(fc.string(), fc.stringMatching(/^\+?[0-9 ()-]{5,16}$/)), { maxLength: 3 }), (emails, phones) => {
    const r = contactIdentity(card({ email1EmailAddress: emails[0], email2EmailAddress: emails[1], email3EmailAddress: emails[2], mobileTelephoneNumber: phones[0], businessTelephoneNumber: phones[1], homeTelephoneNumber: phones[2] }), 'GB', 'x');
    const keys = r.handles.map((h) => `${h.kind}:${h.value}`);
    assert.equal(new Set(keys).size, keys.length);
    for (const h of r.handles) assert.ok(h.kind === 'email' ? h.value === h.value.toLowerCase() && h.value.includes('@') : /^\+\d{6,}$/.test(h.value), JSON.stringify(h));
  }));
});

test('a truncated or foreign file gets the right error; the case is unchanged', async () => {
  const dir = tempDir();
  const c = createCase();
  const before = await snapshot(c);
  const whole = samplePst();
  const truncated = path.join(dir, 'truncated.pst');
  fs.writeFileSync(truncated, whole.subarray(0, 0x4400 + 2000));
  await expectImportFailure(c, truncated, 'IMPORT_SOURCE_CORRUPT', [], before);
  const foreign = path.join(dir, 'foreign.pst');
  fs.writeFileSync(foreign, 'not an outlook file at all');
  await expectImportFailure(c, foreign, 'IMPORT_UNSUPPORTED_SOURCE', ['--format', 'outlook-pst'], before);
});
