import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { cliJson, tempDir } from '../helpers/case.ts';
import { writeSmsBackup } from '../helpers/sms-backup.ts';
import type { IdentitySuggestionDTO, ParticipantDTO } from '../../src/api/dto.ts';
import { identityKey, linkHandles, listIdentities, nameKey, renameParticipant, suggestIdentities, unlinkHandle } from '../../src/review/identities.ts';
import { chatter, writeExport } from './corpus.ts';
import { auditOf, codeOf, createCaseFile, importFile, messagesOf, withCase } from './helpers.ts';

test('exact identities: phone numbers in E.164, WhatsApp JIDs, emails in any case, Apple IDs; LIDs are not numbers', () => {
  const tel = identityKey('phone', '+447700900123');
  assert.deepEqual(tel, { reason: 'same-phone', key: 'tel:+447700900123' });
  assert.deepEqual(identityKey('wa-jid', '447700900123@s.whatsapp.net'), tel);
  assert.deepEqual(identityKey('wa-jid', '447700900123:14@s.whatsapp.net'), tel, 'a linked device is the same account');
  assert.deepEqual(identityKey('wa-jid', '447700900123@c.us'), tel);
  assert.deepEqual(identityKey('apple-id', '+44 7700 900123'), tel);
  assert.equal(identityKey('wa-jid', '120363025246125486@g.us'), undefined, 'a group is not a person');
  assert.equal(identityKey('wa-lid', '987654321098765@lid'), undefined);
  assert.deepEqual(identityKey('email', 'Alice.Smith@Example.COM'), { reason: 'same-email', key: 'mailto:alice.smith@example.com' });
  assert.deepEqual(identityKey('apple-id', 'alice.smith@example.com'), identityKey('email', 'ALICE.SMITH@example.com'));
  assert.equal(nameKey('  Alice   SMITH '), 'alice smith');
  assert.equal(nameKey('\u200eAlice Smith'), 'alice smith');
  assert.equal(nameKey('+44 7700 900123'), undefined, 'a number is not a contact name');
  assert.equal(nameKey('A'), undefined);
});

test('one person across handles: suggestions from contact names, link, unlink and rename, all audited', async () => {
  const dir = tempDir();
  const caseFile = createCaseFile(dir);
  // WhatsApp knows Alice by her contact name; the SMS backup by her number, with the same contact name.
  await importFile(caseFile, writeExport(dir, 'Deal room', chatter({ start: Date.UTC(2024, 0, 3), count: 12, stepMs: 3_600_000, authors: ['Alice Smith', 'Bob Jones'], seed: 41 })), 'Bob');
  const sms = writeSmsBackup(path.join(dir, 'sms-20240110.xml'), [
    { address: '+44 7700 900123', contact: 'Alice  Smith', date: Date.UTC(2024, 0, 10, 9), body: 'Are we still on for the call?' },
    { address: '+44 7700 900123', contact: 'Alice  Smith', date: Date.UTC(2024, 0, 10, 9, 5), body: 'Yes, 3pm', out: true },
    { address: '+1 555 123 0009', contact: 'Zed', date: Date.UTC(2024, 0, 11, 9), body: 'unrelated' },
  ]);
  await importFile(caseFile, sms, 'Bob');

  const suggestions = cliJson<IdentitySuggestionDTO[]>(['identities', caseFile, 'suggest', '--json']);
  assert.equal(suggestions.length, 1);
  const [s0] = suggestions;
  assert.equal(s0!.reason, 'same-name');
  assert.equal(s0!.key, 'alice smith');
  assert.deepEqual(new Set(s0!.handles.map((h) => `${h.kind}:${h.value}`)), new Set(['name:Alice Smith', 'phone:+447700900123']));

  const handleIds = s0!.handles.map((h) => h.id);
  const linked = cliJson<ParticipantDTO>(['identities', caseFile, 'link', '--handle', String(handleIds[0]), '--handle', String(handleIds[1]), '--name', 'Alice Smith (CFO)', '--json']);
  assert.equal(linked.name, 'Alice Smith (CFO)');
  assert.deepEqual(linked.handles.map((h) => h.id).sort(), [...handleIds].sort());
  assert.equal(linked.messages, s0!.handles.reduce((n, h) => n + h.messages, 0));

  await withCase(caseFile, async (s) => {
    assert.deepEqual(suggestIdentities(s), [], 'nothing left to suggest once linked');
    const hers = messagesOf(s).filter((m) => m.senderHandle === 'Alice Smith' || m.senderHandle === '+447700900123');
    assert.ok(hers.some((m) => m.conversation === 'Deal room') && hers.some((m) => m.conversation !== 'Deal room'));
    const senders = new Set(hers.map((m) => m.senderId));
    assert.deepEqual([...senders], [linked.id], 'her messages from both sources have one sender');
    const before = listIdentities(s).length;

    const link = auditOf(s, 'identity.link').at(-1)!;
    const was = (link.details.before as { handles: { handleId: number; participantId: number }[] }).handles;
    assert.equal(new Set(was.map((h) => h.participantId)).size, 2, 'before: two people');
    assert.deepEqual(link.details.after, { participantId: linked.id, name: 'Alice Smith (CFO)', handleIds: [...handleIds].sort((a, b) => a - b) });
    assert.equal((link.details.removedParticipants as unknown[]).length, 1);

    const phone = linked.handles.find((h) => h.kind === 'phone')!;
    const apart = unlinkHandle(s, { handleId: phone.id });
    assert.notEqual(apart.id, linked.id);
    assert.equal(apart.name, 'Alice  Smith');
    assert.equal(listIdentities(s).length, before + 1);
    const unlink = auditOf(s, 'identity.unlink').at(-1)!;
    assert.deepEqual(unlink.details.before, { participantId: linked.id, participant: 'Alice Smith (CFO)' });
    assert.equal(await codeOf(() => unlinkHandle(s, { handleId: phone.id })), 'VALIDATION', 'a handle alone cannot be unlinked further');

    renameParticipant(s, { participantId: apart.id, name: 'Alice Smith (mobile)' });
    const rename = auditOf(s, 'identity.rename').at(-1)!;
    assert.deepEqual([rename.details.before, rename.details.after], [{ name: 'Alice  Smith' }, { name: 'Alice Smith (mobile)' }]);
    assert.equal(await codeOf(() => renameParticipant(s, { participantId: apart.id, name: ' ' })), 'VALIDATION');
    assert.equal(await codeOf(() => linkHandles(s, { handleIds: [phone.id, 99_999] })), 'NOT_FOUND');
    // Linking into an existing person by id.
    const again = linkHandles(s, { handleIds: [phone.id], participantId: linked.id });
    assert.equal(again.handles.length, 2);
  });
});
