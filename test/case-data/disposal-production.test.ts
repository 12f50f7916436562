/**
 * Retention, purge, productions, what productions read and the gap analysis's findings, on both back ends.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toErrorDTO } from '../../src/api/errors.ts';
import type { CaseData, RunIds } from '../../src/case/data/interface.ts';
import { fp, importRun, onEachBackend, withSeed } from './backends.ts';

interface Seeded {
  team: number;
  side: number;
  ids: [number, number, number, number];
  alice: RunIds;
  bob: RunIds;
}

/** "team": a (Alice), b (Alice and Bob), c (Bob, deleted, with an attachment); "side": d (Bob). */
function seed(data: CaseData): Seeded {
  const alice = importRun(data, 'a'.repeat(64), 'Alice', [
    { conversation: 'team', text: 'a', sentAt: 1000, fingerprint: fp(1) },
    { conversation: 'team', text: 'b', sentAt: 2000, fingerprint: fp(2) },
  ]);
  data.write.blobContent.chunkWriter('staging:x')(0, Buffer.from('abc'));
  data.write.blobContent.keepStaged('staging:x', { sha256: 'ab'.repeat(32), size: 3, mime: 'image/png', chunks: 1, runId: null });
  const bob = importRun(data, 'b'.repeat(64), 'Bob', [
    { conversation: 'team', text: 'b', sentAt: 2000, fingerprint: fp(2) },
    { conversation: 'team', text: 'c', sentAt: 3000, fingerprint: fp(3), attachment: { name: 'c.png', sha256: 'ab'.repeat(32) } },
    { conversation: 'side', text: 'd', sentAt: 4000, fingerprint: fp(4) },
  ]);
  const [team, side] = data.read.conversations.names().map((c) => c.id) as [number, number];
  return { team, side, ids: [alice.messageIds[0]!, alice.messageIds[1]!, bob.messageIds[1]!, bob.messageIds[2]!], alice, bob };
}

onEachBackend((backend) => {
  test('retention: policies, what has expired, and what a purge would take with it', withSeed(backend, seed, (data, s) => {
    const [a, b, c, d] = s.ids;
    const policy = data.write.retention.createPolicy({ name: '1y', keep: '1y', scope: '{"custodians":["Bob"]}', createdBy: 'T', createdAt: 1 });
    assert.equal(data.read.retention.policyNamed('1y'), true);
    assert.deepEqual(data.read.retention.knownCustodians(['Bob', 'Zed', 'Alice']), ['Alice', 'Bob']);
    assert.deepEqual(data.read.retention.expired(3500, {}), [[a, 0], [b, 0], [c, 0]]);
    assert.deepEqual(data.read.retention.expired(5000, { custodians: ['Bob'] }), [[b, 1], [c, 0], [d, 0]], 'b is also held by Alice');
    assert.deepEqual(data.read.retention.expired(5000, { conversations: [s.side] }), [[d, 0]]);
    assert.equal(data.read.retention.attachmentCount([c, d]), 1);
    assert.equal(data.read.retention.orphanedBlobCount([c]), 1);
    assert.deepEqual(data.read.retention.conversationsEmptied([c, d]), [s.side]);
    data.write.holds.create({ name: 'H', matter: null, reason: null, createdBy: 'T', createdAt: 1, scope: JSON.stringify({ conversations: [s.side] }) });
    assert.deepEqual(data.read.retention.conversationsEmptied([c, d]), [], 'a hold names the conversation');
    data.write.retention.deletePolicy(policy);
    assert.deepEqual(data.read.retention.policies(), []);
  }));

  test('purge: refused on held messages by the database, and what it removes once released', withSeed(backend, seed, (data, s) => {
    const [a, b, c, d] = s.ids;
    const hold = data.write.holds.create({ name: 'H', matter: null, reason: null, createdBy: 'T', createdAt: 1, scope: '{}' });
    data.write.holdItems.materialise(hold, { conversations: [s.team] }, { queryIds: [c] });
    let refused: unknown;
    try {
      data.write.transaction.run(() => data.write.purge.messages([c, d]));
    } catch (e) {
      refused = e;
    }
    assert.equal(toErrorDTO(refused).code, 'HOLD_VIOLATION');
    assert.deepEqual(data.read.messages.existing([c, d]), [c, d]);
    data.write.holds.release(hold, { at: 2, by: 'T', reason: 'done' });
    const gone = data.write.transaction.run(() => data.write.purge.messages([c, d]));
    assert.deepEqual(gone.records.map((r) => [r[0], r[1], r[2], r[5]]), [[c, s.team, 3000, s.bob.runId], [d, s.side, 4000, s.bob.runId]]);
    assert.deepEqual(gone.attachments.map((x) => [x.messageId, x.name]), [[c, 'c.png']]);
    assert.deepEqual(gone.blobs, ['ab'.repeat(32)]);
    assert.deepEqual(gone.conversations.map((x) => x.id), [s.side]);
    assert.deepEqual(gone.handles, [], 'Alice still wrote a and b');
    assert.deepEqual(data.read.messages.existing([a, b, c, d]), [a, b]);
    assert.equal(data.read.blobContent.exists('ab'.repeat(32)), false);
  }));

  test('productions: recorded with their items, totals, files and partial folders', withSeed(backend, seed, (data, s) => {
    const [a, b, c] = s.ids;
    data.write.productions.rememberPartial('/tmp/p1', 42);
    assert.deepEqual(data.read.productions.partials(), [{ dir: '/tmp/p1', pid: '42' }]);
    data.write.productions.forgetPartial('/tmp/p1');
    assert.deepEqual(data.read.productions.partials(), []);
    const id = data.write.productions.record({
      name: 'Vol 1', definition: '{}', format: 'pdf', batesPrefix: 'ABC', batesFirst: 'ABC0001', batesLast: 'ABC0003', outDir: '/out',
      createdBy: 'T', createdAt: 5, manifest: '{"files":[]}', manifestSha256: 'f'.repeat(64),
    });
    const many = Array.from({ length: 12_000 }, (_, i) => ({ messageId: 100_000 + i, bates: null, file: null, context: false, withheld: false }));
    data.write.productions.addItems(id, [
      { messageId: a, bates: 'ABC0001', file: 'a.pdf', context: false, withheld: false },
      { messageId: b, bates: 'ABC0002', file: 'a.pdf', context: true, withheld: false },
      { messageId: c, bates: 'ABC0003', file: 'slip.pdf', context: false, withheld: true },
      ...many,
    ]);
    assert.deepEqual(data.read.productions.itemTotals(id), { n: 12_002, ctx: 1, w: 1 });
    assert.deepEqual(data.read.productions.itemFiles(id), ['a.pdf', 'slip.pdf']);
    assert.equal(data.read.productions.summary(id)?.messages, 12_002);
    assert.deepEqual(data.read.productions.issued('ABC').map((p) => [p.id, p.bates_first, p.bates_last]), [[id, 'ABC0001', 'ABC0003']]);
    assert.deepEqual(data.read.productions.issued('abc'), []);
    assert.deepEqual(data.read.productions.stored(id), { definition: '{}', manifest: '{"files":[]}' });
    assert.deepEqual(data.read.productions.completeManifests().map((m) => m.manifest_sha256), ['f'.repeat(64)]);
  }));

  test('what productions read of the messages', withSeed(backend, seed, (data, s) => {
    const [a, b, c, d] = s.ids;
    const privileged = data.read.produced.tagId('privileged')!;
    data.write.tagging.apply(privileged, [b], { by: 'T', at: 1, basis: 'attorney advice' });
    data.write.notes.add({ messageId: a, conversationId: null, by: 'T', at: 1, text: 'note' });
    data.write.redactions.add({ messageId: c, start: null, end: null, reason: 'PII', by: 'T', at: 1 });
    assert.deepEqual(data.read.produced.taggedWith([privileged]), [b]);
    assert.deepEqual([...data.read.produced.eligible({ includePersonal: true, privilegedOnly: false, markPrivileged: true, conversationIds: [] })].map((r) => [r[0], r[3]]), [[a, 0], [b, 1], [c, 0], [d, 0]]);
    assert.deepEqual([...data.read.produced.eligible({ includePersonal: true, privilegedOnly: true, markPrivileged: false, conversationIds: [s.team] })].map((r) => r[0]), [b]);
    assert.equal(data.read.produced.collectedAttachments([c]), 0, 'c is redacted whole');
    assert.deepEqual(data.read.produced.custodians([b]), [[b, 'Alice'], [b, 'Bob']]);
    assert.deepEqual(data.read.produced.notes([a, b]), [[a, 'note']]);
    assert.deepEqual(data.read.produced.privilegeBases([b]), [[b, 'Privileged: attorney advice']]);
    assert.deepEqual(data.read.produced.senderIdentities([a, d]).map((x) => x[1]), ['Alice']);
    assert.deepEqual(data.read.produced.writers(s.team).map((h) => [h.display, h.value]), [['Alice', '+15550001']]);
    assert.deepEqual(data.read.produced.conversationCustodians(s.team), ['Alice', 'Bob']);
    assert.deepEqual(data.read.produced.attachmentCounts([a, c]), [[c, 1]]);
    assert.deepEqual(data.read.produced.attachmentBytes([c]), [[c, 3]]);
    assert.deepEqual(data.read.produced.privilegeTags([a, b]), [{ message_id: b, name: 'Privileged', basis: 'attorney advice' }]);
    assert.deepEqual(data.read.produced.senderHandles([d]).map((h) => [h.mid, h.value]), [[d, '+15550001']]);
    assert.equal(data.read.produced.blobSize('ab'.repeat(32)), 3);
    assert.deepEqual(data.read.produced.quote(a), { text: 'a', sender: 'Alice' });
    assert.equal(data.read.produced.sourceName(s.bob.sourceId), `${'b'.repeat(64)}.zip`);
  }));

  test('findings: context around messages and provenance', withSeed(backend, seed, (data, s) => {
    const [a, b, c] = s.ids;
    assert.deepEqual(data.read.findings.around(s.team, [b], 1), [a, b, c]);
    assert.deepEqual(data.read.findings.around(s.team, [a, c], 0), [a, b, c]);
    assert.deepEqual(data.read.findings.provenance([b]), [[b, 'Alice', `${'a'.repeat(64)}.zip`], [b, 'Bob', `${'b'.repeat(64)}.zip`]]);
    assert.deepEqual([...data.read.findings.deletedCopies()], []);
  }));
});
