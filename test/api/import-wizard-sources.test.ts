/**
 * What the app's import wizard does with the Android SMS database and Signal backups, through the
 * typed API: detection names the format (and that a Signal backup is encrypted, so the wizard asks
 * for its passphrase), and the import job runs with the passphrase and the region.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { inProcessHarness, jobDone } from '../helpers/app.ts';
import { insert, SIGNAL_SCHEMA, writeSignalBackup } from '../helpers/signal-backup.ts';
import { writeMmsSmsDb } from '../helpers/mmssms-db.ts';

const PASSPHRASE = '11111 22222 33333 44444 55555 66666';

test('the wizard detects mmssms.db and Signal backups, asks for the Signal passphrase, and imports both', async () => {
  const h = await inProcessHarness();
  try {
    const { client } = h;
    await client.call('cases.create', { path: path.join(h.dir, 'wizard.hfcase'), passphrase: 'wizard passphrase', matter: 'Wizard', examiner: 'Rev Iewer' });
    const backup = path.join(h.dir, 'signal-2024-06-03-18-00-00.backup');
    writeSignalBackup(backup, [
      ...SIGNAL_SCHEMA.map((sql) => ({ sql })),
      insert('recipient', { _id: 1, e164: '+447700900002', profile_joined_name: 'Bob Trader' }),
      insert('thread', { _id: 1, recipient_id: 1 }),
      insert('message', { _id: 1, date_sent: 1_717_405_200_000, date_received: 1_717_405_200_500, thread_id: 1, from_recipient_id: 1, to_recipient_id: 1, type: 0xa00014, body: 'hello' }),
    ], { passphrase: PASSPHRASE });
    const extraction = path.join(h.dir, 'phone');
    fs.mkdirSync(path.join(extraction, 'databases'), { recursive: true });
    writeMmsSmsDb(path.join(extraction, 'databases', 'mmssms.db'), {
      addresses: { 1: '07700 900123' }, threads: { 1: [1] }, mms: [],
      sms: [{ id: 1, thread: 1, address: '07700 900123', date: 1_717_405_200_000, type: 1, body: 'ring me' }],
    });

    const signal = await client.call('imports.detect', { path: backup });
    assert.equal(signal.format, 'signal-android-backup');
    assert.equal(signal.probe.encrypted, true);
    const sms = await client.call('imports.detect', { path: extraction });
    assert.equal(sms.format, 'android-mmssms-db');
    assert.equal(sms.probe.messages, 1);

    const a = await jobDone(client, (await client.call('imports.start', { source: backup, password: PASSPHRASE })).jobId);
    assert.equal(a.state, 'succeeded', JSON.stringify(a.error));
    const b = await jobDone(client, (await client.call('imports.start', { source: extraction, region: 'GB' })).jobId);
    assert.equal(b.state, 'succeeded', JSON.stringify(b.error));
    if (a.kind !== 'import' || b.kind !== 'import') assert.fail('not import jobs');
    assert.deepEqual([a.result?.messages, b.result?.messages], [1, 1]);
    const people = await client.call('identities.list', {});
    assert.ok(people.some((p) => p.handles.some((x) => x.value === '+447700900123')), 'the national number was read in the region given');
  } finally {
    await h.close();
  }
});
