/**
 * The batches namespace of the typed API, dispatched in-process and over the loopback transport:
 * a set cut from conversations, a batch checked out, reviewed and checked in, a QC sample drawn and
 * one unit overturned. Expected values come from other methods of the contract (review units, tags).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Client } from '../../src/api/client.ts';
import { METHOD_PERMISSIONS } from '../../src/server/auth/roles.ts';
import { failure, inProcessHarness, loopbackHarness, jobDone, nextEvent } from '../helpers/app.ts';
import { chatter, writeExport } from '../review/corpus.ts';
import type { Harness } from '../helpers/app.ts';

function spec(make: () => Promise<Harness>) {
  let h: Harness;
  let client: Client;
  before(async () => {
    h = await make();
    client = h.client;
    await client.call('cases.create', { path: path.join(h.dir, 'batches.hfcase'), passphrase: 'batches passphrase', matter: 'Batches', examiner: 'Rev Iewer' });
    const { jobId } = await client.call('imports.start', { source: writeExport(h.dir, 'Dana', chatter({ start: Date.UTC(2024, 1, 1, 8), count: 40, stepMs: 3 * 3_600_000, authors: ['Dana', 'Eli'], seed: 11 })), custodian: 'Dana', tz: 'UTC', dateOrder: 'dmy' });
    assert.equal((await jobDone(client, jobId)).state, 'succeeded');
  });
  after(() => h.close());

  test('a set is cut, a batch checked out, reviewed and checked in, sampled for QC and overturned', async () => {
    const conversations = await client.call('conversations.list', {});
    const units = (await Promise.all(conversations.map((c) => client.call('conversations.units', { conversationId: c.id })))).flat();
    assert.ok(units.length >= 5, `the corpus spans ${units.length} units`);

    assert.equal((await failure(client.call('batches.create', { name: 'x', unitSize: 2 } as never))).code, 'VALIDATION', 'a source is required');
    const announced = nextEvent(client, 'case.changed', (e) => e.what === 'batches');
    const set = await client.call('batches.create', { name: 'First pass', unitSize: 2, conversationIds: conversations.map((c) => c.id) });
    await announced;
    assert.equal(set.units, units.length);
    assert.deepEqual(set.batches.map((b) => b.units), units.reduce<number[]>((acc, _u, i) => (i % 2 === 0 ? [...acc, 1] : [...acc.slice(0, -1), 2]), []));
    assert.deepEqual((await client.call('batches.list', {})).map((s) => s.name), ['First pass']);

    const batchId = set.batches[0]!.batchId;
    await client.call('batches.assign', { batchId, assignee: 'Rev Iewer' });
    const out = await client.call('batches.checkout', { batchId });
    assert.deepEqual([out.state, out.holder, out.assignee], ['checked-out', 'Rev Iewer', 'Rev Iewer']);
    const batch = await client.call('batches.get', { batchId });
    assert.deepEqual(batch.unitList.map((u) => u.key), units.slice(0, 2).map((u) => u.key));
    assert.equal((await failure(client.call('batches.checkin', { batchId }))).code, 'VALIDATION', 'units unreviewed');
    assert.equal((await failure(client.call('batches.checkin', { batchId, force: true }))).code, 'VALIDATION', 'force needs a reason');
    for (const u of batch.unitList) await client.call('tags.apply', { tag: 'Responsive', target: { messageIds: u.messageIds } });
    const done = await client.call('batches.checkin', { batchId });
    assert.deepEqual([done.state, done.reviewedUnits, done.codedMessages], ['checked-in', 2, batch.unitList.reduce((n, u) => n + u.messageIds.length, 0)]);

    const sample = await client.call('batches.qcSample', { setId: set.setId, percent: 50, seed: 'contract' });
    assert.deepEqual(sample.reviewers.map((r) => [r.reviewer, r.candidates, r.sampled.length]), [['Rev Iewer', 2, 1]]);
    const [pending] = await client.call('batches.qcQueue', { setId: set.setId, pending: true });
    assert.equal(pending!.sampleId, sample.samples[0]!.sampleId);
    const decided = await client.call('batches.qcDecide', { sampleId: pending!.sampleId, decision: 'overturn', apply: ['Non-responsive'], reason: 'chit-chat' });
    assert.equal(decided.decision, 'overturned');
    const tags = await client.call('messages.tags', { ids: pending!.messageIds });
    assert.deepEqual(Object.values(tags), pending!.messageIds.map(() => ['Non-responsive']), 'single-choice: Non-responsive replaced Responsive');
    const progress = await client.call('batches.progress', { setId: set.setId });
    assert.deepEqual(progress.reviewers.map((r) => [r.reviewer, r.qcDecided, r.qcOverturned, r.overturnRate]), [['Rev Iewer', 1, 1, 1]]);
    assert.equal((await client.call('audit.list', { action: 'qc.overturn' })).total, 1);
    assert.deepEqual(JSON.parse(JSON.stringify(progress)), progress);
  });
}

describe('batches API, in-process', () => spec(() => inProcessHarness()));
describe('batches API, over the loopback transport', () => spec(() => loopbackHarness()));

test('batches methods need the permissions the roles table gives them', () => {
  const of = (p: string) => Object.entries(METHOD_PERMISSIONS).filter(([m, perm]) => m.startsWith('batches.') && perm === p).map(([m]) => m).sort();
  assert.deepEqual(of('manage'), ['batches.assign', 'batches.conflicts', 'batches.create', 'batches.qcSample']);
  assert.deepEqual(of('code'), ['batches.checkin', 'batches.checkinOffline', 'batches.checkout', 'batches.checkoutOffline']);
  assert.deepEqual(of('overturn'), ['batches.qcDecide']);
  assert.deepEqual(of('view'), ['batches.get', 'batches.list', 'batches.progress', 'batches.qcQueue']);
});
