/**
 * A mixed matter: one custodian's WhatsApp chat export and her Signal backup in one case. The
 * counterparties appear in WhatsApp by phone number as written on the phone and in Signal by their
 * account numbers; each must be one identity across both sources.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cliJson, tempDir } from '../helpers/case.ts';
import { insert, SIGNAL_SCHEMA, writeSignalBackup } from '../helpers/signal-backup.ts';
import { createCase, messages } from '../importers/helpers.ts';
import type { ImportResultDTO, ParticipantDTO } from '../../src/api/dto.ts';

const PASSPHRASE = '98765 43210 98765 43210 98765 43210';
const T0 = Date.UTC(2024, 5, 3, 9, 0, 0);
const GROUP = '__signal_group__v2__!0123456789abcdef0123456789abcdef';
const INBOX = 0x800000 | 0x200000 | 20;
const SENT = 0x800000 | 0x200000 | 23;

test('WhatsApp and Signal sources of one custodian: each person is one identity across both, by phone number', () => {
  const dir = tempDir();
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

  const caseFile = createCase(dir);
  const wa = cliJson<ImportResultDTO>(['import', caseFile, chat, '--custodian', 'Alice Custodian', '--tz', 'Europe/London', '--json']);
  assert.equal(wa.format, 'whatsapp-txt');
  const sig = cliJson<ImportResultDTO>(['import', caseFile, backup, '--custodian', 'Alice Custodian', '--backup-password-env', 'PW', '--json'], { PW: PASSPHRASE });
  assert.equal(sig.format, 'signal-android-backup');
  assert.equal(sig.messages, 3);

  const people = cliJson<ParticipantDTO[]>(['identities', caseFile, 'list', '--json']);
  const holding = (value: string) => {
    const found = people.filter((p) => p.handles.some((h) => h.value === value));
    assert.equal(found.length, 1, `${value} belongs to ${found.length} identities: ${JSON.stringify(people)}`);
    return found[0]!;
  };
  const bob = holding('+447700900002');
  const carol = holding('+14155550103');
  assert.deepEqual(bob.handles.map((h) => `${h.kind}:${h.value}`), ['phone:+447700900002']);
  assert.deepEqual(carol.handles.map((h) => `${h.kind}:${h.value}`), ['phone:+14155550103']);

  // Their messages from both platforms carry the one sender.
  const list = messages(caseFile);
  const platformsOf = (id: number) => new Set(list.filter((m) => m.senderId === id).map((m) => m.source.sourceId));
  assert.equal(platformsOf(bob.id).size, 2, 'Bob speaks in both sources as one person');
  assert.equal(platformsOf(carol.id).size, 2, 'Carol speaks in both sources as one person');
  assert.equal(list.find((m) => m.text === 'Deleted.')!.senderHandle, '+447700900001');
});
