/**
 * The data interface, one test body per domain, run on both back ends (SQLCipher and PostgreSQL):
 * the same calls must give the same answers, and the database itself must refuse what a hold forbids.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { toErrorDTO } from '../../src/api/errors.ts';
import { CHUNK_SIZE } from '../../src/case/blobs.ts';
import type { CaseData } from '../../src/case/data/interface.ts';
import { appendEntry, chainProblems } from './audit-entries.ts';
import { fp, importRun, onEachBackend } from './backends.ts';
import type { OpenCase } from './backends.ts';
import type { Backend } from './backends.ts';

/** The error `fn` throws, as it crosses the API (code and message). */
function refusal(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    return toErrorDTO(e);
  }
  assert.fail('expected a refusal');
}

function withCase(backend: () => Backend, body: (data: CaseData) => void): () => void {
  return () => {
    const c: OpenCase = backend().fresh();
    try {
      body(c.data);
    } finally {
      c.close();
    }
  };
}

onEachBackend((backend) => {
  test('transactions commit, roll back on a throw, and nest as savepoints', withCase(backend, (data) => {
    const tx = data.write.transaction;
    const note = (text: string) => data.write.notes.add({ messageId: null, conversationId: conversation(data), by: 'Tester', at: 1, text });
    tx.run(() => note('kept'));
    assert.throws(() => tx.run(() => {
      note('rolled back');
      throw new Error('boom');
    }), /boom/);
    tx.run(() => {
      note('outer');
      assert.equal(tx.active(), true);
      assert.throws(() => tx.immediate(() => {
        note('inner, rolled back');
        throw new Error('inner');
      }));
      note('outer again');
    });
    tx.begin();
    note('begun then rolled back');
    tx.rollback();
    tx.begin();
    note('begun then committed');
    tx.commit();
    assert.equal(tx.active(), false);
    assert.deepEqual(data.read.notes.all().map((n) => n.text), ['kept', 'outer', 'outer again', 'begun then committed']);
  }));

  test('audit: appended entries chain, read back by action, page and head', withCase(backend, (data) => {
    // A new SQLCipher case starts with its creation entries; a new matter schema with none.
    const base = data.read.audit.last()?.seq ?? 0;
    const imports = data.read.audit.count('import');
    appendEntry(data, 'case.note', { name: 'Matter' }, 1000);
    appendEntry(data, 'import', { sourceId: 1 }, 2000);
    appendEntry(data, 'tag.apply', { change: base + 3, ids: [1, 2] }, 3000);
    appendEntry(data, 'import', { sourceId: 2 }, 4000);
    assert.deepEqual(chainProblems(data), []);
    assert.equal(data.read.audit.count(undefined), base + 4);
    assert.equal(data.read.audit.count('import'), imports + 2);
    assert.deepEqual(data.read.audit.after(base + 1, 'import', -1).map((r) => [r.seq, r.details]), [[base + 2, '{"sourceId":1}'], [base + 4, '{"sourceId":2}']]);
    assert.deepEqual(data.read.audit.after(base, undefined, 2).map((r) => r.seq), [base + 1, base + 2]);
    assert.deepEqual(data.read.audit.page(undefined, 2, 1).map((r) => r.seq), [base + 3, base + 2]);
    assert.deepEqual([...data.read.audit.ofActions(['import', 'case.note'])].slice(-3).map(([a]) => a), ['case.note', 'import', 'import']);
    const head = data.read.auditAnchors.head();
    assert.equal(head?.seq, base + 4);
    assert.equal(head?.at, 4000);
    assert.equal(data.read.auditAnchors.hashAt(base + 4), head?.hash);
    assert.equal(data.read.audit.last()?.hash, head?.hash);
    assert.deepEqual(data.read.tagging.changeEntries(base + 3).map((e) => e.seq), [base + 3]);
    // A sequence number is never used twice.
    assert.match(refusal(() => data.write.audit.append({ seq: base + 2, at: 1, actor: 'x', action: 'x', details: '{}', prev_hash: '', hash: '' })).message, /UNIQUE|unique|duplicate/);
  }));

  test('import runs: dedupe by fingerprint, provenance per source, facts and sources', withCase(backend, (data) => {
    const first = importRun(data, 'a'.repeat(64), 'Alice', [
      { conversation: 'team', text: 'hello', sentAt: 1000, fingerprint: fp(1) },
      { conversation: 'team', text: 'world', sentAt: 2000, fingerprint: fp(2) },
    ]);
    const second = importRun(data, 'b'.repeat(64), 'Bob', [
      { conversation: 'team', text: 'world', sentAt: 2000, fingerprint: fp(2) },
      { conversation: 'team', text: 'again', sentAt: 3000, fingerprint: fp(3) },
    ]);
    assert.equal(second.messageIds[0], first.messageIds[1], 'the same fingerprint is the same message');
    assert.deepEqual(data.read.caseFacts.counts(), { sources: 2, custodians: 2, conversations: 1, participants: 1, messages: 3, events: 0, attachments: 0 });
    assert.deepEqual(data.read.messages.countByRun(), [[first.runId, 2], [second.runId, 1]]);
    assert.equal(data.read.importRuns.occurrenceCount(second.sourceId), 2);
    assert.deepEqual(data.read.importRuns.sourceBySha256('b'.repeat(64)), { id: second.sourceId, format: 'whatsapp' });
    assert.equal(data.read.importRuns.anyRunning(), false);
    const sources = data.read.sources.list();
    assert.deepEqual(sources.map((s) => [s.id, s.custodian, s.messages, s.files, s.status]), [[first.sourceId, 'Alice', 2, 1, 'complete'], [second.sourceId, 'Bob', 2, 1, 'complete']]);
    assert.deepEqual(data.read.sources.files(first.sourceId, 10, 0), [{ path: 'chat.txt', size: 100, sha256: 'a'.repeat(64) }]);
    assert.deepEqual(data.read.custodians.all().map((c) => c.name), ['Alice', 'Bob']);
    assert.deepEqual([...data.read.custodians.occurrences()].length, 4);
    const conv = conversation(data);
    assert.deepEqual(data.read.messages.idsInRange(conv, 1500, 3500), [first.messageIds[1], second.messageIds[1]]);
    assert.equal(data.read.messages.countInConversation(conv), 3);
    assert.deepEqual(data.read.conversations.brief(conv), { id: conv, name: 'team', personal: 0, platform: 'whatsapp', kind: 'group' });
  }));

  test('messages: reply threads, reply counts and ranges', withCase(backend, (data) => {
    const run = importRun(data, 'a'.repeat(64), 'Alice', [1, 2, 3, 4].map((n) => ({ conversation: 'team', text: `m${n}`, sentAt: n * 1000, fingerprint: fp(n) })));
    const [m1, m2, m3, m4] = run.messageIds as [number, number, number, number];
    const w = data.write.importRuns.ingest(run);
    w.setReplyTo(m2, m1);
    w.setReplyTo(m3, m2);
    w.setReplyTo(m4, m1);
    w.flush();
    assert.equal(data.read.messages.threadRoot(m3, 10), m1);
    assert.equal(data.read.messages.threadRoot(m3, 1), m2, 'at most one step up');
    assert.deepEqual(data.read.messages.threadBelow(m1, 10), [{ id: m2, depth: 1 }, { id: m3, depth: 2 }, { id: m4, depth: 1 }]);
    assert.deepEqual(data.read.messages.threadBelow(m1, 1), [{ id: m2, depth: 1 }, { id: m4, depth: 1 }]);
    assert.deepEqual(data.read.messages.replyCounts([m1, m2, m3]), [{ id: m1, n: 2 }, { id: m2, n: 1 }]);
    const conv = conversation(data);
    assert.deepEqual(data.read.messages.inConversation(conv, [m4, m2, 999_999]), [[m2, 2000], [m4, 4000]]);
    assert.equal(data.read.messages.countInRange(conv, 2000, 4000), 2);
    assert.equal(data.read.messages.exists(m1), true);
    assert.equal(data.read.messages.exists(999_999), false);
  }));

  test('run-id rollback removes exactly what the run wrote', withCase(backend, (data) => {
    const first = importRun(data, 'a'.repeat(64), 'Alice', [
      { conversation: 'team', text: 'hello', sentAt: 1000, fingerprint: fp(1) },
      { conversation: 'team', text: 'world', sentAt: 2000, fingerprint: fp(2) },
    ]);
    const before = { facts: data.read.caseFacts.counts(), ids: data.read.messages.idsInConversation(conversation(data)), sources: data.read.sources.list().map((s) => s.id) };
    const second = importRun(data, 'b'.repeat(64), 'Alice', [
      { conversation: 'team', text: 'world', sentAt: 2000, fingerprint: fp(2) },
      { conversation: 'other', text: 'new', sentAt: 3000, fingerprint: fp(3) },
    ]);
    assert.equal(data.read.caseFacts.counts().conversations, 2);
    const removed = data.write.transaction.run(() => data.write.importRuns.deleteRows(second.runId));
    assert.deepEqual(removed, { messages: 1 });
    assert.deepEqual(data.read.caseFacts.counts(), before.facts);
    assert.deepEqual(data.read.messages.idsInConversation(conversation(data)), before.ids);
    assert.deepEqual(data.read.sources.list().map((s) => s.id), before.sources);
    assert.equal(data.read.importRuns.occurrenceCount(first.sourceId), 2, 'the first run keeps its occurrence of the shared message');
  }));

  test('a hold is enforced by the database: held messages and contents cannot be removed until it is released', withCase(backend, (data) => {
    const sha = storeBlob(data, Buffer.from('jpg'));
    const run = importRun(data, 'a'.repeat(64), 'Alice', [
      { conversation: 'team', text: 'hello', sentAt: 1000, fingerprint: fp(1), attachment: { name: 'a.jpg', sha256: sha } },
      { conversation: 'team', text: 'world', sentAt: 2000, fingerprint: fp(2) },
    ]);
    const hold = data.write.holds.create({ name: 'Litigation', matter: 'M-1', reason: null, createdBy: 'Tester', createdAt: 5, scope: JSON.stringify({ conversations: [conversation(data)], after: 1500 }) });
    assert.equal(data.write.holdItems.materialise(hold, { conversations: [conversation(data)], after: 1500 }, {}), 1);
    assert.equal(data.write.holdItems.materialise(hold, { conversations: [conversation(data)] }, {}), 1, 'the message already held is not added twice');
    assert.deepEqual(data.read.holds.activeOn(run.messageIds), [[hold, 'Litigation', run.messageIds[0]], [hold, 'Litigation', run.messageIds[1]]]);
    assert.deepEqual(data.read.holds.namingConversation(conversation(data)), [{ id: hold, name: 'Litigation' }]);
    assert.deepEqual(data.read.holdItems.countScope({ custodians: ['Alice'], after: 1500 }, []), { messages: 1, custodians: 1, conversations: null, query: null });
    assert.equal(data.read.holds.list(true)[0]?.items, 2);

    const removing = refusal(() => data.write.transaction.run(() => data.write.importRuns.deleteRows(run.runId)));
    assert.equal(removing.code, 'HOLD_VIOLATION');
    assert.equal(removing.message, 'the message is under an active legal hold and cannot be removed or changed');
    assert.equal(refusal(() => data.write.blobContent.dropChunks(sha)).code, 'HOLD_VIOLATION');
    assert.equal(data.read.messages.existing(run.messageIds).length, 2, 'nothing was removed');
    assert.ok(data.read.blobContent.exists(sha));

    data.write.holds.release(hold, { at: 6, by: 'Tester', reason: 'settled' });
    assert.deepEqual(data.write.transaction.run(() => data.write.importRuns.deleteRows(run.runId)), { messages: 2 });
    assert.deepEqual(data.read.messages.existing(run.messageIds), []);
    assert.equal(data.read.holds.get(hold)?.release_reason, 'settled');
  }));

  test('tags, tag groups, tagging and review marks', withCase(backend, (data) => {
    const run = importRun(data, 'a'.repeat(64), 'Alice', [1, 2, 3].map((n) => ({ conversation: 'team', text: `m${n}`, sentAt: n * 1000, fingerprint: fp(n) })));
    const [m1, m2, m3] = run.messageIds as [number, number, number];
    const responsive = data.read.tagging.byName('RESPONSIVE')!;
    assert.equal(responsive.name, 'Responsive');
    const group = data.read.tagGroups.all().find((g) => g.name === 'Responsiveness')!;
    assert.deepEqual(data.read.tagGroups.tagIds(group.id).length, 2);
    assert.equal(data.read.tagGroups.nameTaken('responsiveness', null), 'Responsiveness');
    assert.equal(data.read.tagGroups.nameTaken('responsiveness', group.id), undefined);
    const hot = data.write.tagging.create({ name: 'Fraud', kind: 'issue', color: null, shortcut: 7, groupId: null });
    assert.equal(data.read.tagging.shortcutOwner(7, null), 'Fraud');
    data.write.tagging.apply(responsive.id, [m1, m2], { by: 'Tester', at: 10, basis: null });
    data.write.tagging.apply(hot, [m3], { by: 'Tester', at: 11, basis: null });
    const nonResponsive = data.read.tagging.byName('non-responsive')!;
    data.write.tagging.apply(nonResponsive.id, [m2], { by: 'Tester', at: 12, basis: null });
    assert.equal(data.read.tagGroups.conflicts(group.id), 1);
    assert.deepEqual(data.read.tags.namesOn([m2, m3]), [[m3, 'Fraud'], [m2, 'Non-responsive'], [m2, 'Responsive']]);
    assert.deepEqual(data.read.tagging.taggedAt(responsive.id, 10, [m1, m2, m3]), [m1, m2]);
    data.write.tagging.remove(responsive.id, [m2]);
    assert.deepEqual(data.write.tagging.restore(responsive.id, [{ messageId: m2, basis: null, by: 'Tester', at: 10 }, { messageId: m1, basis: null, by: 'Tester', at: 10 }]), [m2]);
    const counts = Object.fromEntries(data.read.tagging.withCounts().map((t) => [t.name, t.messages]));
    assert.deepEqual(counts, { Responsive: 2, 'Non-responsive': 1, Privileged: 0, Hot: 0, 'Needs redaction': 0, Fraud: 1 });
    assert.deepEqual(data.read.tagging.withCounts().map((t) => t.shortcut), [1, 2, 3, 4, 5, 7]);

    data.write.reviewMarks.mark([m3], 'Tester', 20);
    assert.deepEqual(data.read.reviewMarks.marked([m1, m3]), [m3]);
    assert.deepEqual(data.read.reviewMarks.reviewedOf([m1, m2, m3]), [m1, m2, m3], 'coded (m1, m2) or marked (m3)');
    assert.deepEqual(data.read.reviewMarks.conversationProgress(conversation(data)), [3, 3]);
    data.write.tagging.remove(responsive.id, [m1]);
    assert.equal(data.read.reviewMarks.countReviewed([m1, m2, m3]), 2);
    assert.deepEqual([...data.read.reviewMarks.codedTimeline(conversation(data))], [[1000, 1, 0], [2000, 1, 1], [3000, 1, 0]]);
    data.write.reviewMarks.unmark([m3]);
    assert.deepEqual(data.read.reviewMarks.reviewedIds(), [m2]);
  }));

  test('notes on messages and conversations', withCase(backend, (data) => {
    const run = importRun(data, 'a'.repeat(64), 'Alice', [{ conversation: 'team', text: 'hello', sentAt: 1000, fingerprint: fp(1) }]);
    const conv = conversation(data);
    const onMessage = data.write.notes.add({ messageId: run.messageIds[0]!, conversationId: null, by: 'Tester', at: 1, text: 'look' });
    const onConversation = data.write.notes.add({ messageId: null, conversationId: conv, by: 'Tester', at: 2, text: 'context' });
    data.write.notes.edit(onMessage, { text: 'look again', by: 'Reviewer', at: 3 });
    assert.deepEqual(data.read.notes.get(onMessage), { id: onMessage, message_id: run.messageIds[0], conversation_id: null, by: 'Reviewer', at: 3, text: 'look again' });
    assert.deepEqual(data.read.notes.onConversation(conv, false).map((n) => n.id), [onConversation]);
    assert.deepEqual(data.read.notes.onConversation(conv, true).map((n) => n.id), [onMessage, onConversation]);
    data.write.notes.delete(onMessage);
    assert.deepEqual(data.read.notes.all().map((n) => n.id), [onConversation]);
  }));

  test('blobs round-trip by SHA-256 in chunks, a multi-MB one included', withCase(backend, (data) => {
    const big = randomBytes(CHUNK_SIZE * 3 + 12345);
    const sha = storeBlob(data, big);
    assert.equal(data.read.blobContent.chunkCount(sha), 4);
    const read = data.read.blobContent.chunkReader(sha);
    assert.deepEqual(Buffer.concat([0, 1, 2, 3].map((s) => read(s)!)), big);
    assert.equal(read(4), undefined);
    const hash = createHash('sha256');
    for (const chunk of data.read.blobContent.chunks(sha)) hash.update(chunk);
    assert.equal(hash.digest('hex'), sha);
    const small = storeBlob(data, Buffer.from('small'));
    assert.deepEqual(data.read.blobContent.all(), [{ sha256: sha, size: big.length }, { sha256: small, size: 5 }].sort((a, b) => (a.sha256 < b.sha256 ? -1 : 1)));
    assert.equal(data.read.blobContent.exists(createHash('sha256').update('absent').digest('hex')), false);
  }));

  test('saved searches are unique by name, case-insensitively', withCase(backend, (data) => {
    const id = data.write.savedSearches.create({ name: 'Wire transfers', query: 'wire', sort: 'relevance', includePersonal: false, createdBy: 'Tester', createdAt: 1 });
    assert.equal(data.read.savedSearches.nameTaken('WIRE TRANSFERS'), 'Wire transfers');
    assert.equal(data.read.savedSearches.get(id)?.include_personal, 0);
    data.write.savedSearches.delete(id);
    assert.deepEqual(data.read.savedSearches.all(), []);
  }));
});

/** The case's only conversation (or its first). */
function conversation(data: CaseData): number {
  const first = data.read.conversations.names()[0];
  if (first) return first.id;
  const run = importRun(data, 'f'.repeat(64), 'Seed', [{ conversation: 'seed', text: 'seed', sentAt: 1, fingerprint: fp(999) }]);
  return data.read.conversations.names().find((c) => c.name === 'seed')?.id ?? assert.fail(`no conversation after run ${run.runId}`);
}

/** putBlob's steps (src/case/blobs.ts) on the data interface: chunks staged, then kept under their hash. */
function storeBlob(data: CaseData, content: Buffer): string {
  const sha = createHash('sha256').update(content).digest('hex');
  const staging = `staging:${sha.slice(0, 8)}`;
  data.write.transaction.run(() => {
    const write = data.write.blobContent.chunkWriter(staging);
    let seq = 0;
    for (let at = 0; at < content.length; at += CHUNK_SIZE) write(seq++, content.subarray(at, at + CHUNK_SIZE));
    data.write.blobContent.keepStaged(staging, { sha256: sha, size: content.length, mime: null, chunks: seq, runId: null });
  });
  return sha;
}
