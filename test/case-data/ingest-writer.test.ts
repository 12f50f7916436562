/**
 * The ingest writer on both back ends, where PostgreSQL's holds rows back and sends them with COPY:
 * what comes back is exactly what went in (texts that need COPY's escapes, NULLs), a message is
 * found by its fingerprint before it is flushed, a fact met twice is stored once, and message ids
 * run on from one run to the next without a gap.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CaseData, IngestWriter, RunIds } from '../../src/case/data/interface.ts';
import { onEachBackend } from './backends.ts';
import type { Backend } from './backends.ts';

const TEXTS = ['tab\there', 'back\\slash and \\N', 'line\nbreak\r\nand CRLF', '', '👍🏽 Zürich привет 会議', '\\.', 'end\\'];

function startRun(data: CaseData, sha: string): RunIds {
  return data.write.importRuns.start({
    path: `/x/${sha}`, name: sha, size: 1, sha256: sha, importer: 'whatsapp', importerVersion: '1', custodian: 'Alice', tz: 'UTC', tzReason: null,
    dateOrder: null, options: '{}', at: 1, pid: process.pid,
  });
}

function addMessage(w: IngestWriter, conversationId: number, n: number, text: string, subject: string | null = null): number {
  const fingerprint = n.toString(16).padStart(64, '0');
  return w.addMessage({
    conversationId, senderHandleId: null, sentAt: 1000 * n, rawTime: `t\t${n}`, kind: 'message', systemType: null, text, subject, edited: 0, deleted: 0,
    direction: 'in', forwardedFrom: null, externalId: null, fingerprint, contentSha256: fingerprint, fingerprintKey: n, locator: `line ${n}`, timeUnknown: 0, timeSource: null,
  });
}

function withCase(backend: () => Backend, body: (data: CaseData) => void): () => void {
  return () => {
    const c = backend().fresh();
    try {
      body(c.data);
    } finally {
      c.close();
    }
  };
}

onEachBackend((backend) => {
  test('rows come back exactly; a fact met twice is stored once; ids run on between runs', withCase(backend, (data) => {
    const first = startRun(data, 'a'.repeat(64));
    const ids = data.write.transaction.run(() => {
      const w = data.write.importRuns.ingest(first);
      const conv = w.addConversation({ platform: 'whatsapp', externalId: 'team', kind: 'group', name: 'team' });
      const bob = w.addHandle({ kind: 'phone', value: '+15550002', display: 'Bob', participantName: 'Bob', at: 1 });
      const added = TEXTS.map((text, i) => addMessage(w, conv, i + 1, text, i % 2 ? null : `Re:\t${text}`));
      // Found by its fingerprint before anything is flushed.
      assert.deepEqual(w.messagesByFingerprintKey(3), [[added[2], (3).toString(16).padStart(64, '0')]]);
      assert.deepEqual(w.messagesByFingerprintKey(99), []);
      for (const id of [added[0]!, added[0]!, added[1]!]) w.addOccurrence(id, `seen ${id}`);
      w.addEdit(added[0]!, 0, 5, 'first\tedit');
      w.addEdit(added[0]!, 0, 6, 'the same seq again');
      w.addRecipient(added[0]!, 0, 'to', bob);
      const reactions = [
        w.addReaction({ messageId: added[0]!, handleId: bob, value: '👍', at: 7, removed: 0, locator: 'r1' }),
        w.addReaction({ messageId: added[0]!, handleId: bob, value: '👍', at: 7, removed: 0, locator: 'r2' }),
        // Without a time a reaction is a new fact each time (NULLs differ in the unique key).
        w.addReaction({ messageId: added[1]!, handleId: bob, value: '❤', at: null, removed: 0, locator: 'r3' }),
        w.addReaction({ messageId: added[1]!, handleId: bob, value: '❤', at: null, removed: 0, locator: 'r4' }),
      ];
      assert.deepEqual(reactions, [1, 0, 1, 1]);
      w.addAttachment({ messageId: added[2]!, seq: 0, name: 'a\tb.jpg', mime: null, size: null, sha256: null, missingReason: 'not included', locator: null });
      w.setReplyTo(added[1]!, added[0]!);
      w.addSourceFile('chat\\n.txt', 10, 'b'.repeat(64));
      w.flush();
      // After the flush the stored message is found in the database.
      assert.deepEqual(w.messagesByFingerprintKey(3), [[added[2], (3).toString(16).padStart(64, '0')]]);
      return added;
    });
    data.write.importRuns.finish(first.runId, 'complete', 2, '{}');

    const stored = [...data.read.messageView.stored()];
    assert.deepEqual(stored.map((m) => [m.id, m.text, m.subject, m.raw_time]), TEXTS.map((text, i) => [ids[i], text, i % 2 ? null : `Re:\t${text}`, `t\t${i + 1}`]));
    assert.deepEqual(ids, ids.map((_, i) => ids[0]! + i), 'ids in the order the messages came');
    assert.equal(data.read.importRuns.occurrenceCount(first.sourceId), 2);
    const details = data.read.messageView.details(ids);
    assert.deepEqual(details.edits.map((e) => [e.message_id, e.seq, e.text]), [[ids[0], 0, 'first\tedit']]);
    assert.deepEqual(details.reactions.map((r) => [r.message_id, r.value, r.at]), [[ids[0], '👍', 7], [ids[1], '❤', null], [ids[1], '❤', null]]);
    assert.deepEqual(details.recipients.map((r) => [r.message_id, r.value]), [[ids[0], '+15550002']]);
    assert.deepEqual(details.attachments.map((a) => [a.message_id, a.name, a.missing_reason]), [[ids[2], 'a\tb.jpg', 'not included']]);
    assert.equal(data.read.messages.threadRoot(ids[1]!, 10), ids[0]);
    assert.deepEqual(data.read.sources.files(first.sourceId, 10, 0), [{ path: 'chat\\n.txt', size: 10, sha256: 'b'.repeat(64) }]);

    const second = startRun(data, 'c'.repeat(64));
    const next = data.write.transaction.run(() => {
      const w = data.write.importRuns.ingest(second);
      const conv = w.conversation('whatsapp', 'team')!.id;
      // A message of the first run met again: found in the case, and only its occurrence is added.
      const [known] = w.messagesByFingerprintKey(1);
      assert.deepEqual(known, [ids[0], (1).toString(16).padStart(64, '0')]);
      assert.deepEqual(w.messagesByFingerprintKey(TEXTS.length), [[ids.at(-1), TEXTS.length.toString(16).padStart(64, '0')]], 'the last of them too');
      assert.deepEqual(w.messagesByFingerprintKey(99), []);
      w.addOccurrence(known![0], 'again');
      // A reaction to a stored message: the database decides it is there already.
      assert.equal(w.addReaction({ messageId: ids[0]!, handleId: w.handleId('phone', '+15550002')!, value: '👍', at: 7, removed: 0, locator: 'r5' }), 0);
      const id = addMessage(w, conv, 50, 'new');
      w.flush();
      return id;
    });
    assert.equal(next, ids.at(-1)! + 1, 'the next run goes on from the last id');
    assert.equal(data.read.importRuns.occurrenceCount(second.sourceId), 1);
  }));
});
