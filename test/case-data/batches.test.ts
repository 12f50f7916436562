/** Review batches and QC samples as stored, on both back ends: frozen units, progress, samples, deletion. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fp, importRun, onEachBackend } from './backends.ts';

onEachBackend((backend) => {
  test('a set, its batch and frozen unit; progress counts reviewed and coded; a QC decision; a purge empties the unit', () => {
    const c = backend().fresh();
    try {
      const { data } = c;
      const run = importRun(data, 'b'.repeat(64), 'Alice', [
        { conversation: 'desk', text: 'one', sentAt: 1_000, fingerprint: fp(1) },
        { conversation: 'desk', text: 'two', sentAt: 2_000, fingerprint: fp(2) },
      ]);
      const [a, b] = run.messageIds as [number, number];
      const conv = data.read.conversations.names()[0]!.id;
      const setId = data.write.batches.createSet({ name: 'First pass', source: '{"conversationIds":[1]}', unitSize: 1, createdBy: 'PM', createdAt: 5 });
      assert.equal(data.read.batches.nameTaken('FIRST PASS'), 'First pass', 'names are unique whatever their case');
      const batchId = data.write.batches.createBatch(setId, 1);
      const unitId = data.write.batches.addUnit({ batchId, setId, seq: 1, unitKey: `${conv}:1970-01-01:1`, conversationId: conv, messageIds: [b, a] });
      assert.deepEqual(data.read.batches.unitMessages(unitId), [a, b], 'in time order');
      assert.deepEqual(data.read.batches.placement([b, a]), [[a, conv, 1_000], [b, conv, 2_000]]);

      data.write.batches.assign(batchId, 'Ann');
      data.write.batches.checkOut(batchId, 'Ann', 6);
      assert.deepEqual({ ...data.read.batches.batch(batchId)!, id: 0, set_id: 0 }, {
        id: 0, set_id: 0, number: 1, state: 'checked-out', assignee: 'Ann', holder: 'Ann', checked_out_at: 6, checked_in_by: null, checked_in_at: null, offline_checkout: null,
      });
      data.write.reviewMarks.mark([a], 'Ann', 7);
      data.write.tagging.apply(data.read.tagging.byName('Responsive')!.id, [b], { by: 'Ann', at: 7, basis: null });
      data.write.batches.checkIn(batchId, 'Ann', 8);
      assert.deepEqual(data.read.batches.unitProgress(setId).map((p) => ({ ...p })), [{ unitId, batchId, messages: 2, reviewed: 2, coded: 1 }]);
      assert.deepEqual(data.read.batches.unitProgress(setId, batchId).map((p) => ({ ...p })), [{ unitId, batchId, messages: 2, reviewed: 2, coded: 1 }]);
      assert.deepEqual(data.read.batches.unitProgress(setId, batchId + 1), [], 'another batch has none of these units');

      const sampleId = data.write.batches.addSample({ setId, unitId, reviewer: 'Ann', seed: 's', sampledBy: 'QC', sampledAt: 9 });
      data.write.batches.decide(sampleId, { decision: 'overturned', by: 'QC', at: 10, changes: '{"applied":[]}' });
      const sample = data.read.batches.sample(sampleId)!;
      assert.equal(sample.decision, 'overturned');
      assert.equal(sample.unit_key, `${conv}:1970-01-01:1`);
      assert.equal(sample.batch_number, 1);
      assert.deepEqual(data.read.batches.samples(setId).map((s) => s.id), [sampleId]);

      assert.deepEqual(data.read.batches.batchedMessages([a]).map((r) => ({ ...r })), [{ setId, batchId, unitId, unitKey: `${conv}:1970-01-01:1`, messageId: a }]);
      data.write.transaction.run(() => data.write.purge.messages([a]));
      assert.deepEqual(data.write.batches.dropEmptyUnits([unitId]), [], 'a unit with a message left stays');
      data.write.transaction.run(() => data.write.purge.messages([b]));
      assert.deepEqual(data.write.batches.dropEmptyUnits([unitId]), [unitId]);
      assert.deepEqual(data.read.batches.units(batchId), []);
      assert.equal(data.read.batches.sample(sampleId), undefined, 'its QC sample goes with it');
    } finally {
      c.close();
    }
  });
});
