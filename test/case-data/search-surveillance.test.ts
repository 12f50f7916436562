/**
 * What search reads and stores, and surveillance's policies and alerts, on both back ends.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CaseData } from '../../src/case/data/interface.ts';
import { fp, importRun, onEachBackend, withSeed } from './backends.ts';

interface Seeded {
  conv: number;
  ids: [number, number, number];
  sourceId: number;
}

function seed(data: CaseData): Seeded {
  const run = importRun(data, 'a'.repeat(64), 'Alice', [
    { conversation: 'team', text: 'send the wire', sentAt: 1000, fingerprint: fp(1), attachment: { name: 'invoice.pdf', sha256: null } },
    { conversation: 'team', text: 'wire sent', sentAt: 2000, fingerprint: fp(2) },
    { conversation: 'team', text: 'thanks', sentAt: 3000, fingerprint: fp(3) },
  ]);
  const w = data.write.importRuns.ingest(run);
  w.addEdit(run.messageIds[1]!, 0, 1500, 'wire snet');
  w.addEdit(run.messageIds[1]!, 1, 1600, 'wire sent!');
  w.addHandleName(w.handleId('phone', '+15550001')!, 'Ally');
  w.flush();
  return { conv: data.read.conversations.names()[0]!.id, ids: run.messageIds as [number, number, number], sourceId: run.sourceId };
}

onEachBackend((backend) => {
  test('search documents and look-ups', withSeed(backend, seed, (data, s) => {
    const [a, b, c] = s.ids;
    const docs = data.read.searchDocs.after(0, c, 10);
    assert.deepEqual(docs.map((d) => [d.id, d.attachments, d.edits]), [[a, 'invoice.pdf', null], [b, null, 'wire snet\u001fwire sent!'], [c, null, null]]);
    assert.deepEqual([...data.read.searchDocs.textsInRange(b, c)].map((r) => r[2]), ['wire sent', 'thanks']);
    assert.deepEqual([...data.read.searchDocs.textsById(Uint32Array.of(a))], [[a, null, 'send the wire']]);
    assert.deepEqual([...data.read.searchDocs.editsInRange(a, c)], [[b, 'wire snet'], [b, 'wire sent!']]);
    assert.deepEqual([...data.read.searchDocs.attachmentNamesInRange(a, c)], [[a, 'invoice.pdf']]);

    const l = data.read.searchLookups;
    // A page's hits: the index's columns too (its snippets are cut from them).
    assert.deepEqual(
      l.hitRows([c, b, a]).map((r) => [r.id, r.conversation, r.sender, r.text, r.attachments, r.edits]).sort((x, y) => Number(x[0]) - Number(y[0])),
      [[a, 'team', 'Alice', 'send the wire', 'invoice.pdf', null], [b, 'team', 'Alice', 'wire sent', null, 'wire snet\u001fwire sent!'], [c, 'team', 'Alice', 'thanks', null, null]],
    );
    assert.deepEqual(l.handles().map((h) => [h.value, h.display_name, h.names]), [['+15550001', 'Alice', 'Ally']]);
    assert.equal(l.conversationExists(s.conv), true);
    assert.deepEqual(l.messagesOfSource(s.sourceId), [a, b, c]);
    assert.deepEqual(l.conversationsOnPlatform('WhatsApp'), [s.conv]);
    assert.deepEqual(l.platforms(), ['whatsapp']);
    assert.deepEqual(l.attachmentNames(), [[a, 'invoice.pdf']]);
    assert.equal(l.hasLanguages(), false);
    const hot = data.read.tagging.byName('Hot')!.id;
    data.write.tagging.apply(hot, [b], { by: 'T', at: 1, basis: null });
    assert.deepEqual(l.messagesTagged([hot]), [b]);
    assert.deepEqual(l.messagesTaggedOfKind(['issue']), [b]);
    assert.deepEqual(l.personalConversations(), []);
  }));

  test('the stored search index: chunks, snapshots and change marks', withSeed(backend, seed, (data, s) => {
    const idx = data.read.searchIndex;
    const before = idx.changeMarks();
    data.write.searchIndex.inTransaction(() => {
      data.write.searchIndex.put('dict/0', Buffer.from([1, 2, 3]));
      data.write.searchIndex.put('seg/0', new Uint8Array([9]));
      data.write.searchIndex.put('aux', Buffer.from('m'));
      data.write.searchIndex.put('dict/0', Buffer.from([4]));
    });
    assert.deepEqual(idx.chunk('dict/0'), Buffer.from([4]));
    assert.ok(Buffer.isBuffer(idx.chunk('seg/0')));
    assert.deepEqual([...idx.chunksFrom('dict/', 'dict/~')].map((c) => c.key), ['dict/0']);
    assert.deepEqual(idx.contentKeys(), ['dict/0']);
    assert.equal(idx.snapshot(() => idx.maxMessageId()), s.ids[2]);
    assert.equal(idx.messageCount(), 3);
    assert.equal(idx.countAbove(s.ids[0]), 2);
    assert.equal(idx.countBetween(s.ids[0], s.ids[1]), 1);
    assert.deepEqual([...idx.idsUpTo(s.ids[1])], [s.ids[0], s.ids[1]]);
    data.write.transaction.run(() => data.write.importRuns.deleteRows(data.read.messages.countByRun()[0]![0]));
    assert.equal(idx.messageCount(), 0);
    assert.notDeepEqual(waitForChange(data, before), before, 'removing messages moves the change marks');
    data.write.searchIndex.clear();
    assert.equal(idx.chunk('aux'), undefined);
  }));

  test('surveillance: policies, alerts raised once, dispositions and metrics', withSeed(backend, seed, (data, s) => {
    const [a, b, c] = s.ids;
    const policy = data.write.surveillance.addPolicy({ name: 'Wires', description: null, terms: ['wire'], scope: { custodians: ['Alice'], platforms: ['WhatsApp'] }, example: false, actor: 'T', at: 5 });
    assert.equal(data.read.surveillance.policyNameTaken('WIRES'), true);
    assert.equal(data.read.surveillance.policyNameTaken('wires', policy), false);
    assert.deepEqual(data.read.surveillance.inScope([a, b, c], { custodians: ['Alice'], platforms: ['WhatsApp'] }), [a, b, c]);
    assert.deepEqual(data.read.surveillance.inScope([a, b, c], { from: new Date(1500).toISOString() }, s.sourceId), [b, c]);
    assert.deepEqual(data.read.surveillance.inScope([a], { custodians: ['Bob'] }), []);
    assert.equal(data.write.surveillance.raiseAlerts(policy, [{ messageId: a, term: 'wire' }, { messageId: b, term: 'wire' }, { messageId: a, term: 'again' }], s.sourceId, 10), 2);
    assert.equal(data.write.surveillance.raiseAlerts(policy, [{ messageId: b, term: 'wire' }], null, 11), 0);
    const { total, rows } = data.read.surveillance.alerts({ policyId: policy, limit: 1, offset: 1 });
    assert.equal(total, 2);
    assert.deepEqual(rows.map((r) => [r.message_id, r.term, r.conversation, r.sender, r.status]), [[b, 'wire', 'team', 'Alice', 'open']]);
    data.write.surveillance.dispose(rows[0]!.id, 'false-positive', 'not a payment', 'T', 10 + 1_800_000);
    assert.deepEqual(data.read.surveillance.metrics(), {
      counts: [{ policy_id: policy, status: 'false-positive', n: 1 }, { policy_id: policy, status: 'open', n: 1 }],
      waits: [{ policy_id: policy, hours: 0.5 }],
    });
    assert.deepEqual(data.read.surveillance.context(b, 1).map((m) => m.id), [a, c]);
    data.write.surveillance.updatePolicy(policy, { name: 'Wires', description: 'd', terms: ['wire', 'transfer'], scope: {}, enabled: false });
    assert.deepEqual(data.read.surveillance.policies({ enabledOnly: true }), []);
    assert.equal(data.read.surveillance.policies({ id: policy })[0]?.terms, '["wire","transfer"]');
  }));
});

/** The change marks once they differ from `before` (PostgreSQL announces a commit asynchronously), or as they are after a second. */
function waitForChange(data: CaseData, before: { dataVersion: number; totalChanges: number }): { dataVersion: number; totalChanges: number } {
  const until = Date.now() + 1000;
  let marks = data.read.searchIndex.changeMarks();
  while (marks.dataVersion === before.dataVersion && marks.totalChanges === before.totalChanges && Date.now() < until) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    marks = data.read.searchIndex.changeMarks();
  }
  return marks;
}
